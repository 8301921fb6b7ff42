"""The training half of TF1's Estimator: its hooks, saver and session loop.

`train_with_spec` does what TF1's `_train_with_estimator_spec` did: a `loss`
summary, NaN check, `loss = …, step = …` logging every `log_step_count_steps`,
a Saver keeping `keep_checkpoint_max` checkpoints, a CheckpointSaverHook on the
RunConfig's schedule, and a MonitoredTrainingSession that restores the latest
checkpoint in `model_dir` and adds the step counter and summary saver hooks.
"""

import tensorflow as tf

from legacy_tf1.compat.estimator import cluster_config

_V1 = tf.compat.v1


def train_with_spec(spec, global_step, config, hooks, saving_listeners):
    """Runs spec.train_op until a hook stops or the input ends; returns the last loss."""
    if not any(summary.op.name == "loss" for summary in _V1.get_collection(_V1.GraphKeys.SUMMARIES)):
        _V1.summary.scalar("loss", spec.loss)
    _V1.add_to_collection(_V1.GraphKeys.LOSSES, spec.loss)
    worker_hooks = list(hooks) + _default_worker_hooks(spec, global_step, config)
    worker_hooks.extend(spec.training_hooks)
    _ensure_saver(spec.scaffold, config)
    chief_hooks = _chief_hooks(spec, config, worker_hooks, saving_listeners)
    with _V1.train.MonitoredTrainingSession(
            master=config.master, is_chief=config.is_chief, checkpoint_dir=config.model_dir, scaffold=spec.scaffold, hooks=worker_hooks,
            chief_only_hooks=chief_hooks, save_checkpoint_secs=0,
            save_summaries_steps=config.save_summary_steps, config=session_config(config),
            log_step_count_steps=config.log_step_count_steps) as session:
        return _run_loop(session, spec)


def _run_loop(session, spec):
    loss = None
    while not session.should_stop():
        _, loss = session.run([spec.train_op, spec.loss])
    return loss


def _default_worker_hooks(spec, global_step, config):
    """NaN check on the loss and TF1's `loss = …, step = …` log line."""
    hooks = [_V1.train.NanTensorHook(spec.loss)]
    if config.log_step_count_steps is not None:
        step = _step_after_update(spec.train_op, global_step)
        hooks.append(_V1.train.LoggingTensorHook(
            {"loss": spec.loss, "step": step}, every_n_iter=config.log_step_count_steps))
    return hooks


def _step_after_update(train_op, global_step):
    # TF1 logged the count after the step ("step = 1" first); a plain read of the
    # resource variable would race with the increment in the same run.
    with tf.control_dependencies([train_op]):
        return tf.identity(global_step)


def _ensure_saver(scaffold, config):
    """Puts TF1's default sharded Saver in the graph unless the model_fn made one."""
    if scaffold.saver is not None or _V1.get_collection(_V1.GraphKeys.SAVERS):
        return
    _V1.add_to_collection(_V1.GraphKeys.SAVERS, _V1.train.Saver(
        sharded=True, max_to_keep=config.keep_checkpoint_max,
        keep_checkpoint_every_n_hours=config.keep_checkpoint_every_n_hours,
        defer_build=True, save_relative_paths=True))


def _chief_hooks(spec, config, worker_hooks, saving_listeners):
    """A CheckpointSaverHook on the RunConfig's schedule (unless one is given), then the spec's."""
    all_hooks = list(worker_hooks) + list(spec.training_chief_hooks)
    saver_hooks = [hook for hook in all_hooks if isinstance(hook, _V1.train.CheckpointSaverHook)]
    new_hooks = []
    if (config.save_checkpoints_steps or config.save_checkpoints_secs) and not saver_hooks:
        new_hooks = saver_hooks = [_V1.train.CheckpointSaverHook(
            config.model_dir, save_secs=config.save_checkpoints_secs,
            save_steps=config.save_checkpoints_steps, scaffold=spec.scaffold)]
    if saving_listeners:
        if not saver_hooks:
            raise ValueError("There should be a CheckpointSaverHook to use saving_listeners. "
                             "Set save_checkpoints_steps or save_checkpoints_secs in RunConfig.")
        # As TF1: the listeners go to the first saver hook.
        saver_hooks[0]._listeners.extend(saving_listeners)  # pylint: disable=protected-access
    return new_hooks + list(spec.training_chief_hooks)


def session_config(config):
    """The RunConfig's ConfigProto, or TF1's default (soft placement; on a cluster, the
    device filters that keep a worker from waiting on the others)."""
    return config.session_config or _V1.ConfigProto(
        allow_soft_placement=True, device_filters=cluster_config.device_filters(config.cluster))
