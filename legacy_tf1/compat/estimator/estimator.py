"""`tf.estimator.Estimator`, rebuilt on TF 2.21's tf.compat.v1 graphs and sessions.

Each call builds a fresh `tf.Graph` (TF1 did too): the global step, the
input_fn's tensors, then the model_fn's EstimatorSpec for the mode. `train`
runs a MonitoredTrainingSession that resumes from the latest checkpoint in
`model_dir` and writes `model.ckpt-N` files and the `checkpoint` index there;
`evaluate` and `predict` restore the latest checkpoint (ValueError without one,
as TF 1.x before 1.13). Nothing here switches eager execution off: graph code
lives inside `graph.as_default()` blocks.
"""

import collections
import copy
import os
import tempfile

import tensorflow as tf
# TF1's hooks read the global step through this module's cached read tensor,
# which TF1's Estimator created before calling the model_fn (no public API).
from tensorflow.python.training import training_util

from legacy_tf1.compat.estimator import cluster_config, evaluation, function_calls, prediction, training
from legacy_tf1.compat.estimator import model_fn as model_fn_lib
from legacy_tf1.compat.estimator import run_config as run_config_lib

_V1 = tf.compat.v1
ModeKeys = model_fn_lib.ModeKeys

# What `_build_graph` leaves in the default graph for one mode.
_ModeGraph = collections.namedtuple("_ModeGraph", ["spec", "global_step", "input_hooks"])


class Estimator:
    """Trains, evaluates and predicts with a `model_fn`, checkpointing in `model_dir`."""

    def __init__(self, model_fn, model_dir=None, config=None, params=None):
        if model_fn is None:
            raise ValueError("model_fn must be provided to Estimator.")
        if config is None:
            config = run_config_lib.RunConfig()
        elif not isinstance(config, run_config_lib.RunConfig):
            raise ValueError(f"config must be an instance of RunConfig, but provided {config!r}.")
        function_calls.verify_model_fn_args(model_fn, params)
        self._config = config.replace(model_dir=_resolve_model_dir(model_dir, config))
        _V1.logging.info("Using config: %s", vars(self._config))
        self._model_fn = model_fn
        self._params = copy.deepcopy(params or {})

    model_dir = property(lambda self: self._config.model_dir)
    config = property(lambda self: self._config)
    model_fn = property(lambda self: self._model_fn)
    params = property(lambda self: copy.deepcopy(self._params))

    def train(self, input_fn, hooks=None, steps=None, max_steps=None, saving_listeners=None):
        """Trains for `steps` more steps or up to step `max_steps` (or until input ends)."""
        _check_step_counts(steps, max_steps)
        if max_steps is not None and max_steps <= _saved_global_step(self.model_dir):
            _V1.logging.info("Skipping training since max_steps has already saved.")
            return self
        hooks = list(model_fn_lib.check_hooks(hooks))
        if steps is not None or max_steps is not None:
            hooks.append(_V1.train.StopAtStepHook(num_steps=steps, last_step=max_steps))
        # On a cluster (TF_CONFIG) the variables go to the ps tasks, as TF1's Estimator put them.
        device_setter = cluster_config.replica_device_setter(self._config.cluster)
        with tf.Graph().as_default(), _V1.device(device_setter):
            graph = self._build_graph(input_fn, ModeKeys.TRAIN)
            loss = training.train_with_spec(graph.spec, graph.global_step, self._config,
                                            graph.input_hooks + hooks, saving_listeners)
        _V1.logging.info("Loss for final step: %s.", loss)
        return self

    def evaluate(self, input_fn, steps=None, hooks=None, checkpoint_path=None, name=None):
        """Metrics over the input (or `steps` batches): a dict with `loss` and `global_step`."""
        hooks = list(model_fn_lib.check_hooks(hooks))
        if steps is not None:
            hooks.append(evaluation.StopAfterEvaluationsHook(steps))
        checkpoint_path = checkpoint_path or self._require_checkpoint()
        with tf.Graph().as_default():
            graph = self._build_graph(input_fn, ModeKeys.EVAL)
            update_op, values = evaluation.evaluation_ops(graph.spec, graph.global_step)
            all_hooks = graph.input_hooks + hooks + list(graph.spec.evaluation_hooks)
            results = evaluation.evaluate_once(
                checkpoint_path, graph.spec.scaffold, update_op, values, all_hooks,
                training.session_config(self._config))
            evaluation.write_dict_to_summary(
                self.eval_dir(name), results, results[_V1.GraphKeys.GLOBAL_STEP])
        return results

    def predict(self, input_fn, predict_keys=None, hooks=None, checkpoint_path=None,
                yield_single_examples=True):
        """Yields the model's predictions: one dict (or value) per example, or per batch."""
        hooks = list(model_fn_lib.check_hooks(hooks))
        checkpoint_path = checkpoint_path or self._require_checkpoint()
        with tf.Graph().as_default():
            graph = self._build_graph(input_fn, ModeKeys.PREDICT)
            predictions = prediction.extract_keys(graph.spec.predictions, predict_keys)
            session = _V1.train.MonitoredSession(
                session_creator=_V1.train.ChiefSessionCreator(
                    scaffold=graph.spec.scaffold, checkpoint_filename_with_path=checkpoint_path,
                    config=training.session_config(self._config)),
                hooks=graph.input_hooks + hooks + list(graph.spec.prediction_hooks))
        # Yield outside `as_default()`: a paused generator must not leave its graph
        # as the caller's default graph (Keras code between two yields stays eager).
        with session:
            while not session.should_stop():
                yield from prediction.split_batch(session.run(predictions), yield_single_examples)

    def eval_dir(self, name=None):
        """Where `evaluate` writes its summaries: model_dir/eval or model_dir/eval_<name>."""
        return os.path.join(self.model_dir, "eval_" + name if name else "eval")

    def latest_checkpoint(self):
        """Path prefix of the newest checkpoint in model_dir, or None."""
        return _V1.train.latest_checkpoint(self.model_dir)

    def get_variable_names(self):
        """Names of the variables in the latest checkpoint."""
        return [name for name, _ in _V1.train.list_variables(self._require_checkpoint())]

    def get_variable_value(self, name):
        """A variable's value (NumPy) from the latest checkpoint."""
        return _V1.train.load_variable(self._require_checkpoint(), name)

    def _build_graph(self, input_fn, mode):
        """Seed, global step, input_fn and model_fn in the default graph, for `mode`."""
        _V1.set_random_seed(self._config.tf_random_seed)
        global_step = _V1.train.create_global_step()
        features, labels, input_hooks = function_calls.call_input_fn(
            input_fn, mode, self.params, self._config)
        if mode == ModeKeys.PREDICT:
            labels = None  # TF1 ignored labels an input_fn returned for predict.
        # Deviation from TF1: the training step also waits for that read, so hooks
        # see the step before this run's update, never a read racing with it.
        step_read = training_util._get_or_create_global_step_read()  # pylint: disable=protected-access
        with tf.control_dependencies([step_read] if mode == ModeKeys.TRAIN else []):
            spec = function_calls.call_model_fn(
                self._model_fn, features, labels, mode, self.params, self._config)
        return _ModeGraph(spec, global_step, input_hooks)

    def _require_checkpoint(self):
        path = self.latest_checkpoint()
        if not path:
            raise ValueError(f"Could not find trained model in model_dir: {self.model_dir}.")
        return path


def _resolve_model_dir(model_dir, config):
    """The constructor's or the RunConfig's model_dir, or a new temporary one."""
    model_dir = None if model_dir is None else os.fspath(model_dir)
    if model_dir and config.model_dir and model_dir != config.model_dir:
        raise ValueError(
            "model_dir are set both in constructor and RunConfig, but with different values. "
            f"In constructor: '{model_dir}', in RunConfig: '{config.model_dir}'.")
    model_dir = model_dir or config.model_dir
    if not model_dir:
        model_dir = tempfile.mkdtemp()
        _V1.logging.warning("Using temporary folder as model directory: %s", model_dir)
    return model_dir


def _check_step_counts(steps, max_steps):
    if steps is not None and max_steps is not None:
        raise ValueError(f"Can not provide both steps ({steps}) and max_steps ({max_steps}).")
    if steps is not None and steps <= 0:
        raise ValueError(f"Must specify steps > 0, given: {steps}")
    if max_steps is not None and max_steps <= 0:
        raise ValueError(f"Must specify max_steps > 0, given: {max_steps}")


def _saved_global_step(model_dir):
    """The global step of model_dir's latest checkpoint; 0 when there is none."""
    checkpoint = _V1.train.latest_checkpoint(model_dir)
    if not checkpoint:
        return 0
    return int(_V1.train.load_variable(checkpoint, _V1.GraphKeys.GLOBAL_STEP))
