"""`tensorflow.examples.tutorials.mnist.mnist` (the tutorial model module) and a program using it.

The module is checked in-process against NumPy; the `fully_connected_feed.py`-style
program runs unmodified through the runner, and its checkpoint is restored here to
recompute the test precision it printed.
"""

import math
import re

import numpy as np
import pytest

import legacy_tf1.compat as tf
from legacy_tf1.compat.examples.tutorials.mnist import input_data, mnist
from mnist_core import mnist as mnist_data
from program_runs import describe, printed_value, run_tf1_program

HIDDEN1, HIDDEN2 = 16, 8


def build_tutorial_graph(batch_size=None):
    """The tutorial's graph: placeholders, inference, loss, training, evaluation."""
    images = tf.placeholder(tf.float32, [batch_size, mnist.IMAGE_PIXELS])
    labels = tf.placeholder(tf.int32, [batch_size])
    logits = mnist.inference(images, HIDDEN1, HIDDEN2)
    loss = mnist.loss(logits, labels)
    return images, labels, logits, loss, mnist.training(loss, 0.1), mnist.evaluation(logits, labels)


def numpy_logits(weights, images):
    hidden1 = np.maximum(images @ weights["hidden1/weights"] + weights["hidden1/biases"], 0)
    hidden2 = np.maximum(hidden1 @ weights["hidden2/weights"] + weights["hidden2/biases"], 0)
    return hidden2 @ weights["softmax_linear/weights"] + weights["softmax_linear/biases"]


def test_inference_has_tf1_names_shapes_and_initial_values():
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(0)
        build_tutorial_graph()
        variables = {variable.op.name: variable for variable in tf.global_variables()}
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            values = session.run(variables)
    shapes = {name: value.shape for name, value in values.items()}
    assert shapes == {
        "hidden1/weights": (784, HIDDEN1), "hidden1/biases": (HIDDEN1,),
        "hidden2/weights": (HIDDEN1, HIDDEN2), "hidden2/biases": (HIDDEN2,),
        "softmax_linear/weights": (HIDDEN2, 10), "softmax_linear/biases": (10,),
        "global_step": ()}
    for scope, fan_in in (("hidden1", 784), ("hidden2", HIDDEN1), ("softmax_linear", HIDDEN2)):
        # truncated normal, stddev 1/sqrt(fan_in): every value within two standard deviations
        assert np.abs(values[f"{scope}/weights"]).max() <= 2.0 / math.sqrt(fan_in)
        assert np.abs(values[f"{scope}/weights"]).std() > 0.3 / math.sqrt(fan_in)
        assert not values[f"{scope}/biases"].any()


def test_loss_training_and_evaluation_match_numpy():
    arrays = mnist_data.load_arrays()
    images = arrays["x_test"][:200].reshape(200, 784).astype(np.float32) / 255.0
    labels = arrays["y_test"][:200].astype(np.int32)
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(1)
        images_pl, labels_pl, _, loss, train_op, correct = build_tutorial_graph()
        weight_names = [variable.op.name for variable in tf.trainable_variables()]
        feed = {images_pl: images, labels_pl: labels}
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            weights = dict(zip(weight_names, session.run(tf.trainable_variables())))
            loss_value, correct_value = session.run([loss, correct], feed)
            session.run(train_op, feed)
            step, = [session.run(variable) for variable in tf.global_variables()
                     if variable.op.name == "global_step"]
        summaries = [op.name for op in graph.get_operations() if op.type == "ScalarSummary"]
    logits = numpy_logits(weights, images.astype(np.float64))
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    np.testing.assert_allclose(loss_value, -log_softmax[np.arange(200), labels].mean(), rtol=1e-5)
    assert correct_value == int((logits.argmax(axis=1) == labels).sum())
    assert step == 1 and summaries == ["loss"]


def test_missing_names_use_the_layers_wording():
    with pytest.raises(AttributeError, match=re.escape(
            "TF 1.x API 'tf.examples.tutorials.mnist.mnist.placeholder_inputs' is not provided "
            "by legacy_tf1.compat")):
        mnist.placeholder_inputs  # noqa: B018 - the access is the test
    with pytest.raises(AttributeError, match=re.escape(
            "'tf.examples.tutorials.mnist.input_data.maybe_download' is not provided")):
        input_data.maybe_download  # noqa: B018


def restored_test_precision(checkpoint):
    """The test-set precision @ 1 of the tutorial graph restored from `checkpoint`."""
    datasets = input_data.read_data_sets(None)
    graph = tf.Graph()
    with graph.as_default():
        images_pl, labels_pl, _, _, _, correct = build_tutorial_graph()
        with tf.Session() as session:
            tf.train.Saver().restore(session, checkpoint)
            count = session.run(correct, {images_pl: datasets.test.images,
                                          labels_pl: datasets.test.labels})
    return count / datasets.test.num_examples


def test_feed_program_trains_writes_summaries_and_a_checkpoint_that_restores(tmp_path):
    log_dir = tmp_path / "logs"
    result = run_tf1_program("mnist_feed.py", "--max_steps", "300", "--learning_rate", "0.1",
                             "--hidden1", str(HIDDEN1), "--hidden2", str(HIDDEN2),
                             "--input_data_dir", str(tmp_path / "no-idx-files"),
                             "--log_dir", str(log_dir))
    assert result.returncode == 0, describe(result)
    assert "kit's bundled copy" in result.stdout, describe(result)
    printed = float(printed_value(result.stdout, "Num examples: 10000").rsplit(":", 1)[1])
    assert printed > 0.85, describe(result)  # seed 0, 300 steps: 0.8887 measured
    checkpoint = tf.train.latest_checkpoint(str(log_dir))
    assert checkpoint.endswith("model.ckpt-299"), describe(result)
    assert restored_test_precision(checkpoint) == pytest.approx(printed, abs=5e-5)
    events = list(log_dir.glob("events.out.tfevents.*"))
    tags = {value.tag for event in tf.train.summary_iterator(str(events[0]))
            for value in event.summary.value}
    assert tags == {"loss"}, describe(result)
