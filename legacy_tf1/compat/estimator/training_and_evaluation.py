"""`tf.estimator.train_and_evaluate`, `TrainSpec` and `EvalSpec`, as TF1 ran them per task.

The task comes from the Estimator's RunConfig (`TF_CONFIG`): a `ps` task serves
variables until it is stopped (`server.join()`), the chief and the workers start their
server and train between-graph (variables on the ps, the chief saving checkpoints), the
`evaluator` evaluates every new checkpoint until one reaches `max_steps`. Without a
cluster one process trains to `max_steps`, then evaluates (TF1's local mode, with one
evaluation at the end).
"""

import collections
import time

import tensorflow as tf

from legacy_tf1.compat.estimator import cluster_config

_V1 = tf.compat.v1
_POLL_S = 1.0


class TrainSpec(collections.namedtuple("TrainSpec", ["input_fn", "max_steps", "hooks"])):
    """What to train on and until which global step."""

    def __new__(cls, input_fn, max_steps=None, hooks=None):
        if not callable(input_fn):
            raise TypeError(f"`input_fn` must be callable, given: {input_fn!r}")
        if max_steps is not None and max_steps <= 0:
            raise ValueError(f"Must specify max_steps > 0, given: {max_steps}")
        return super().__new__(cls, input_fn, max_steps, tuple(hooks or ()))


class EvalSpec(collections.namedtuple("EvalSpec", [
        "input_fn", "steps", "name", "hooks", "exporters", "start_delay_secs", "throttle_secs"])):
    """What to evaluate on, how many batches, and how often (seconds between evaluations)."""

    def __new__(cls, input_fn, steps=100, name=None, hooks=None, exporters=None,
                start_delay_secs=120, throttle_secs=600):
        if not callable(input_fn):
            raise TypeError(f"`input_fn` must be callable, given: {input_fn!r}")
        if steps is not None and steps <= 0:
            raise ValueError(f"Must specify steps > 0, given: {steps}")
        if start_delay_secs < 0 or throttle_secs < 0:
            raise ValueError(f"start_delay_secs={start_delay_secs}, throttle_secs={throttle_secs}: "
                             "expected >= 0")
        if exporters:
            raise ValueError("EvalSpec exporters are not supported by this tf.estimator; "
                             "export with tf1-to-keras export instead")
        return super().__new__(cls, input_fn, steps, name, tuple(hooks or ()), (),
                               start_delay_secs, throttle_secs)


def train_and_evaluate(estimator, train_spec, eval_spec):
    """Runs this task's part; returns (metrics, export results) where it evaluated, else None."""
    config = estimator.config
    if config.task_type == cluster_config.EVALUATOR:
        return _evaluate_checkpoints(estimator, train_spec, eval_spec)
    if config.num_ps_replicas == 0 and config.num_worker_replicas <= 1:
        return _train_then_evaluate(estimator, train_spec, eval_spec)
    server = _start_server(config)
    if config.task_type == cluster_config.PS:
        server.join()
        return None
    _V1.logging.info("Training as %s:%d of the cluster", config.task_type, config.task_id)
    estimator.train(train_spec.input_fn, hooks=list(train_spec.hooks),
                    max_steps=train_spec.max_steps)
    return None


def _train_then_evaluate(estimator, train_spec, eval_spec):
    estimator.train(train_spec.input_fn, hooks=list(train_spec.hooks), max_steps=train_spec.max_steps)
    return _evaluate(estimator, eval_spec, estimator.latest_checkpoint()), []


def _start_server(config):
    """This task's gRPC server in the RunConfig's cluster (TF1 started it in the same way)."""
    return _V1.train.Server(config.cluster_spec, job_name=config.task_type,
                            task_index=config.task_id, config=_V1.ConfigProto(
                                device_filters=cluster_config.device_filters(config.cluster)),
                            start=True)


def _evaluate(estimator, eval_spec, checkpoint):
    return estimator.evaluate(eval_spec.input_fn, steps=eval_spec.steps, hooks=list(eval_spec.hooks),
                              checkpoint_path=checkpoint, name=eval_spec.name)


def _evaluate_checkpoints(estimator, train_spec, eval_spec):
    """The evaluator: each new checkpoint once (at most every throttle_secs), until max_steps."""
    if train_spec.max_steps is None:
        raise ValueError("the evaluator needs TrainSpec.max_steps to know when training ends")
    time.sleep(eval_spec.start_delay_secs)
    evaluated, metrics = None, None
    while True:
        checkpoint = estimator.latest_checkpoint()
        if checkpoint is None or checkpoint == evaluated:
            time.sleep(_POLL_S)
            continue
        started = time.monotonic()
        metrics, evaluated = _evaluate(estimator, eval_spec, checkpoint), checkpoint
        _V1.logging.info("Evaluated %s: %s", checkpoint, metrics)
        if metrics[_V1.GraphKeys.GLOBAL_STEP] >= train_spec.max_steps:
            return metrics, []
        time.sleep(max(0.0, eval_spec.throttle_secs - (time.monotonic() - started)))
