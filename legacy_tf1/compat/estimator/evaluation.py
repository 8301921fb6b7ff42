"""The evaluation half of TF1's Estimator: metric ops, one pass, summaries.

As TF1: every metric's update op runs once per batch until the input ends (or
`steps` batches), then the metric values are read once; `loss` is the mean of
the per-batch losses (`tf.metrics.mean`) and `global_step` the checkpoint's.
"""

import time

import numpy as np
import tensorflow as tf

from legacy_tf1.compat.estimator import model_fn as model_fn_lib

_V1 = tf.compat.v1
_GLOBAL_STEP_KEY = _V1.GraphKeys.GLOBAL_STEP


def evaluation_ops(spec, global_step):
    """(update_op, {name: value tensor}) for the spec's metrics, `loss` and `global_step`."""
    metric_ops = dict(spec.eval_metric_ops)
    if model_fn_lib.LOSS_METRIC_KEY in metric_ops:
        raise ValueError('Metric with name "loss" is not allowed, because Estimator already '
                         "defines a default metric with the same name.")
    metric_ops[model_fn_lib.LOSS_METRIC_KEY] = _V1.metrics.mean(spec.loss)
    if _GLOBAL_STEP_KEY in metric_ops:
        raise ValueError('Metric with name "global_step" is not allowed, because Estimator '
                         "already defines a default metric with the same name.")
    # Sorted, as TF1, so that the graph is the same every time.
    names = sorted(metric_ops)
    update_op = tf.group(*[metric_ops[name][1] for name in names])
    values = {name: metric_ops[name][0] for name in names}
    values[_GLOBAL_STEP_KEY] = global_step
    return update_op, values


def evaluate_once(checkpoint_path, scaffold, update_op, values, hooks, session_config):
    """Restores `checkpoint_path`, runs update_op until stopped, returns the values."""
    _V1.logging.info("Starting evaluation at " + time.strftime("%Y-%m-%dT%H:%M:%S"))
    start = time.time()
    final_ops_hook = _V1.train.FinalOpsHook(values)
    session_creator = _V1.train.ChiefSessionCreator(
        scaffold=scaffold, checkpoint_filename_with_path=checkpoint_path, config=session_config)
    with _V1.train.MonitoredSession(session_creator=session_creator,
                                    hooks=list(hooks) + [final_ops_hook]) as session:
        while not session.should_stop():
            session.run(update_op)
    _V1.logging.info("Inference Time : %0.5fs", time.time() - start)
    _V1.logging.info("Finished evaluation at " + time.strftime("%Y-%m-%d-%H:%M:%S"))
    return final_ops_hook.final_ops_values


class StopAfterEvaluationsHook(_V1.train.SessionRunHook):
    """Stops an evaluation after `num_evals` batches, logging `Evaluation [i/n]`."""

    def __init__(self, num_evals):
        if num_evals < 1:
            raise ValueError(f"Must specify steps > 0, given: {num_evals}")
        self._num_evals = num_evals
        self._log_every = max(num_evals // 10, 1)
        self._evals_completed = 0

    def after_run(self, run_context, run_values):
        del run_values
        self._evals_completed += 1
        if self._evals_completed % self._log_every == 0 or self._evals_completed == self._num_evals:
            _V1.logging.info("Evaluation [%d/%d]", self._evals_completed, self._num_evals)
        if self._evals_completed >= self._num_evals:
            run_context.request_stop()


def write_dict_to_summary(output_dir, dictionary, global_step):
    """Logs `Saving dict for global step N: …` and writes the scalars as TF1 did."""
    _V1.logging.info("Saving dict for global step %d: %s", global_step, dict_to_str(dictionary))
    summary = _V1.Summary()
    for key, value in dictionary.items():
        if key == _GLOBAL_STEP_KEY or np.ndim(value) != 0 or isinstance(value, (bytes, str)):
            continue  # TF1 wrote only numeric scalars.
        summary.value.add(tag=key, simple_value=float(value))
    writer = _V1.summary.FileWriterCache.get(output_dir)
    writer.add_summary(summary, global_step)
    writer.flush()


def dict_to_str(dictionary):
    """`a = 1, b = 2`, sorted by key (TF1's `_dict_to_str`)."""
    return ", ".join(f"{key} = {value}" for key, value in sorted(dictionary.items())
                     if not isinstance(value, bytes))
