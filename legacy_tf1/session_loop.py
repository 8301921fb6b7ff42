"""The TF1 side's generic session loop, mirroring modern_keras/training.py.

Every legacy program builds its graph with `build_graph()`; these functions
train and evaluate any of them with feed_dict batches, which is how the
originals ran (`sess.run(train_op, feed_dict=...)`).
"""

import time

import numpy as np

import legacy_tf1.compat as tf
from mnist_core import errors, input_checks


def make_optimizer(recipe, optimizer_name=None):
    """TF1 optimizer for the recipe (or for `optimizer_name`: 'adam' or 'sgd')."""
    name = optimizer_name or recipe.optimizer
    if name == "adam":
        return tf.train.AdamOptimizer(recipe.learning_rate, epsilon=recipe.adam_epsilon)
    if name == "sgd":
        return tf.train.GradientDescentOptimizer(recipe.learning_rate)
    raise ValueError(f"optimizer {name!r}; expected 'adam' or 'sgd'")


def make_train_op(endpoints, recipe, optimizer_name=None):
    """`optimizer.minimize(loss)` on the graph's trainable variables."""
    return make_optimizer(recipe, optimizer_name).minimize(endpoints.loss)


class StepHistory:
    """Each training step's number, loss and the wall clock at its end."""

    def __init__(self):
        self.steps, self.losses, self.times = [], [], []


def train(session, endpoints, train_op, images, labels, order, on_step=None, training=True):
    """Runs `train_op` once per row of `order` (batch indices); returns the StepHistory.

    A NaN or infinite loss stops training with errors.TrainingDivergedError naming
    the step and the last finite loss (the twin of the Estimator's NanTensorHook;
    every step's loss is fetched anyway, so the check costs nothing).
    """
    history = StepHistory()
    monitor = errors.DivergenceMonitor(where="TF1 session loop")
    for indices in order:
        feed_dict = endpoints.feed(images[indices], labels[indices], training=training)
        _, loss = session.run([train_op, endpoints.loss], feed_dict=feed_dict)
        history.steps.append(len(history.steps) + 1)
        history.losses.append(float(loss))
        history.times.append(time.perf_counter())
        if on_step is not None:
            on_step(history.steps[-1], history.losses[-1])
        monitor.observe(history.steps[-1], history.losses[-1])
    return history


def predict_logits(session, endpoints, images, batch_size=1000):
    """Logits in inference mode (dropout off), batch by batch.

    ValueError (input_checks.check_images) unless `images` are float pixels in [0, 1]
    shaped like the input placeholder.
    """
    example_shape = endpoints.images.shape.as_list()[1:]
    images = input_checks.check_images(images, example_shape, where=f"TF1 input {endpoints.images.name}")
    outputs = [
        session.run(endpoints.logits, feed_dict=endpoints.feed(images[start:start + batch_size]))
        for start in range(0, len(images), batch_size)
    ]
    return np.concatenate(outputs)


def layer_outputs(session, endpoints, images):
    """Each named layer's output for `images`, in inference mode."""
    return session.run(endpoints.layers, feed_dict=endpoints.feed(images))
