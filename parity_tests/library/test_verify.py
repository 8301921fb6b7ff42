"""`tf1-to-keras verify`: a team's own TF1 model and Keras port, named as FILE.py:FUNCTION, held
to the kit's checks without writing a test (docs/HOLD_YOUR_PORT.md's worked example).

The example's port passes from its TF1 program's checkpoint; its broken twin fails naming
the layer, as the page shows; without its name map the structure check lists what is
unmapped; a model of MNIST's shape gets the MNIST test images by default; and bad input
of every kind is one error line naming it, exit status 2, nothing written.
"""

import json
import pathlib
import re
import subprocess
import sys

import numpy as np
import pytest

from mnist_parity import cli, compare_report
from tf1_to_keras import cli as tf1_to_keras_cli
from tf1_to_keras import model_files

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "hold_your_port"
PAGE = ROOT / "docs" / "HOLD_YOUR_PORT.md"
TF1 = f"{EXAMPLE / 'churn_tf1.py'}:build_graph"
KERAS = f"{EXAMPLE / 'churn_keras.py'}:build_model"
NAME_MAP = str(EXAMPLE / "name_map.json")
COMPARE_KEYS = {"params", "shapes_match", "forward_max_abs_diff", "train_steps", "accuracy", "passed",
                "failures"}

SOFTMAX_FILE = """
import keras
import tensorflow.compat.v1 as tf

def build_graph():
    images = tf.placeholder(tf.float32, [None, 784], name="images")
    with tf.variable_scope("logits"):
        weights = tf.get_variable("weights", [784, 10], initializer=tf.glorot_uniform_initializer())
        biases = tf.get_variable("biases", [10], initializer=tf.zeros_initializer())
    return {"inputs": images, "outputs": tf.matmul(images, weights) + biases}

def build_model():
    return keras.Sequential([keras.Input((784,)), keras.layers.Dense(10, name="logits")])

def build_model_for_7_features():
    return keras.Sequential([keras.Input((7,)), keras.layers.Dense(10, name="logits")])

def build_raising():
    raise RuntimeError("the team's builder broke")

def build_returning_a_number():
    return 42

def build_returning_three():
    images = tf.placeholder(tf.float32, [None, 784], name="images")
    return images, images, images
"""

# A team's files as the issue had them: `build` returns `x, logits` (no taps, no training),
# and a port whose hidden2 lost its tanh, between two layers that are right.
MLP_TF1_FILE = """
import tensorflow.compat.v1 as tf

def dense(inputs, units, scope, activation=None):
    with tf.variable_scope(scope):
        weights = tf.get_variable("weights", [int(inputs.shape[1]), units])
        biases = tf.get_variable("biases", [units], initializer=tf.zeros_initializer())
        outputs = tf.matmul(inputs, weights) + biases
        return activation(outputs) if activation else outputs

def build():
    x = tf.placeholder(tf.float32, [None, 6], name="x")
    hidden1 = dense(x, 16, "hidden1", tf.nn.relu)
    hidden2 = dense(hidden1, 12, "hidden2", tf.nn.tanh)
    hidden3 = dense(hidden2, 8, "hidden3", tf.nn.relu)
    logits = dense(hidden3, 3, "logits")
    return x, logits
"""
MLP_KERAS_FILE = """
import keras

def build_model(hidden2_activation="tanh"):
    return keras.Sequential([
        keras.Input((6,)),
        keras.layers.Dense(16, activation="relu", name="hidden1"),
        keras.layers.Dense(12, activation=hidden2_activation, name="hidden2"),
        keras.layers.Dense(8, activation="relu", name="hidden3"),
        keras.layers.Dense(3, name="logits"),
    ])

def build_broken():
    return build_model(hidden2_activation=None)
"""


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """The example's TF1 program run as its docs say: DIR/model.ckpt and DIR/test.npz."""
    directory = tmp_path_factory.mktemp("churn")
    program = model_files.ModelFiles().module(str(EXAMPLE / "churn_tf1.py"), "--tf1")
    assert program.main(str(directory)) > 0.8  # it learned something worth converting
    return directory


def verify(out, *arguments):
    return cli.main(["verify", *arguments, "--out", str(out)])


def entry_of(out, name="build_model"):
    return json.loads((pathlib.Path(out) / "report.json").read_text())["models"][name]


def test_the_example_port_passes_from_the_tf1_checkpoint(trained, tmp_path, capsys):
    status = verify(tmp_path, "--tf1", TF1, "--keras", KERAS, "--name-map", NAME_MAP,
                    "--checkpoint", str(trained / "model.ckpt"), "--data", str(trained / "test.npz"))
    out = capsys.readouterr().out
    assert status == 0, out
    assert out.splitlines()[0].split() == " ".join(compare_report.COLUMNS).split()  # compare's table
    assert re.search(r"build_model +995 / 995 +match .* PASS", out)
    entry = entry_of(tmp_path)
    assert COMPARE_KEYS <= set(entry) and entry["passed"] is True and entry["skipped"] == {}
    assert entry["checks"] == ["structure", "forward", "training steps", "metric"]
    assert entry["forward_max_abs_diff"] <= 1e-5 and entry["train_steps"]["steps"] == 100
    assert entry["accuracy"]["tf1"] > 0.8  # from the trained checkpoint, not a fresh init
    assert "global_step" in entry["skipped_from_checkpoint"]
    assert (tmp_path / "report.md").read_text().count("| build_model |") == 1


def page_lines(*starts):
    """The lines of docs/HOLD_YOUR_PORT.md that start with one of `starts` (its shown output)."""
    return [line for line in PAGE.read_text(encoding="utf-8").splitlines() if line.startswith(starts)]


def normalized(line):
    return re.sub(r"[-+]?\d[\d.e+-]*", "#", line)


def test_the_broken_twin_fails_naming_the_layer_as_the_page_shows(trained, tmp_path, capsys):
    broken = f"{EXAMPLE / 'churn_keras_broken.py'}:build_model"
    status = verify(tmp_path, "--tf1", TF1, "--keras", broken, "--name-map", NAME_MAP,
                    "--data", str(trained / "test.npz"))
    out = capsys.readouterr().out
    assert status == 1
    failures = [line for line in out.splitlines() if line.startswith("FAIL ")]
    assert failures[0].startswith("FAIL forward: layer 'hidden2' output: max abs diff")
    assert entry_of(tmp_path)["first_divergent_layer"] == "hidden2"
    shown = page_lines("FAIL forward", "FAIL training")
    assert [normalized(line) for line in shown] == [normalized(line) for line in failures]


def test_without_the_name_map_structure_lists_what_is_unmapped(trained, tmp_path, capsys):
    status = verify(tmp_path, "--tf1", TF1, "--keras", KERAS, "--data", str(trained / "test.npz"))
    out = capsys.readouterr().out
    assert status == 1
    assert "FAIL structure: unmapped TF1 variable output/weights (3, 16)" in out
    assert "FAIL structure: unfilled Keras weight logits/kernel (16, 3)" in out
    assert set(page_lines("FAIL structure")) <= set(out.splitlines())  # as the page shows them
    entry = entry_of(tmp_path)
    assert entry["checks"] == ["structure"] and entry["shapes_match"] is False
    assert set(entry["skipped"]) == {"forward", "training steps", "metric"}


def test_a_model_of_mnist_shape_gets_the_mnist_test_images(tmp_path, capsys):
    (tmp_path / "softmax.py").write_text(SOFTMAX_FILE)
    spec = str(tmp_path / "softmax.py")
    status = verify(tmp_path / "out", "--tf1", f"{spec}:build_graph", "--keras", f"{spec}:build_model")
    assert status == 0, capsys.readouterr()
    entry = entry_of(tmp_path / "out")
    assert entry["examples"] == 10_000 and entry["forward_max_abs_diff"] <= 1e-5
    assert entry["skipped"]["training steps"] == "the files define no tf1_optimizer(), keras_optimizer(), keras_loss()"


@pytest.fixture
def team_mlp(tmp_path):
    """{"tf1": its build spec, "keras": the Keras file, "data": an npz of 200 examples}."""
    (tmp_path / "my_model.py").write_text(MLP_TF1_FILE)
    (tmp_path / "keras_model.py").write_text(MLP_KERAS_FILE)
    random = np.random.RandomState(0)
    np.savez(tmp_path / "examples.npz", x=random.normal(size=(200, 6)).astype(np.float32),
             y=random.randint(0, 3, size=200))
    return {"tf1": f"{tmp_path / 'my_model.py'}:build", "keras": str(tmp_path / "keras_model.py"),
            "data": str(tmp_path / "examples.npz")}


def test_a_builder_returning_x_and_logits_passes_through_tf1_to_keras_verify(team_mlp, tmp_path, capsys):
    status = tf1_to_keras_cli.main(["verify", "--tf1", team_mlp["tf1"], "--keras", f"{team_mlp['keras']}:build_model",
                                    "--data", team_mlp["data"], "--out", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert status == 0, out
    entry = entry_of(tmp_path / "out")
    assert entry["params"] == {"tf1": 447, "keras": 447} and entry["forward_max_abs_diff"] <= 1e-5
    assert entry["first_divergent_layer"] is None and entry["checks"] == ["structure", "forward"]


def test_a_port_broken_in_the_middle_fails_naming_that_layer_without_taps(team_mlp, tmp_path, capsys):
    status = verify(tmp_path / "out", "--tf1", team_mlp["tf1"], "--keras", f"{team_mlp['keras']}:build_broken",
                    "--data", team_mlp["data"])
    failures = [line for line in capsys.readouterr().out.splitlines() if line.startswith("FAIL ")]
    assert status == 1
    assert failures[0].startswith("FAIL forward: layer 'hidden2' output (TF1 hidden2/Tanh:0): max abs diff")
    assert failures[1].startswith("FAIL forward: outputs: max abs diff") and len(failures) == 2
    entry = entry_of(tmp_path / "out", "build_broken")
    assert entry["first_divergent_layer"] == "hidden2" and entry["localised_by"] == "name map"
    assert entry["forward_layers"]["hidden1"] <= 1e-5 < entry["forward_layers"]["hidden2"]


BAD_INPUT = {
    "no FILE": (["--tf1", "nowhere.py:build_graph"], "--tf1 'nowhere.py:build_graph': no such file"),
    "no FUNCTION": (["--tf1", "{softmax}"], "expected FILE.py:FUNCTION"),
    "FUNCTION not there": (["--tf1", "{softmax}:build_nothing"], "build_nothing is not defined there"),
    "builder raises": (["--tf1", "{softmax}:build_raising"],
                       "TF1 builder 'build_raising' raised RuntimeError: the team's builder broke"),
    "builder returns a number": (["--tf1", "{softmax}:build_returning_a_number"], "returned a int"),
    "builder returns a tuple of 3": (["--tf1", "{softmax}:build_returning_three"],
                                     "TF1 builder 'build_returning_three' returned a tuple of 3 "
                                     "(SymbolicTensor, SymbolicTensor, SymbolicTensor); expected a tuple "
                                     "(inputs, outputs) of tf.Tensors"),
    "file raises on import": (["--tf1", "{broken}:build_graph"], "raised ZeroDivisionError"),
    "input shape": (["--keras", "{softmax}:build_model_for_7_features"], "the model takes (N, 7)"),
    "name map names a missing weight": (["--name-map", "{map}"], "no Keras weight of that name"),
    "npz without y": (["--data", "{no_y}"], "no array y"),
    "npz with NaN": (["--data", "{nan}"], "holds 1 NaN"),
    "npz of strings": (["--data", "{strings}"], "expected floating point or integer numbers"),
    "steps": (["--steps", "0"], "--steps 0; expected at least 1"),
    "no --data for a model not of MNIST's shape": (["--tf1", TF1, "--keras", KERAS, "--name-map", NAME_MAP],
                                                    "not 28x28 MNIST images; give your own examples with --data"),
}


@pytest.fixture
def bad_files(tmp_path):
    """{name: path} of the files the bad-input cases name."""
    (tmp_path / "softmax.py").write_text(SOFTMAX_FILE)
    (tmp_path / "broken.py").write_text("RATE = 1 / 0\n")
    (tmp_path / "map.json").write_text(json.dumps({"table": {"logits/weights": "logits/kernl"}}))
    x = np.zeros((4, 784), np.float32)
    np.savez(tmp_path / "no_y.npz", x=x)
    np.savez(tmp_path / "nan.npz", x=np.where(np.arange(4 * 784).reshape(4, 784) == 5, np.nan, x), y=np.zeros(4))
    np.savez(tmp_path / "strings.npz", x=np.array([["a"] * 784] * 4), y=np.zeros(4))
    return {name: str(tmp_path / file) for name, file in (
        ("softmax", "softmax.py"), ("broken", "broken.py"), ("map", "map.json"), ("no_y", "no_y.npz"),
        ("nan", "nan.npz"), ("strings", "strings.npz"))}


@pytest.mark.parametrize("case", sorted(BAD_INPUT))
def test_bad_input_is_one_error_line_exit_2_and_nothing_written(case, bad_files, tmp_path, capsys):
    flags, expected = BAD_INPUT[case]
    chosen = {"--tf1": f"{bad_files['softmax']}:build_graph", "--keras": f"{bad_files['softmax']}:build_model"}
    chosen.update(zip(flags[::2], [flag.format(**bad_files) for flag in flags[1::2]]))
    status = verify(tmp_path / "out", *[part for pair in chosen.items() for part in pair])
    error = capsys.readouterr().err
    assert status == 2
    # One error, on one line or, for a list of misfits, one line and the list under it.
    assert error.startswith("mnist-parity: error: ") and error.count("error:") == 1, error
    assert expected in error, error
    assert not (tmp_path / "out").exists()


def test_the_command_line_exits_2_with_one_line_before_loading_anything(tmp_path):
    result = subprocess.run([sys.executable, "-m", "mnist_parity.cli", "verify", "--tf1", "nowhere.py:build",
                             "--keras", "nowhere.py:build", "--out", str(tmp_path / "out")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == "mnist-parity: error: --tf1 'nowhere.py:build': no such file nowhere.py\n"
    assert not (tmp_path / "out").exists()
