"""`tf1-to-keras port` end to end: the kit's TF1 programs (and a variant) ported automatically,
held to the hand literals and the hand-written twins; bad input refused with nothing written; a
port that does not verify reported as a failure (exit status 1, port.json saying why).

lenet5 runs by default (a capture subprocess and the verification, ~8 s); the other programs
are `slow`. The failing ports use a small TF1 program of the test's own.
"""

import json
import os
import textwrap

import numpy as np
import pytest

import legacy_tf1.compat as tf
from mnist_core import exit_codes
from tf1_to_keras.porting import capture, engine, port_record, certification, weights
from model_facts import EXPECTED_LAYER_PARAMETERS, EXPECTED_TOTAL_PARAMETERS

from . import conftest, hand_recognised
from .port_runs import port

KIT = ["lenet5", "softmax_regression", "deep_cnn", "layers_cnn", "core_convnet", "layers_cnn_contrib_learn"]
DEFAULT_RUN = ("lenet5",)
# Variants of a kit program held to the hand-written twin and literals of the program they vary.
TWIN_OF = {"layers_cnn_contrib_learn": "layers_cnn"}
# Graph-root variables give no scope to name a layer by: Keras' default names, in order.
TWIN_NAMES = {
    "softmax_regression": {"dense": "linear"},
    "core_convnet": dict(zip(["conv2d", "conv2d_1", "max_pooling2d", "conv2d_2", "conv2d_3", "max_pooling2d_1",
                              "flatten", "dense", "dropout", "dense_1"],
                             ["c1", "c2", "pool1", "c3", "c4", "pool2", "flatten", "d1", "dropout", "out"])),
}
FILES = ["model.py", "model.weights.h5", "port.json"]
TF1_OPTIMIZERS = {"lenet5": "GradientDescentOptimizer", "softmax_regression": "GradientDescentOptimizer",
                  "deep_cnn": "AdamOptimizer", "layers_cnn": "GradientDescentOptimizer",
                  "core_convnet": "AdamOptimizer", "layers_cnn_contrib_learn": "GradientDescentOptimizer"}

SMALL_PROGRAM = """
import numpy as np
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 6], name="x")
y = tf.placeholder(tf.int64, [None], name="y")
hidden = tf.layers.dense(x, 5, tf.nn.relu, name="hidden")
{extra}
logits = tf.layers.dense(hidden, 3, name="logits")
loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
with tf.Session() as session:
    session.run(tf.global_variables_initializer())
    session.run(train, {{x: np.ones((4, 6), np.float32), y: np.zeros(4, np.int64)}})
"""


def write_program(directory, extra="", name="small.py"):
    path = directory / name
    path.write_text(textwrap.dedent(SMALL_PROGRAM.format(extra=extra)))
    return path


@pytest.fixture(scope="module")
def kit_ports(tmp_path_factory):
    """port(key) -> (status, stdout, out directory) of the kit's program, ported once."""
    ports = {}

    def get(key):
        if key not in ports:
            out = (base := tmp_path_factory.mktemp(f"port-{key}")) / "ported"
            status, stdout, _ = port(conftest.kit_program(key), "--out", out, "--", *conftest.kit_arguments(key, base))
            ports[key] = status, stdout, out
        return ports[key]
    return get


def generated_model(out):
    """build_model() of a written port, its weights loaded, as a person would use it."""
    model = certification.load_model_module(str(out / "model.py")).build_model()
    model.load_weights(str(out / "model.weights.h5"))
    return model


@pytest.mark.parametrize("key", [key if key in DEFAULT_RUN else pytest.param(key, marks=pytest.mark.slow)
                                 for key in KIT])
def test_kit_program_ported_automatically(key, kit_ports):
    status, stdout, out = kit_ports(key)
    document = json.loads((out / "port.json").read_text())
    assert status == exit_codes.OK, stdout
    assert sorted(os.listdir(out)) == FILES
    assert document["passed"] and document["failures"] == [] and document["unrecognised_ops"] == []
    assert document["forward_max_abs_diff"] <= 1e-5
    twin = TWIN_OF.get(key, key)
    assert document["params"] == {"tf1": EXPECTED_TOTAL_PARAMETERS[twin], "keras": EXPECTED_TOTAL_PARAMETERS[twin]}
    names = TWIN_NAMES.get(key, {})
    counted = {names.get(layer["name"], layer["name"]): layer["params"] for layer in document["layers"]
               if layer["params"]}
    assert counted == EXPECTED_LAYER_PARAMETERS[twin]
    assert "PASSED" in stdout and port_record.format_table(document) in stdout
    # Each program trains with a TF1 optimizer Keras has a twin of: 10 steps compared.
    assert document["training_steps"]["passed"] and document["training_steps"]["train_steps"]["steps"] == 10
    assert document["optimizer"]["tf1"] == TF1_OPTIMIZERS[key]


def test_port_json_records_each_stages_time_and_peak_memory(kit_ports):
    """port.json's `timings` (issue 22): every stage that ran, with positive seconds and peaks,
    the capture split by the worker; the graph's op count and the TF1 parameters."""
    _, _, out = kit_ports("lenet5")
    timings = json.loads((out / "port.json").read_text())["timings"]
    assert list(timings["stages"]) == ["capture", "recognition", "codegen", "weights", "verify_forward",
                                       "verify_training"]
    for entry in timings["stages"].values():
        assert entry["seconds"] > 0 and entry["peak_mib"] > 0 and entry["cpu_seconds"] >= 0
    capture = timings["stages"]["capture"]
    assert capture["startup_seconds"] > 0 and capture["program_seconds"] > 0 and capture["save_seconds"] > 0
    assert timings["graph_ops"] > 100 and timings["params"] == EXPECTED_TOTAL_PARAMETERS["lenet5"]


@pytest.mark.parametrize("key", [key if key in DEFAULT_RUN else pytest.param(key, marks=pytest.mark.slow)
                                 for key in KIT])
def test_generated_model_matches_the_hand_written_twin(key, kit_ports):
    _, _, out = kit_ports(key)
    names = TWIN_NAMES.get(key, {})
    generated = [(kind, names.get(name, name), {**config, "name": names.get(name, name)})
                 for kind, name, config in hand_recognised.twin_layer_configs(generated_model(out))]
    twin = __import__(f"modern_keras.models.{TWIN_OF.get(key, key)}", fromlist=["build_model"]).build_model()
    assert generated == hand_recognised.twin_layer_configs(twin)
    source = (out / "model.py").read_text()
    assert "Lambda" not in source and max(len(line) for line in source.splitlines()) <= 100


@pytest.mark.slow
def test_optimize_loss_learning_rate_variable_is_training_state_and_read_as_a_constant(kit_ports):
    document = json.loads((kit_ports("layers_cnn_contrib_learn")[2] / "port.json").read_text())
    assert document["skipped_variables"] == ["OptimizeLoss/learning_rate", "global_step"]
    assert document["optimizer"]["keras"] == "keras.optimizers.SGD(learning_rate=0.001)"
    assert "OptimizeLoss/learning_rate, initialised to 0.001" in document["optimizer"]["notes"][0]


# TF1 programs of other shapes (the compatibility suite's and the porting suite's), each ported
# through the command: contrib.layers (a CNN, and a network with batch_norm), an LSTM over rows,
# two stacked LSTMs, a feed-dict MLP with a fixed batch size, a raw tf.nn MLP with dict-held
# weights, a GRU in dynamic_rnn trained with momentum, a tf.layers CNN with batch norm in an
# Estimator model_fn (its TRAIN graph: inference_view). "{tmp}" is the test's own directory.
OTHER_PROGRAMS = {
    "contrib_layers_cnn": ("compat/programs/contrib_layers_cnn.py", []),
    "contrib_layers_net": ("library/porting/programs/contrib_layers_net.py", ["--steps", "1"]),
    "static_lstm": ("compat/programs/rnn_mnist_static_lstm.py", ["--training_steps", "1"]),
    "stacked_lstm": ("library/porting/programs/rnn_stacked_lstm.py", ["--steps", "1"]),
    "feed_mlp_batch_100": ("compat/programs/mnist_feed.py", []),
    "nn_mlp_dict_weights": ("library/porting/programs/nn_mlp_dict_weights.py", ["1"]),
    "gru_dynamic": ("library/porting/programs/rnn_gru_dynamic.py", ["1"]),
    "estimator_batch_norm": ("library/porting/programs/layers_estimator_batch_norm.py",
                             ["--train_steps", "1", "--model_dir", "{tmp}/model"]),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(OTHER_PROGRAMS))
def test_programs_of_other_shapes_are_ported(name, tmp_path):
    program, arguments = OTHER_PROGRAMS[name]
    status, stdout, _ = port(os.path.join(conftest.ROOT, "parity_tests", program), "--out", tmp_path / "out",
                             "--", *[argument.format(tmp=tmp_path) for argument in arguments])
    document = json.loads((tmp_path / "out" / "port.json").read_text())
    assert status == exit_codes.OK and document["passed"], stdout
    assert document["forward_max_abs_diff"] <= 1e-5 and document["params"]["tf1"] == document["params"]["keras"]


# --- bad input: exit status 2, one line, nothing written -------------------------------------------

def test_no_such_program_is_bad_input(tmp_path):
    status, stdout, stderr = port(tmp_path / "missing.py", "--out", tmp_path / "out")
    assert status == exit_codes.BAD_INPUT and stdout == ""
    assert stderr.startswith("mnist-parity: error: program ") and "no such file" in stderr
    assert len(stderr.splitlines()) == 1 and os.listdir(tmp_path) == []


def test_an_out_directory_with_files_is_bad_input_and_left_alone(tmp_path):
    program = write_program(tmp_path)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")
    status, _, stderr = port(program, "--out", tmp_path / "out")
    assert status == exit_codes.BAD_INPUT and "exists and is not an empty directory" in stderr
    assert os.listdir(tmp_path / "out") == ["keep.txt"]


@pytest.mark.slow
@pytest.mark.parametrize("source, message", [
    ("raise RuntimeError('boom at start')\n", "failed before its first training Session.run"),
    ("print('no training here')\n", "ended without a training Session.run"),
], ids=["fails", "never-trains"])
def test_a_program_that_fails_or_never_trains_is_bad_input(tmp_path, source, message):
    program = tmp_path / "program.py"
    program.write_text(source)
    status, _, stderr = port(program, "--out", tmp_path / "out")
    assert status == exit_codes.BAD_INPUT and message in stderr and len(stderr.splitlines()) == 1
    assert sorted(os.listdir(tmp_path)) == ["program.py"]


@pytest.mark.slow
def test_a_checkpoint_that_does_not_fit_is_bad_input(tmp_path):
    with tf.Graph().as_default():
        tf.Variable(np.zeros((2, 2), np.float32), name="hidden/kernel")
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            prefix = tf.train.Saver().save(session, str(tmp_path / "other" / "model.ckpt"))
    status, _, stderr = port(write_program(tmp_path), "--out", tmp_path / "out", "--checkpoint", prefix)
    assert status == exit_codes.BAD_INPUT and len(stderr.splitlines()) == 1
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_weights_come_from_the_checkpoint_given(tmp_path):
    values = {"hidden/kernel": np.full((6, 5), 0.25, np.float32), "hidden/bias": np.full(5, 0.5, np.float32),
              "logits/kernel": np.full((5, 3), -0.5, np.float32), "logits/bias": np.arange(3, dtype=np.float32)}
    with tf.Graph().as_default():
        for name, value in values.items():
            tf.Variable(value, name=name)
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            prefix = tf.train.Saver().save(session, str(tmp_path / "trained" / "model.ckpt"))
    np.savez(tmp_path / "data.npz", x=np.ones((8, 6), np.float32), y=np.zeros(8, np.int64))
    status, _, _ = port(write_program(tmp_path), "--out", tmp_path / "out", "--checkpoint", prefix,
                        "--data", tmp_path / "data.npz")
    document = json.loads((tmp_path / "out" / "port.json").read_text())
    assert status == exit_codes.OK and document["weights_origin"] == f"checkpoint {prefix}"
    model = generated_model(tmp_path / "out")
    assert all(np.array_equal(model.get_layer(name.split("/")[0]).weights[index].numpy(), value)
               for index, (name, value) in zip([0, 1, 0, 1], values.items()))


DATASET_PROGRAM = """
import numpy as np
import tensorflow as tf

dataset = tf.data.Dataset.from_tensor_slices((np.ones((4, 6), np.float32), np.zeros(4, np.int64)))
x, y = tf.compat.v1.data.make_one_shot_iterator(dataset.batch(4).repeat()).get_next()
logits = tf.layers.dense(x, 3, name="logits")
train = tf.train.GradientDescentOptimizer(0.1).minimize(tf.losses.sparse_softmax_cross_entropy(y, logits))
with tf.Session() as session:
    session.run(tf.global_variables_initializer())
    session.run(train)
"""


@pytest.mark.slow
def test_a_non_mnist_input_without_data_is_verified_on_the_fed_batch(tmp_path):
    status, stdout, _ = port(write_program(tmp_path), "--out", tmp_path / "out")
    document = json.loads((tmp_path / "out" / "port.json").read_text())
    assert status == exit_codes.OK and document["passed"] and document["examples"] == "captured feed", stdout


@pytest.mark.slow
def test_a_non_mnist_input_neither_fed_nor_given_is_bad_input(tmp_path):
    (program := tmp_path / "dataset.py").write_text(DATASET_PROGRAM)
    status, _, stderr = port(program, "--out", tmp_path / "out")
    assert status == exit_codes.BAD_INPUT and "--data FILE.npz" in stderr
    assert not (tmp_path / "out").exists()


# --- ports that do not verify: exit status 1, port.json alone ----------------------------------------

def test_an_op_no_layer_explains_is_listed_and_no_model_written(tmp_path):
    program = write_program(tmp_path, extra="hidden = tf.cumsum(hidden, axis=1)")
    np.savez(tmp_path / "data.npz", x=np.ones((8, 6), np.float32), y=np.zeros(8, np.int64))
    status, stdout, _ = port(program, "--out", tmp_path / "out", "--data", tmp_path / "data.npz")
    document = json.loads((tmp_path / "out" / "port.json").read_text())
    assert status == exit_codes.RUN_FAILED and os.listdir(tmp_path / "out") == ["port.json"]
    assert ["Cumsum", "Cumsum"] in document["unrecognised_ops"] and not document["passed"]
    assert "unrecognised op: Cumsum Cumsum" in stdout and "FAILED" in stdout


@pytest.fixture(scope="module")
def small_capture(tmp_path_factory):
    """The small program captured, recognised, and examples for it."""
    directory = tmp_path_factory.mktemp("small")
    captured = capture.capture_program(write_program(directory), [], directory / "capture")
    x = np.random.default_rng(0).standard_normal((64, 6)).astype(np.float32)
    return captured, x


def stage(small_capture, tmp_path):
    """The small program's port staged in tmp_path."""
    captured, x = small_capture
    recognised = engine.recognise(captured)
    values, skipped = weights.checkpoint_values(captured.checkpoint)
    engine.write_model(recognised, captured, str(tmp_path), "tf1-to-keras port small.py", values, skipped, 0)
    return captured, recognised, values, x


def verify_staged(captured, recognised, values, x, staging):
    with certification.tf1_model(captured, recognised) as tf1:
        return certification.verify(str(staging), recognised, tf1, values, 0, x)[0]


def test_the_small_program_verifies_as_ported(small_capture, tmp_path):
    checked = verify_staged(*stage(small_capture, tmp_path), tmp_path)
    assert checked.failures == [] and checked.forward.forward_max_abs_diff <= 1e-5


def test_a_wrong_setting_in_the_recognised_model_fails_the_port(small_capture, tmp_path):
    captured, x = small_capture
    recognised = engine.recognise(captured)
    next(layer for layer in recognised.layers if layer.name == "hidden").config["activation"] = "tanh"
    values, skipped = weights.checkpoint_values(captured.checkpoint)
    (tmp_path / "staging").mkdir()
    checked, training, failures, notes = engine.stage_and_verify(
        captured, recognised, str(tmp_path / "staging"), "tf1-to-keras port small.py",
        (x, np.zeros(len(x), np.int64)), 0, values, skipped)
    document = port_record.document(captured, recognised, "tf1-to-keras port small.py", {}, checked,
                                  training, failures, notes)
    assert failures[0].startswith("forward: layer 'hidden' output: max abs diff") and training is None
    assert not document["passed"] and document["forward_max_abs_diff"] > 1e-5
    assert engine.place(str(tmp_path / "staging"), str(tmp_path / "out"), document) == ["port.json"]


def test_a_weight_changed_in_the_written_file_fails_the_port(small_capture, tmp_path):
    captured, recognised, values, x = stage(small_capture, tmp_path)
    model = certification.build_staged(str(tmp_path), 0)
    model.load_weights(str(tmp_path / "model.weights.h5"))
    kernel = model.get_layer("logits").kernel
    kernel.assign(kernel.numpy() + np.float32(1e-3) * (np.arange(kernel.numpy().size) == 4).reshape(kernel.shape))
    model.save_weights(str(tmp_path / "model.weights.h5"))
    checked = verify_staged(captured, recognised, values, x, tmp_path)
    assert checked.weight_failures == [
        "weights: logits/kernel as written differs from TF1 logits/kernel (max |diff| 0.001)"]
