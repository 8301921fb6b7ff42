"""training_parity.check_ported_training: the captured program's optimizer (rebuilt) against its
Keras equivalent on the ported model, step by step, and the migration trap it must catch
(Keras' own Adam defaults); the loss read from the graph and checked on the data."""

import keras
import numpy as np
import pytest

import legacy_tf1.compat as tf
from mnist_core import mnist
from tf1_to_keras import harness
from tf1_to_keras.porting import optimizer_reading, recognition, rnn_loops, specs, training_parity

from .recognised_ports import captured_tf1, keras_port


def mnist_training(shape, count=2000, one_hot=False):
    """(images, labels) of the first `count` MNIST training examples, images as the input takes them."""
    (x_train, y_train), _ = mnist.load_data()
    images = (x_train[:count] / np.float32(255.0)).astype(np.float32).reshape((count, *shape))
    return images, (np.eye(10, dtype=np.float32)[y_train[:count]] if one_hot else y_train[:count].astype(np.int64))


@pytest.fixture(scope="module")
def lstm_port(static_lstm_capture):
    """(captured TF1 model, Keras port, name map, RecognisedModel with the optimizer) of the LSTM program."""
    graph = recognition.load_graph(static_lstm_capture)
    recognised = recognition.recognise(graph, static_lstm_capture)
    recognised.optimizer = optimizer_reading.recognise_optimizer(graph, static_lstm_capture.feeds)
    keras_side, name_map = keras_port(recognised)
    with captured_tf1(static_lstm_capture, recognised) as tf1:
        yield tf1, keras_side, name_map, recognised


def test_lstm_program_loss_and_optimizer_are_read_from_its_graph(lstm_port):
    tf1, _, _, recognised = lstm_port
    assert training_parity.minimised_loss(tf1.graph).name == "Mean:0"
    assert training_parity.recognise_loss(tf1.graph, "Mean:0") == specs.KerasObject(
        "keras.losses.CategoricalCrossentropy", {"from_logits": True})
    assert recognised.optimizer.tf1 == "AdamOptimizer" and recognised.optimizer.settings["learning_rate"] == 0.005


def test_lstm_port_trains_like_the_program_and_naive_adam_does_not(lstm_port):
    tf1, keras_side, name_map, recognised = lstm_port
    x, y = mnist_training((28, 28), one_hot=True)
    result = training_parity.check_ported_training(tf1, keras_side, recognised, x, y, steps=6, batch_size=32,
                                                   name_map=name_map)
    assert result.passed and result.max_abs_loss_diff_early <= 1e-5, result.failures
    # Keras' own Adam: epsilon 1e-7 and betas in float64 (docs/MIGRATION.md's trap).
    naive = training_parity.check_ported_training(
        tf1, keras_side, recognised, x, y, steps=6, batch_size=32, name_map=name_map,
        keras_optimizer_function=lambda: keras.optimizers.Adam(0.005))
    assert not naive.passed and "training steps: loss at step" in naive.failures[0]
    assert naive.max_abs_loss_diff_early > 10 * result.max_abs_loss_diff_early


def summed_loss_graph():
    """A classifier whose loss sums the batch's cross-entropies (Keras' losses take the mean)."""
    x = tf.placeholder(tf.float32, [None, 6], name="x")
    labels = tf.placeholder(tf.int64, [None], name="labels")
    logits = tf.layers.dense(x, 3, name="dense")
    loss = tf.reduce_sum(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
    tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    return {"inputs": x, "outputs": logits, "labels": labels, "loss": loss}


def test_a_loss_keras_does_not_compute_alike_is_refused():
    keras_side = keras.Sequential([keras.Input((6,)), keras.layers.Dense(3, name="dense")])
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(64, 6)).astype(np.float32), rng.integers(0, 3, 64)
    with harness.TF1Model.from_builder(summed_loss_graph, seed=0) as tf1:
        recognised = specs.RecognisedModel([], "dense/BiasAdd:0", [],
                                           optimizer=optimizer_reading.recognise_optimizer(tf1.graph))
        assert training_parity.recognise_loss(tf1.graph, tf1.endpoints.loss.name).path == \
            "keras.losses.SparseCategoricalCrossentropy"
        with pytest.raises(ValueError, match="not the same loss"):
            training_parity.check_ported_training(tf1, keras_side, recognised, x, y)
        recognised.optimizer = specs.OptimizerSpec("RMSPropOptimizer", {"learning_rate": 0.1}, None, ["why"])
        with pytest.raises(ValueError, match="no Keras equivalent.*why"):
            training_parity.check_ported_training(tf1, keras_side, recognised, x, y)


@pytest.mark.slow  # a capture of its own (~10 s) and dynamic_rnn's loop trained on both sides
def test_dynamic_gru_port_trains_like_the_program_with_momentum(dynamic_gru_capture):
    graph = recognition.load_graph(dynamic_gru_capture)
    recognised = recognition.recognise(graph, dynamic_gru_capture)
    recognised.optimizer = optimizer_reading.recognise_optimizer(graph, dynamic_gru_capture.feeds)
    assert recognised.optimizer.keras == specs.KerasObject("keras.optimizers.SGD",
                                                           {"learning_rate": 0.05, "momentum": 0.9})
    keras_side, name_map = keras_port(recognised)
    x, y = mnist_training((784,))
    with captured_tf1(dynamic_gru_capture, recognised) as tf1:
        result = training_parity.check_ported_training(tf1, keras_side, recognised, x, y, steps=10,
                                                       batch_size=32, name_map=name_map)
    assert result.passed, result.failures


def slim_batch_norm_graph():
    """slim.fully_connected with slim.batch_norm under `is_training = placeholder_with_default(True)`,
    the flag never fed by the program; the inference feed sets it False, as certification does."""
    slim = tf.contrib.slim
    x = tf.placeholder(tf.float32, [None, 6], name="x")
    labels = tf.placeholder(tf.int64, [None], name="labels")
    is_training = tf.placeholder_with_default(True, [], name="is_training")
    with rnn_loops.v1_control_flow(), slim.arg_scope(  # the runner's v1 tf.cond, as in a capture
            [slim.fully_connected], normalizer_fn=slim.batch_norm,
            normalizer_params={"is_training": is_training, "decay": 0.9}):
        hidden = slim.fully_connected(x, 8, scope="fc1")
    logits = slim.fully_connected(hidden, 3, activation_fn=None, scope="logits")
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
    tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    return {"inputs": x, "outputs": logits, "labels": labels, "loss": loss,
            "inference_feed": {is_training: False}}


@pytest.mark.parametrize("fed_flag, passes", [(None, True), (False, False)],
                         ids=["never-fed-flag-trains-on-batch-statistics", "flag-fed-false-must-fail"])
def test_slim_batch_norm_steps_on_batch_statistics_like_keras(fed_flag, passes):
    """TF1's steps run the never-fed is_training at its default (True), as Keras' BatchNormalization
    trains on the batch; a program that fed it False would step on the moving statistics: rejected."""
    rng = np.random.default_rng(0)
    x, y = (3 * rng.normal(size=(64, 6)) + 1).astype(np.float32), rng.integers(0, 3, 64)
    with harness.TF1Model.from_builder(slim_batch_norm_graph, seed=0) as tf1:
        recognised = recognition.recognise(tf1.graph, feeds={})
        recognised.optimizer = optimizer_reading.recognise_optimizer(tf1.graph)
        assert [(layer.name, layer.keras_class) for layer in recognised.layers][:3] == [
            ("fc1", "Dense"), ("fc1_BatchNorm", "BatchNormalizationTF1"), ("fc1_Relu", "ReLU")]
        if fed_flag is not None:
            tf1.endpoints.training_feed[tf1.graph.get_tensor_by_name("is_training:0")] = fed_flag
        keras_side, name_map = keras_port(recognised)
        result = training_parity.check_ported_training(tf1, keras_side, recognised, x, y, steps=4, batch_size=32,
                                                       name_map=name_map)
    assert result.passed is passes, result.failures
