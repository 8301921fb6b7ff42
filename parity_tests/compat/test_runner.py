"""`python -m legacy_tf1 run PROGRAM.py`: unmodified TF 1.x programs on TF 2.21.

The runner switches the process to TF 1.x behaviour, so every program runs in a
subprocess; the import redirection itself is also checked in-process, where it
needs no switch. The programs in `programs/` are written exactly as TF 1.x code.
"""

import importlib
import json
import math
import os
import re

import pytest

import legacy_tf1.compat
from legacy_tf1 import program_imports, runner
from legacy_tf1.compat import _not_provided
from program_runs import PROGRAMS, describe, printed_value, run_command, run_tf1_program


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
    assert program_imports.layer_module_name(tensorflow_name) == layer_name


def run_as_program(source):
    """Executes `source` with a TF 1.x program's builtins; returns its namespace."""
    namespace = {"__builtins__": program_imports.program_builtins()}
    exec(compile(source, "program.py", "exec"), namespace)
    return namespace


def test_program_imports_reach_the_layer():
    namespace = {"__builtins__": program_imports.program_builtins()}
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


def test_tensorflow_internals_pass_through_to_tf_2_21():
    namespace = run_as_program(
        "import tensorflow as tf\n"
        "from tensorflow.python.client import timeline\n"
        "import tensorflow.python.framework.ops as ops\n"
        "from tensorflow.core.framework import graph_pb2\n"
        "import tensorflow.python.client.timeline\n")
    assert namespace["timeline"] is importlib.import_module("tensorflow.python.client.timeline")
    assert namespace["ops"] is importlib.import_module("tensorflow.python.framework.ops")
    assert namespace["graph_pb2"] is importlib.import_module("tensorflow.core.framework.graph_pb2")
    assert namespace["tf"] is legacy_tf1.compat  # `import tensorflow.python...` binds the layer


FFMPEG_REASON = _not_provided.KNOWN_GAPS["tf.contrib.ffmpeg"]


@pytest.mark.parametrize("statement, api, reason", [
    ("from tensorflow.contrib import ffmpeg", "tf.contrib.ffmpeg", FFMPEG_REASON),
    ("import tensorflow.contrib.ffmpeg as ffmpeg", "tf.contrib.ffmpeg", FFMPEG_REASON),
    ("from tensorflow.contrib.tensor_forest.python import tensor_forest",
     "tf.contrib.tensor_forest", "its kernels (TensorForest*) are gone from TF 2.21"),
    ("from tensorflow.examples.tutorials.mnist import download",
     "tf.examples.tutorials.mnist.download", "it supplies input_data and mnist"),
    ("from tensorflow.python.ops import no_such_op_module", "tensorflow.python.ops.no_such_op_module",
     "TF 2.21's tensorflow.python.ops has no 'no_such_op_module'"),
    ("import tensorflow.python.no_such_package", "tensorflow.python.no_such_package",
     "TF 2.21 has no module 'tensorflow.python.no_such_package'"),
], ids=["from-import", "import-as", "known-gap", "tutorial-module", "internal-name", "internal-module"])
def test_unprovided_import_names_the_api_and_why(statement, api, reason):
    with pytest.raises(ModuleNotFoundError) as raised:
        run_as_program(statement)
    assert _not_provided.is_not_provided(raised.value)
    assert str(raised.value) == f"TF 1.x API '{api}' is not provided by legacy_tf1.compat ({reason})"


def test_an_unprovided_api_is_reported_in_one_line_at_the_programs_line(tmp_path, capsys):
    program = tmp_path / "forest.py"
    program.write_text("import tensorflow as tf\n\n"
                       "def hyper_parameters():\n"
                       "  return tf.contrib.tensor_forest.python.tensor_forest.ForestHParams()\n")
    namespace = {"__builtins__": program_imports.program_builtins()}
    exec(compile(program.read_text(), str(program), "exec"), namespace)
    with pytest.raises(AttributeError) as raised:
        namespace["hyper_parameters"]()
    runner.report_failure(raised.value, str(program))
    assert capsys.readouterr().err.splitlines() == [
        f"{program}:4: TF 1.x API 'tf.contrib.tensor_forest' is not provided by legacy_tf1.compat "
        "(its kernels (TensorForest*) are gone from TF 2.21)"]


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
    result = run_tf1_program("graph_features.py", "--hidden_units", "256", "--log_dir", "/tmp/summaries")
    assert result.returncode == 0, describe(result)
    report = json.loads(printed_value(result.stdout, "REPORT"))
    assert report["executing_eagerly"] is False  # the runner switched to TF 1.x behaviour
    assert report["tf_name"] == "legacy_tf1.compat"
    assert report["v1_layers"] == "legacy_tf1.compat.layers"
    assert {"W1:0", "logits/kernel:0", "logits/bias:0", "global_step:0"} <= set(report["variables"])
    assert report["W1_shape"] == [784, 256]
    assert report["W1_max_abs"] <= math.sqrt(6.0 / (784 + 256))  # xavier, read by tensor name
    assert report["global_step"] == 1  # optimize_loss incremented it
    assert report["log_dir"] == "/tmp/summaries"  # the program's flag, not absl.logging's
    # No noise the program did not cause: the runner's own deprecation notice is hidden, TF's
    # notice appears once under tf.app.run (absl's handler would repeat it), and tf.layers'
    # warning names the program's module, not the layer.
    assert "disable_resource_variables" not in result.stderr, describe(result)
    assert result.stderr.count("softmax_cross_entropy_with_logits (from tensorflow") == 1, describe(result)
    assert re.search(r"graph_helpers\.py:\d+: UserWarning: `tf\.layers\.dense` is deprecated",
                     result.stderr), describe(result)
    assert "legacy_tf1/compat" not in result.stderr, describe(result)


def test_unprovided_api_fails_with_status_1_and_one_line_naming_it():
    result = run_tf1_program("missing_api.py")
    assert result.returncode == 1, describe(result)
    assert result.stderr.strip().splitlines()[-1] == (
        f"{os.path.join(PROGRAMS, 'missing_api.py')}:4: TF 1.x API 'tf.contrib.tensor_forest' is not "
        f"provided by legacy_tf1.compat ({_not_provided.KNOWN_GAPS['tf.contrib.tensor_forest']})"), describe(result)
    assert "Traceback" not in result.stderr, describe(result)
    assert "forest is" not in result.stdout


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
