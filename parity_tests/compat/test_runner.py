"""`python -m legacy_tf1 run PROGRAM.py`: unmodified TF 1.x programs on TF 2.21.

The runner switches the process to TF 1.x behaviour, so every program runs in a
subprocess; the import redirection itself is also checked in-process, where it
needs no switch. The programs in `programs/` are written exactly as TF 1.x code.
"""

import json
import math
import os
import re
import subprocess
import sys

import pytest

import legacy_tf1.compat
from legacy_tf1 import runner

PROGRAMS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "programs")
PROGRAM_TIMEOUT_SECONDS = 300


def run_command(arguments, timeout=PROGRAM_TIMEOUT_SECONDS):
    """Runs `python ARGUMENTS` in a subprocess; returns the CompletedProcess (text)."""
    environment = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    return subprocess.run([sys.executable, *arguments], capture_output=True, text=True,
                          timeout=timeout, env=environment)


def run_tf1_program(name, *arguments, timeout=PROGRAM_TIMEOUT_SECONDS):
    """Runs programs/NAME through the runner."""
    return run_command(["-m", "legacy_tf1", "run", os.path.join(PROGRAMS, name), *arguments], timeout)


def printed_value(output, prefix):
    """The value after the last line starting with `prefix` (fails listing the output)."""
    lines = [line for line in output.splitlines() if line.startswith(prefix)]
    assert lines, f"no line starting with {prefix!r} in output:\n{output}"
    return lines[-1][len(prefix):].strip()


def describe(result):
    return f"status {result.returncode}\nstdout:\n{result.stdout}\nstderr (tail):\n{result.stderr[-3000:]}"


# --- import redirection, in-process (no TF1 switch needed) ---------------------------------------

@pytest.mark.parametrize("tensorflow_name, layer_name", [
    ("tensorflow", "legacy_tf1.compat"),
    ("tensorflow.compat.v1", "legacy_tf1.compat"),
    ("tensorflow.compat.v1.layers", "legacy_tf1.compat.layers"),
    ("tensorflow.contrib.learn.python.learn.estimators.model_fn",
     "legacy_tf1.compat.contrib.learn.python.learn.estimators.model_fn"),
    ("tensorflow.examples.tutorials.mnist", "legacy_tf1.compat.examples.tutorials.mnist"),
])
def test_module_names_follow_the_layer_rule(tensorflow_name, layer_name):
    assert runner.layer_module_name(tensorflow_name) == layer_name


def test_program_imports_reach_the_layer():
    namespace = {"__builtins__": runner.program_builtins()}
    exec(compile(
        "import tensorflow as tf\n"
        "import tensorflow.compat.v1 as tf_v1\n"
        "import tensorflow.contrib.layers as contrib_layers\n"
        "from tensorflow.contrib.framework import get_global_step\n"
        "from tensorflow.examples.tutorials.mnist import input_data\n"
        "from tensorflow.nn import relu\n", "program.py", "exec"), namespace)
    layer = legacy_tf1.compat
    assert namespace["tf"] is layer and namespace["tf_v1"] is layer
    assert namespace["contrib_layers"] is layer.contrib.layers
    assert namespace["get_global_step"] is layer.contrib.framework.get_global_step
    assert namespace["input_data"].__name__ == "legacy_tf1.compat.examples.tutorials.mnist.input_data"
    assert namespace["relu"] is layer.nn.relu
    assert legacy_tf1.compat.executing_eagerly()  # redirecting imports switched nothing


@pytest.mark.parametrize("statement, error, api", [
    ("from tensorflow.contrib import slim", ImportError, "tf.contrib.slim"),
    ("import tensorflow.contrib.slim as slim", ModuleNotFoundError, "tensorflow.contrib.slim"),
    ("from tensorflow.python.framework import ops", ModuleNotFoundError, "tensorflow.python.framework"),
], ids=["from-import", "import-as", "internal-module"])
def test_unprovided_import_names_the_api(statement, error, api):
    namespace = {"__builtins__": runner.program_builtins()}
    with pytest.raises(error, match=re.escape(api)):
        exec(compile(statement, "program.py", "exec"), namespace)


def test_exit_status_follows_the_interpreter():
    assert [runner.exit_status(code) for code in (None, 0, 3, "stopped")] == [0, 0, 3, 1]


def test_missing_program_file_is_a_usage_error(tmp_path, capsys):
    assert runner.main(["run", str(tmp_path / "absent.py")]) == 2
    assert "absent.py" in capsys.readouterr().err
    assert legacy_tf1.compat.executing_eagerly()  # refused before switching anything


# --- programs run through `python -m legacy_tf1 run` ----------------------------------------------

def test_tf1_softmax_program_learns():
    result = run_tf1_program("mnist_softmax.py", "--steps", "200")
    assert result.returncode == 0, describe(result)
    accuracy = float(printed_value(result.stdout, "test accuracy"))
    assert accuracy > 0.85, describe(result)


def test_program_gets_its_argv_and_its_exit_status():
    result = run_tf1_program("exit_with_status.py", "3", "--flag", "value")
    assert result.returncode == 3, describe(result)
    argv = json.loads(printed_value(result.stdout, "ARGV"))
    assert argv == [os.path.join(PROGRAMS, "exit_with_status.py"), "3", "--flag", "value"]


def test_graph_program_its_flags_and_its_sibling_module_use_the_layer():
    result = run_tf1_program("graph_features.py", "--hidden_units", "256")
    assert result.returncode == 0, describe(result)
    report = json.loads(printed_value(result.stdout, "REPORT"))
    assert report["executing_eagerly"] is False  # the runner switched to TF 1.x behaviour
    assert report["tf_name"] == "legacy_tf1.compat"
    assert report["v1_layers"] == "legacy_tf1.compat.layers"
    assert {"W1:0", "logits/kernel:0", "logits/bias:0", "global_step:0"} <= set(report["variables"])
    assert report["W1_shape"] == [784, 256]
    assert report["W1_max_abs"] <= math.sqrt(6.0 / (784 + 256))  # xavier, read by tensor name
    assert report["global_step"] == 1  # optimize_loss incremented it


def test_unprovided_api_fails_with_status_1_naming_it():
    result = run_tf1_program("missing_api.py")
    assert result.returncode == 1, describe(result)
    assert "Traceback" in result.stderr and "tf.contrib.slim" in result.stderr, describe(result)
    assert "slim is" not in result.stdout


# --- the kit's own legacy programs, as commands ---------------------------------------------------

def test_softmax_regression_command_prints_test_accuracy():
    result = run_command(["-m", "legacy_tf1.models.softmax_regression", "--steps", "100", "--seed", "0"])
    assert result.returncode == 0, describe(result)
    assert float(printed_value(result.stdout, "test accuracy")) > 0.8, describe(result)


def test_core_convnet_command_trains_evaluates_and_saves(tmp_path):
    save_path = tmp_path / "checkpoint" / "model.ckpt"
    result = run_command(["-m", "legacy_tf1.models.core_convnet", "--steps", "30", "--steps_per_epoch",
                          "15", "--save_path", str(save_path), "--seed", "0"])
    assert result.returncode == 0, describe(result)
    epoch_lines = [line for line in result.stdout.splitlines() if re.match(r"epoch \d+, test accuracy", line)]
    assert len(epoch_lines) == 2, describe(result)
    assert float(printed_value(result.stdout, "test accuracy")) > 0.15, describe(result)
    assert os.path.isfile(f"{save_path}.index"), describe(result)


# --- full recipes (slow) --------------------------------------------------------------------------

@pytest.mark.slow
def test_tf1_softmax_program_full_run_reaches_reported_accuracy():
    result = run_tf1_program("mnist_softmax.py")
    assert result.returncode == 0, describe(result)
    assert float(printed_value(result.stdout, "test accuracy")) > 0.9, describe(result)


@pytest.mark.slow
def test_core_convnet_full_run_reaches_reported_accuracy(tmp_path):
    result = run_command(["-m", "legacy_tf1.models.core_convnet", "--epochs", "5", "--seed", "0",
                          "--save_path", str(tmp_path / "model.ckpt")], timeout=3600)
    assert result.returncode == 0, describe(result)
    assert float(printed_value(result.stdout, "test accuracy")) > 0.95, describe(result)
