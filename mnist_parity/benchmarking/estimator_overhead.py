"""Per-step cost of the layer's `tf.estimator.Estimator` against a hand-written loop.

Both sides train the same legacy program's model_fn (layers_cnn's `cnn_model_fn`
or lenet5's `lenet5_model_fn`) on the same batches: one `numpy_input_fn` over
the MNIST training set, shuffled with the same graph seed. The Estimator runs
with TF1's default RunConfig (step-rate and loss logs, summaries every 100
steps, NaN check, checkpoint saver); the hand-written side is a bare
`MonitoredTrainingSession` loop running `[train_op, loss]`.

A timing hook stamps the end of every step on both sides; per-step time is the
span of the measured steps (after `warmup_steps`) over their number, so that
periodic costs (summaries, logs) count; repeats alternate which side runs
first, and the ratio compares the two sides' medians.
"""

import dataclasses
import importlib
import statistics
import tempfile
import time

import numpy as np
import tensorflow as tf

from legacy_tf1.compat import estimator
from legacy_tf1.compat.contrib.learn import datasets
from mnist_core import recipes

_V1 = tf.compat.v1

# Model key -> (legacy module, its model_fn): the programs that run on the Estimator.
MODEL_FUNCTIONS = {"layers_cnn": "cnn_model_fn", "lenet5": "lenet5_model_fn"}


@dataclasses.dataclass(frozen=True)
class BenchmarkResult:
    """Per-step seconds of each repeat, for both sides."""

    key: str
    steps: int
    estimator_seconds: list
    loop_seconds: list

    @property
    def ratio(self):
        """Median Estimator step time over median hand-written step time."""
        return statistics.median(self.estimator_seconds) / statistics.median(self.loop_seconds)


class StepClock(_V1.train.SessionRunHook):
    """Records the wall clock at the end of every step."""

    def __init__(self):
        self.times = []

    def after_run(self, run_context, run_values):
        self.times.append(time.perf_counter())


def per_step_seconds(times, warmup_steps):
    """Mean seconds per step after the first `warmup_steps` steps."""
    if len(times) <= warmup_steps + 1:
        raise ValueError(f"{len(times)} steps timed; expected more than warmup_steps + 1 "
                         f"= {warmup_steps + 1}")
    return (times[-1] - times[warmup_steps]) / (len(times) - 1 - warmup_steps)


def model_function(key):
    """The legacy program's model_fn for `key`; ValueError for a key without one."""
    if key not in MODEL_FUNCTIONS:
        raise ValueError(f"model key {key!r} has no Estimator model_fn; expected one of "
                         f"{sorted(MODEL_FUNCTIONS)}")
    return getattr(importlib.import_module(f"legacy_tf1.models.{key}"), MODEL_FUNCTIONS[key])


def training_input_fn(key):
    """The programs' training input: MNIST train images and int32 labels, shuffled, forever."""
    mnist = datasets.load_dataset("mnist")
    return estimator.inputs.numpy_input_fn(
        x={"x": mnist.train.images}, y=np.asarray(mnist.train.labels, dtype=np.int32),
        batch_size=recipes.get_recipe(key).batch_size, num_epochs=None, shuffle=True)


def estimator_step_seconds(model_fn, input_fn, total_steps, warmup_steps, seed):
    """One Estimator.train of `total_steps` in a fresh model_dir; seconds per measured step."""
    clock = StepClock()
    with tempfile.TemporaryDirectory() as model_dir:
        model = estimator.Estimator(model_fn, model_dir=model_dir,
                                    config=estimator.RunConfig(tf_random_seed=seed))
        model.train(input_fn, hooks=[clock], steps=total_steps)
    return per_step_seconds(clock.times, warmup_steps)


def loop_step_seconds(model_fn, input_fn, total_steps, warmup_steps, seed):
    """The same model and batches in a hand-written MonitoredTrainingSession loop."""
    clock = StepClock()
    with tf.Graph().as_default():
        _V1.set_random_seed(seed)
        _V1.train.create_global_step()
        features, labels = input_fn()
        spec = model_fn(features, labels, estimator.ModeKeys.TRAIN)
        with _V1.train.MonitoredTrainingSession(hooks=[clock]) as session:
            for _ in range(total_steps):
                session.run([spec.train_op, spec.loss])
    return per_step_seconds(clock.times, warmup_steps)


def run_benchmark(key="layers_cnn", steps=100, warmup_steps=10, repeats=3, seed=0):
    """Runs both sides `repeats` times, alternating; returns the BenchmarkResult."""
    if steps < 2 or repeats < 1:
        raise ValueError(f"steps={steps}, repeats={repeats}; expected steps >= 2 and repeats >= 1")
    model_fn, input_fn = model_function(key), training_input_fn(key)
    total_steps = warmup_steps + steps
    sides = [("estimator", estimator_step_seconds), ("loop", loop_step_seconds)]
    seconds = {"estimator": [], "loop": []}
    for repeat in range(repeats):
        # Alternate which side goes first, so that drift in machine load hits both alike.
        for name, measure in sides if repeat % 2 == 0 else sides[::-1]:
            seconds[name].append(measure(model_fn, input_fn, total_steps, warmup_steps, seed))
    return BenchmarkResult(key, steps, seconds["estimator"], seconds["loop"])


def format_result(result):
    """A few lines: each side's per-step milliseconds per repeat, medians, and the ratio."""
    def milliseconds(values):
        return ", ".join(f"{1000 * value:.2f}" for value in values)

    return "\n".join([
        f"model {result.key}: {result.steps} measured steps per repeat",
        f"Estimator            ms/step: {milliseconds(result.estimator_seconds)} "
        f"(median {1000 * statistics.median(result.estimator_seconds):.2f})",
        f"hand-written loop    ms/step: {milliseconds(result.loop_seconds)} "
        f"(median {1000 * statistics.median(result.loop_seconds):.2f})",
        f"ratio Estimator / hand-written: {result.ratio:.3f}",
    ])
