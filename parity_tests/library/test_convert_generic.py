"""`mnist-parity convert SRC DST --tf1 FILE.py:FUNCTION --keras FILE.py:FUNCTION [--name-map FILE]`:
any model's checkpoint to Keras and back through the harness's name map, with each
transform's inverse for the way back; verified, staged, and never half-written.

The written files are checked independently of the command's own verification: the
weights read back from them against the TF1 checkpoint's, tensor by tensor.
"""

import json
import os
import pathlib
import shutil

import keras
import numpy as np
import pytest

import legacy_tf1.compat as tf
from mnist_parity import cli
from tf1_to_keras import harness, model_files
from tf1_to_keras.harness import rnn_weights
from tf1_to_keras.harness import errors, inverses

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "hold_your_port"
TWINS = ROOT / "parity_tests" / "library" / "harness" / "harness_twins.py"
TF1 = f"{EXAMPLE / 'churn_tf1.py'}:build_graph"
KERAS = f"{EXAMPLE / 'churn_keras.py'}:build_model"
NAME_MAP = str(EXAMPLE / "name_map.json")

LSTM_PORT = """
import keras

import harness_twins as twins
import legacy_tf1.compat as tf

build_graph = twins.rnn_builder(tf.nn.rnn_cell.BasicLSTMCell)

def build_model():
    return twins.keras_rnn(keras.layers.LSTM)
"""


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """The example's TF1 program run as its docs say: DIR/model.ckpt and DIR/test.npz."""
    directory = tmp_path_factory.mktemp("churn")
    model_files.ModelFiles().module(str(EXAMPLE / "churn_tf1.py"), "--tf1").main(str(directory))
    return directory


def checkpoint_values(prefix):
    reader = tf.train.load_checkpoint(str(prefix))
    return {name: reader.get_tensor(name) for name in reader.get_variable_to_shape_map()}


def convert(source, destination, *flags):
    return cli.main(["convert", str(source), str(destination), *flags])


def leftovers(directory):
    return [name for name in os.listdir(directory) if name.startswith(".tmp-")]


@pytest.mark.parametrize("suffix", [".keras", ".weights.h5"])
def test_the_example_converts_to_keras_and_back_bitwise(suffix, trained, tmp_path, capsys):
    flags = ["--tf1", TF1, "--keras", KERAS, "--name-map", NAME_MAP, "--data", str(trained / "test.npz")]
    keras_file = tmp_path / f"churn{suffix}"
    assert convert(trained / "model.ckpt", keras_file, *flags) == 0
    out = capsys.readouterr().out
    assert "  output/weights <-> logits/kernel (16, 3)" in out and "global_step" in out
    assert "max logit difference on 500 examples:" in out
    source = checkpoint_values(trained / "model.ckpt")
    model = keras.saving.load_model(keras_file) if suffix == ".keras" else None
    if model is None:
        model = model_files.ModelFiles().function(KERAS, "--keras")()
        model.load_weights(keras_file)
    np.testing.assert_array_equal(model.get_layer("logits").kernel.numpy(), source["output/weights"].T)
    np.testing.assert_array_equal(model.get_layer("hidden1").bias.numpy(), source["hidden1/biases"])
    assert convert(keras_file, tmp_path, *flags) == 0  # an existing directory: DIR/model.ckpt-0
    back = checkpoint_values(tmp_path / "model.ckpt-0")
    model_names = ["hidden1/weights", "hidden1/biases", "hidden2/weights", "hidden2/biases", "output/weights",
                   "output/biases"]
    assert set(model_names) <= set(back)
    for name in model_names:
        np.testing.assert_array_equal(back[name], source[name], err_msg=name)
    assert tf.train.latest_checkpoint(str(tmp_path)).endswith("model.ckpt-0")
    assert leftovers(tmp_path) == []


def test_a_builder_returning_inputs_and_outputs_converts_as_the_dict_does(trained, tmp_path):
    shutil.copy(EXAMPLE / "churn_tf1.py", tmp_path / "churn_tf1.py")
    (tmp_path / "churn_pair.py").write_text(
        "import churn_tf1\n\n\ndef build_graph():\n    endpoints = churn_tf1.build_graph()\n"
        "    return endpoints['inputs'], endpoints['outputs']\n")
    flags = ["--tf1", f"{tmp_path / 'churn_pair.py'}:build_graph", "--keras", KERAS, "--name-map", NAME_MAP,
             "--data", str(trained / "test.npz")]
    assert convert(trained / "model.ckpt", tmp_path / "churn.keras", *flags) == 0
    kernel = keras.saving.load_model(tmp_path / "churn.keras").get_layer("logits").kernel.numpy()
    np.testing.assert_array_equal(kernel, checkpoint_values(trained / "model.ckpt")["output/weights"].T)


@pytest.mark.filterwarnings("ignore:`tf.nn.rnn_cell.*is deprecated:UserWarning")  # TF 1.x's own notice
def test_an_lstm_goes_back_to_tf1_through_the_cell_transforms_inverse(tmp_path, capsys):
    shutil.copy(TWINS, tmp_path / "harness_twins.py")
    (tmp_path / "lstm_port.py").write_text(LSTM_PORT)
    (tmp_path / "map.json").write_text(json.dumps(
        {"transforms": {"rnn": {"transform": "lstm_cell", "scope": "rnn/basic_lstm_cell"}}}))
    build_graph = model_files.ModelFiles().function(f"{tmp_path / 'lstm_port.py'}:build_graph", "--tf1")
    import harness_twins as twins  # the copy lstm_port.py loaded (or the harness tests' own)
    x, y = twins.sequence_data()
    np.savez(tmp_path / "sequences.npz", x=x, y=y)
    with harness.TF1Model.from_builder(build_graph, seed=0) as tf1:
        tf1.train_steps(harness.make_batches(x, y, 16, 3), lambda: tf.train.AdamOptimizer(0.01))
        with tf1.graph.as_default():
            prefix = tf.train.Saver().save(tf1.session, str(tmp_path / "model.ckpt"))
    spec = str(tmp_path / "lstm_port.py")
    flags = ["--tf1", f"{spec}:build_graph", "--keras", f"{spec}:build_model", "--name-map",
             str(tmp_path / "map.json"), "--data", str(tmp_path / "sequences.npz")]
    assert convert(prefix, tmp_path / "lstm.weights.h5", *flags) == 0
    assert convert(tmp_path / "lstm.weights.h5", tmp_path / "back.ckpt", *flags) == 0, capsys.readouterr()
    source, back = checkpoint_values(prefix), checkpoint_values(tmp_path / "back.ckpt")
    kernel, bias = "rnn/basic_lstm_cell/kernel", "rnn/basic_lstm_cell/bias"
    np.testing.assert_array_equal(back[kernel], source[kernel])
    # The forget bias went in (+1.0) and came out (-1.0) in float32: equal to its rounding.
    np.testing.assert_allclose(back[bias], source[bias], rtol=0, atol=1e-6)
    assert not np.array_equal(source[kernel], np.zeros_like(source[kernel]))


def random_arrays(*shapes):
    random = np.random.RandomState(0)
    return [random.normal(size=shape).astype(np.float32) for shape in shapes]


@pytest.mark.parametrize("cell", ["lstm_cell", "gru_cell", "simple_rnn_cell"])
def test_each_cell_transform_inverts(cell):
    scope = "rnn/cell"
    variables = {
        "lstm_cell": dict(zip(("kernel", "bias"), random_arrays((7, 16), (16,)))),
        "gru_cell": dict(zip(("gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias"),
                             random_arrays((7, 8), (8,), (7, 4), (4,)))),
        "simple_rnn_cell": dict(zip(("kernel", "bias"), random_arrays((7, 4), (4,))))}[cell]
    forward = {"lstm_cell": rnn_weights.lstm_to_keras, "gru_cell": rnn_weights.gru_to_keras,
               "simple_rnn_cell": rnn_weights.simple_rnn_to_keras}[cell]
    keras_weights = forward({f"{scope}/{name}": array for name, array in variables.items()}, scope)
    back = inverses.CELLS[cell](*keras_weights)
    assert sorted(back) == sorted(variables)
    for name, array in variables.items():
        np.testing.assert_allclose(back[name], array, rtol=0, atol=1e-6 if cell == "lstm_cell" else 0)
    if cell == "lstm_cell":  # the gates' order is undone too, not only the forget bias
        assert not np.array_equal(np.concatenate(keras_weights[:2])[:, 4:8], variables["kernel"][:, 4:8])


def test_array_transforms_invert_and_a_python_function_is_refused():
    tf1 = dict(zip(("a", "b", "c"), random_arrays((2, 3, 4), (6,), (3,))))
    keras_shapes = {"x/kernel": np.zeros((4, 2, 3)), "x/bias": np.zeros((2, 3)), "y/bias": np.zeros((3,))}
    name_map = harness.NameMap(table={"a": "x/kernel", "b": "x/bias", "c": "y/bias"},
                               transforms={"x/kernel": harness.transpose([2, 0, 1]), "x/bias": harness.reshape([2, 3])})
    mapping = name_map.resolve(tf1, keras_shapes)
    back = mapping.invert(mapping.convert(tf1), {name: array.shape for name, array in tf1.items()})
    for name, array in tf1.items():
        np.testing.assert_array_equal(back[name], array)
    doubled = harness.NameMap(transforms={"y/bias": lambda array: array * 2}).resolve({"c": tf1["c"]},
                                                                                      {"y/bias": tf1["c"]})
    with pytest.raises(errors.NameMapError, match="custom:<lambda>.* has no inverse"):
        doubled.invert({"y/bias": tf1["c"]}, {"c": (3,)})


def test_a_port_that_computes_otherwise_fails_verification_and_writes_nothing(trained, tmp_path, capsys):
    broken = f"{EXAMPLE / 'churn_keras_broken.py'}:build_model"
    status = convert(trained / "model.ckpt", tmp_path / "churn.keras", "--tf1", TF1, "--keras", broken,
                     "--name-map", NAME_MAP, "--data", str(trained / "test.npz"))
    assert status == 1
    assert "verification failed" in capsys.readouterr().err
    assert os.listdir(tmp_path) == []


BAD_INPUT = {
    "--model and --tf1": (["--model", "lenet5", "--tf1", TF1, "--keras", KERAS], "not both"),
    "--tf1 alone": (["--tf1", TF1], "give --model KEY, or both --tf1"),
    "--name-map with --model": (["--model", "lenet5", "--name-map", NAME_MAP], "--name-map only go with --tf1"),
    "no FUNCTION": (["--tf1", f"{EXAMPLE / 'churn_tf1.py'}:nothing", "--keras", KERAS, "--name-map", NAME_MAP,
                     "--data", "{data}"], "nothing is not defined there"),
    "no --data for a non-MNIST model": (["--tf1", TF1, "--keras", KERAS, "--name-map", NAME_MAP],
                                        "give your own examples with --data"),
    "a checkpoint of another model": (["--tf1", "{softmax}:build_graph", "--keras", "{softmax}:build_model"],
                                      "logits/kernel (12, 3): not in the checkpoint"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUT))
def test_bad_input_is_an_error_exit_2_and_nothing_written(case, trained, tmp_path, capsys):
    (tmp_path / "softmax.py").write_text(
        "import keras\nimport tensorflow.compat.v1 as tf\n"
        "def build_graph():\n"
        "    x = tf.placeholder(tf.float32, [None, 12])\n"
        "    w = tf.get_variable('logits/kernel', [12, 3])\n"
        "    return {'inputs': x, 'outputs': tf.matmul(x, w)}\n"
        "def build_model():\n"
        "    return keras.Sequential([keras.Input((12,)), keras.layers.Dense(3, use_bias=False, name='logits')])\n")
    flags, expected = BAD_INPUT[case]
    flags = [flag.format(data=trained / "test.npz", softmax=tmp_path / "softmax.py") for flag in flags]
    output = tmp_path / "out"
    output.mkdir()
    if case == "a checkpoint of another model":
        flags += ["--data", str(trained / "test.npz")]
    status = convert(trained / "model.ckpt", output / "churn.keras", *flags)
    error = capsys.readouterr().err
    assert status == 2 and error.startswith("mnist-parity: error: ") and expected in error, error
    assert os.listdir(output) == []
