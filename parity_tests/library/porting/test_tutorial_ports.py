"""`port` on TF1 programs written the way tutorial authors wrote them (programs/): losses by
hand, gradient descent by hand, CSV data, an autoencoder, a GAN, a step counter. Each is
ported through the command and verified (exit 0, port.json passed), and port.json says what
the loss is in Keras terms, where the examples came from, which variables were left out
and which other training ops the program has.

The CSV regression and the hand-written descent run by default (a capture and a small
verification each); the others are `slow`.
"""

import contextlib
import io
import json
import os

import numpy as np
import pytest

import legacy_tf1.compat as tf
from mnist_core import exit_codes
from tf1_to_keras import cli
from tf1_to_keras.porting import capture, engine

from . import conftest


def port(*arguments):
    """(exit status, stdout, stderr) of `tf1-to-keras port ARGUMENTS`, run in this process."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        status = cli.main(["port", *map(str, arguments)])
    return status, stdout.getvalue(), stderr.getvalue()


@pytest.fixture(scope="module")
def csv_file(tmp_path_factory):
    """50 rows of 3 features and a target 1*a + 2*b - c + 0.5 with a little noise."""
    rng = np.random.RandomState(0)
    x = rng.rand(50, 3)
    path = tmp_path_factory.mktemp("csv") / "data.csv"
    np.savetxt(path, np.c_[x, x @ [1.0, 2.0, -1.0] + 0.5 + 0.01 * rng.randn(50)], delimiter=",")
    return path


@pytest.fixture(scope="module")
def tutorial_port(tmp_path_factory):
    """port(program, *options) -> (status, stdout, port.json document), each ported once."""
    ports = {}

    def get(name, *options):
        if (name, options) not in ports:
            out = tmp_path_factory.mktemp(f"port-{name.removesuffix('.py')}") / "ported"
            status, stdout, stderr = port(os.path.join(conftest.PORTING_PROGRAMS, name), "--out", out, *options)
            document = json.loads((out / "port.json").read_text()) if (out / "port.json").exists() else None
            ports[(name, options)] = status, stdout + stderr, document
        return ports[(name, options)]
    return get


def assert_passed(status, output, document):
    assert status == exit_codes.OK, output
    assert document["passed"] and document["failures"] == [] and document["unrecognised_ops"] == []


def test_csv_linear_regression_with_a_halved_sum_of_squares(tutorial_port, csv_file):
    status, output, document = tutorial_port("linear_regression_csv.py", "--", csv_file, "3")
    assert_passed(status, output, document)
    # reduce_sum(pow(pred - Y, 2)) / (2 * 50): a sum over the batch, over 2n with n fixed.
    assert document["loss"] == {"keras_class": "MeanSquaredError", "arguments": {"reduction": "sum"},
                                "scale": 0.01, "regularization": [], "user_must_write": None,
                                "description": "squared error of the output and the labels, written by hand"}
    assert document["examples"] == "captured feed"  # 3 features: not MNIST, no --data
    assert document["training_steps"]["passed"]  # trained with 0.01 * MSE(reduction="sum")


@pytest.mark.slow  # 6-11 s: the default run stays near 5 minutes on 2 cores
def test_hand_written_descent_with_tf_assign_and_an_unread_counter(tutorial_port):
    status, output, document = tutorial_port("sigmoid_assign_descent.py")
    assert_passed(status, output, document)
    assert document["training_op"] == "Assign" and document["other_training_ops"] == []
    assert document["skipped_variables"] == ["last_epoch"]
    assert document["skipped_variable_reasons"] == {
        "last_epoch": "not read by the model (a counter or other scalar state)"}
    assert document["loss"]["keras_class"] == "BinaryCrossentropy"
    assert document["loss"]["arguments"] == {"from_logits": False} and document["loss"]["scale"] == 1.0
    assert document["outputs"] == ["Sigmoid:0"] and document["examples"] == "captured feed"


@pytest.mark.slow  # 20-40 s of a 2-core CI run: the default run stays under 5 minutes
def test_a_train_op_the_program_never_runs_is_refused(tmp_path):
    status, _, stderr = port(os.path.join(conftest.PORTING_PROGRAMS, "sigmoid_assign_descent.py"),
                             "--out", tmp_path / "out", "--train-op", "no_such_op")
    assert status == exit_codes.BAD_INPUT
    assert "ended without a training Session.run fetching --train-op no_such_op" in stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_softmax_regression_with_a_hand_written_cross_entropy(tutorial_port):
    status, output, document = tutorial_port("logistic_regression_handwritten.py")
    assert_passed(status, output, document)
    assert document["outputs"] == ["Softmax:0"] and document["examples"] == "MNIST test images"
    assert document["loss"]["keras_class"] == "CategoricalCrossentropy"
    assert document["loss"]["arguments"] == {"from_logits": False} and document["loss"]["scale"] == 1.0
    assert document["training_steps"]["passed"] and document["training_steps"]["train_steps"]["steps"] == 10


@pytest.mark.slow
def test_autoencoder_with_a_pow_loss_and_l2_terms(tutorial_port):
    status, output, document = tutorial_port("autoencoder_pow.py")
    assert_passed(status, output, document)
    loss = document["loss"]
    assert loss["keras_class"] == "MeanSquaredError" and loss["scale"] == 1.0 and loss["arguments"] == {}
    # 0.001 * tf.nn.l2_loss(w) is 0.0005 * sum(w ** 2): keras.regularizers.L2(0.0005).
    assert loss["regularization"] == [["dense", "l2", 0.0005], ["dense_3", "l2", 0.0005]]
    assert "autoencoder" in loss["description"]


@pytest.mark.slow
def test_gan_ports_the_first_trained_model_and_train_op_picks_the_other(tutorial_port):
    status, output, document = tutorial_port("gan_two_optimizers.py")
    assert_passed(status, output, document)
    assert document["training_op"] == "Adam" and document["other_training_ops"] == ["Adam_1"]
    assert [spec["tf1_tensor"] for spec in document["inputs"]] == ["Placeholder:0"]  # real images
    generator = {"G_W1", "G_W2", "G_b1", "G_b2"}
    assert set(document["skipped_variable_reasons"]) == generator
    assert document["loss"]["keras_class"] is None and document["loss"]["user_must_write"]
    status, output, document = tutorial_port("gan_two_optimizers.py", "--train-op", "Adam_1")
    assert_passed(status, output, document)
    assert document["training_op"] == "Adam_1" and document["other_training_ops"] == ["Adam"]
    assert [spec["tf1_tensor"] for spec in document["inputs"]] == ["Placeholder_1:0"]  # the noise
    assert document["examples"] == "captured feed" and document["params"]["tf1"] == 214673


@pytest.mark.slow
def test_char_rnn_sequence_loss_is_found_and_read(tmp_path):
    """The model and its Keras loss; the port itself waits on OneHot and a 3-D Dense (Tensordot)."""
    captured = capture.capture_program(os.path.join(conftest.PORTING_PROGRAMS, "char_rnn_sequence_loss.py"),
                                       [], tmp_path / "capture")
    assert set(captured.fed()) == {"input_data:0", "targets:0"} and captured.fed()["targets:0"].shape == (8, 12)
    recognised = engine.recognise(captured)
    assert recognised.labels == "targets:0" and [spec.tf1_tensor for spec in recognised.inputs] == ["input_data:0"]
    assert recognised.loss_spec.keras_class == "SparseCategoricalCrossentropy"
    assert recognised.loss_spec.arguments == {"from_logits": True} and recognised.loss_spec.scale == 1.0
    with tf.Graph().as_default():
        tf.train.import_meta_graph(captured.meta_graph)  # sequence_loss' own scope
        types = {op.type for op in tf.get_default_graph().get_operations() if op.name.startswith("sequence_loss/")}
        assert {"SparseSoftmaxCrossEntropyWithLogits", "DivNoNan"} <= types
