"""`tf.estimator.RunConfig`: where and how often an Estimator saves, logs and seeds."""

import tensorflow as tf

from legacy_tf1.compat.estimator import cluster_config

_USE_DEFAULT = object()
_DEFAULT_CHECKPOINT_SECONDS = 600

_REPLACEABLE = (
    "model_dir", "tf_random_seed", "save_summary_steps", "save_checkpoints_steps",
    "save_checkpoints_secs", "session_config", "keep_checkpoint_max",
    "keep_checkpoint_every_n_hours", "log_step_count_steps",
)


class RunConfig:
    """TF1's RunConfig: one local chief, or the task `TF_CONFIG` names (read here, as TF1).

    Defaults as TF1: a checkpoint every 600 seconds unless `save_checkpoints_steps`
    is given, summaries and step-rate logs every 100 steps, 5 checkpoints kept.
    """

    def __init__(self, model_dir=None, tf_random_seed=None, save_summary_steps=100,
                 save_checkpoints_steps=_USE_DEFAULT, save_checkpoints_secs=_USE_DEFAULT,
                 session_config=None, keep_checkpoint_max=5,
                 keep_checkpoint_every_n_hours=10000, log_step_count_steps=100):
        steps, seconds = _checkpoint_schedule(save_checkpoints_steps, save_checkpoints_secs)
        self._model_dir = None if model_dir is None else str(model_dir)
        self._tf_random_seed = tf_random_seed
        self._save_summary_steps = save_summary_steps
        self._save_checkpoints_steps = steps
        self._save_checkpoints_secs = seconds
        self._session_config = session_config
        self._keep_checkpoint_max = keep_checkpoint_max
        self._keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours
        self._log_step_count_steps = log_step_count_steps
        self._cluster = cluster_config.from_environment()
        _validate(self)

    def replace(self, **changes):
        """A copy with `changes` applied; ValueError for a property it cannot replace."""
        for name in changes:
            if name not in _REPLACEABLE:
                raise ValueError(f"{name} is not supported by RunConfig.replace; "
                                 f"expected one of {list(_REPLACEABLE)}")
        values = {name: getattr(self, name) for name in _REPLACEABLE}
        # Setting one checkpoint schedule switches the other off, as in TF1.
        if "save_checkpoints_steps" in changes and "save_checkpoints_secs" not in changes:
            values["save_checkpoints_secs"] = None
        if "save_checkpoints_secs" in changes and "save_checkpoints_steps" not in changes:
            values["save_checkpoints_steps"] = None
        values.update(changes)
        return RunConfig(**values)

    model_dir = property(lambda self: self._model_dir)
    tf_random_seed = property(lambda self: self._tf_random_seed)
    save_summary_steps = property(lambda self: self._save_summary_steps)
    save_checkpoints_steps = property(lambda self: self._save_checkpoints_steps)
    save_checkpoints_secs = property(lambda self: self._save_checkpoints_secs)
    session_config = property(lambda self: self._session_config)
    keep_checkpoint_max = property(lambda self: self._keep_checkpoint_max)
    keep_checkpoint_every_n_hours = property(lambda self: self._keep_checkpoint_every_n_hours)
    log_step_count_steps = property(lambda self: self._log_step_count_steps)
    # Without TF_CONFIG one local process is the chief of a one-worker "cluster".
    cluster = property(lambda self: self._cluster)
    cluster_spec = property(lambda self: self._cluster.cluster_spec)
    task_type = property(lambda self: self._cluster.task_type)
    task_id = property(lambda self: self._cluster.task_id)
    is_chief = property(lambda self: self._cluster.is_chief)
    master = property(lambda self: self._cluster.master)
    evaluation_master = property(lambda self: self._cluster.evaluation_master)
    num_ps_replicas = property(lambda self: self._cluster.num_ps_replicas)
    num_worker_replicas = property(lambda self: self._cluster.num_worker_replicas)

    def __repr__(self):
        return f"RunConfig({vars(self)})"


def _checkpoint_schedule(steps, seconds):
    """(steps, seconds) between checkpoints, resolving TF1's defaults."""
    if steps is _USE_DEFAULT and seconds is _USE_DEFAULT:
        return None, _DEFAULT_CHECKPOINT_SECONDS
    if seconds is _USE_DEFAULT:
        return steps, None
    if steps is _USE_DEFAULT:
        return None, seconds
    if steps is not None and seconds is not None:
        raise ValueError(
            f"save_checkpoints_steps={steps} and save_checkpoints_secs={seconds}: "
            "`save_checkpoints_steps` and `save_checkpoints_secs` cannot be both set.")
    return steps, seconds


def _validate(config):
    checks = [
        ("model_dir", lambda value: value, "should be non-empty"),
        ("tf_random_seed", lambda value: isinstance(value, int), "must be an integer"),
        ("save_summary_steps", lambda value: value >= 0, "should be >= 0"),
        ("save_checkpoints_steps", lambda value: value >= 0, "should be >= 0"),
        ("save_checkpoints_secs", lambda value: value >= 0, "should be >= 0"),
        ("session_config", lambda value: isinstance(value, tf.compat.v1.ConfigProto),
         "must be an instance of ConfigProto"),
        ("keep_checkpoint_max", lambda value: value >= 0, "should be >= 0"),
        ("keep_checkpoint_every_n_hours", lambda value: value > 0, "should be > 0"),
        ("log_step_count_steps", lambda value: value > 0, "should be > 0"),
    ]
    for name, is_valid, requirement in checks:
        value = getattr(config, name)
        # None means "not set" for every property, as in TF1.
        if value is not None and not is_valid(value):
            raise ValueError(f"RunConfig {name}={value!r}: {requirement}")
