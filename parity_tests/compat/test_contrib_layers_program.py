"""A TF 1.x tf.contrib.layers CNN program, run unmodified through `python -m legacy_tf1 run`.

programs/contrib_layers_cnn.py builds its network with contrib's conv2d, max_pool2d,
flatten, fully_connected, dropout and batch_norm (through arg_scope, with an
is_training placeholder), adds an l1_regularizer penalty with apply_regularization,
and writes summarize_tensors summaries with a FileWriter. The test checks what it
printed and the events file it wrote.
"""

import glob
import math
import os
import re

import pytest

import legacy_tf1.compat as tf
from program_runs import describe, printed_value, run_tf1_program

# Small widths and a short run: 200 steps of 50 reached 0.955-0.959 test accuracy
# in four runs (seed 0 and 1; the batch order is not seeded, as in TF1's input_data).
PROGRAM_ARGUMENTS = ("--max_steps", "200", "--log_every", "50", "--conv1_filters", "8",
                     "--conv2_filters", "16", "--hidden_units", "64", "--seed", "0")
ACCURACY_FLOOR = 0.90
L1_SCALE = 1e-5  # the program's default --l1_scale
LOGGED_STEPS = [0, 50, 100, 150, 199]
SCALAR_TAGS = {"cross_entropy_summary", "get_regularization_penalty_summary", "total_loss_summary",
               "accuracy_summary"}
WEIGHTS = ("conv1/weights", "conv2/weights", "fc3/weights", "logits/weights")


@pytest.fixture(scope="module")
def program_run(tmp_path_factory):
    """The program's CompletedProcess and its log directory (one run for the module)."""
    log_dir = tmp_path_factory.mktemp("contrib_layers_cnn_logs")
    data_dir = tmp_path_factory.mktemp("mnist_data")  # empty: the bundled MNIST is used
    result = run_tf1_program("contrib_layers_cnn.py", *PROGRAM_ARGUMENTS, "--log_dir", str(log_dir),
                             "--data_dir", str(data_dir))
    return result, log_dir


def printed_variables(stdout):
    """{name: shape} from the program's `variable NAME [SHAPE]` lines."""
    matches = re.findall(r"^variable (\S+) \[([\d, ]*)\]$", stdout, re.MULTILINE)
    return {name: [int(size) for size in shape.split(",") if size.strip()] for name, shape in matches}


def summaries_by_step(log_dir):
    """{step: {tag: simple value, or 'histogram'}} from the events file in `log_dir`."""
    (path,) = glob.glob(os.path.join(str(log_dir), "events.out.tfevents.*"))
    steps = {}
    for event in tf.train.summary_iterator(path):
        for value in event.summary.value:
            kind = value.WhichOneof("value")
            steps.setdefault(event.step, {})[value.tag] = (
                value.simple_value if kind == "simple_value" else "histogram")
    return steps


def expected_initial_l1_penalty(variables):
    """L1_SCALE * E[sum |w|] for xavier-uniform weights: each |w| averages limit / 2."""
    total = 0.0
    for name in WEIGHTS:
        shape = variables[name]
        receptive_field = math.prod(shape[:-2])
        fan_in, fan_out = shape[-2] * receptive_field, shape[-1] * receptive_field
        total += math.prod(shape) * math.sqrt(6.0 / (fan_in + fan_out)) / 2
    return L1_SCALE * total


def test_contrib_layers_cnn_learns_with_contrib_variable_names(program_run):
    result, _ = program_run
    assert result.returncode == 0, describe(result)
    assert float(printed_value(result.stdout, "test accuracy")) > ACCURACY_FLOOR, describe(result)
    variables = printed_variables(result.stdout)
    model_variables = {name: shape for name, shape in variables.items()
                       if not re.search(r"Adam|_power$", name)}
    batch_norms = {f"{layer}/BatchNorm/{name}": [width] for layer, width in
                   (("conv1", 8), ("conv2", 16), ("fc3", 64))
                   for name in ("beta", "moving_mean", "moving_variance")}
    assert model_variables == {  # normalizer_fn replaced the biases; scale=False: no gamma
        "conv1/weights": [5, 5, 1, 8], "conv2/weights": [5, 5, 8, 16], "fc3/weights": [784, 64],
        "logits/weights": [64, 10], "logits/biases": [10], **batch_norms}, describe(result)


def test_contrib_layers_cnn_writes_its_summaries(program_run):
    result, log_dir = program_run
    assert result.returncode == 0, describe(result)
    steps = summaries_by_step(log_dir)
    assert sorted(steps) == LOGGED_STEPS
    histogram_tags = {f"{name}_summary" for name in WEIGHTS}
    for step, values in steps.items():
        assert set(values) == SCALAR_TAGS | histogram_tags, step
        assert all(values[tag] == "histogram" for tag in histogram_tags), step
        assert values["total_loss_summary"] == pytest.approx(
            values["cross_entropy_summary"] + values["get_regularization_penalty_summary"], rel=1e-5)
    printed_accuracy = float(printed_value(result.stdout, f"step {LOGGED_STEPS[-1]}, training accuracy"))
    assert steps[LOGGED_STEPS[-1]]["accuracy_summary"] == pytest.approx(printed_accuracy, abs=1e-6)
    # At step 0 the penalty is l1_scale * sum |w| of the xavier-initialized weights.
    expected = expected_initial_l1_penalty(printed_variables(result.stdout))
    assert steps[0]["get_regularization_penalty_summary"] == pytest.approx(expected, rel=0.03)
