"""`tensorflow.examples.tutorials.mnist.mnist`: the model half of TF 1.x's `fully_connected_feed.py`.

TF 1.x shipped this module beside `input_data`: the inference / loss / training /
evaluation pattern, a two-hidden-layer ReLU network on flattened MNIST images.
Written from its documented behaviour (TF r1.15): the same name scopes and
variable names (`hidden1/weights`, `hidden2/biases`, `softmax_linear/weights`...),
truncated-normal weights with stddev 1/sqrt(fan_in) and zero biases, so a
checkpoint written by the TF 1.x tutorial restores into this graph.
"""

import math

import tensorflow as _tensorflow

from legacy_tf1.compat._not_provided import module_getattr as _module_getattr

_V1 = _tensorflow.compat.v1

# The MNIST dataset has 10 classes, the digits 0 through 9.
NUM_CLASSES = 10
# The MNIST images are always 28x28 pixels.
IMAGE_SIZE = 28
IMAGE_PIXELS = IMAGE_SIZE * IMAGE_SIZE


def _relu_or_linear(scope, inputs, fan_in, units, relu):
    """One fully connected layer in name scope `scope`: weights, biases, matmul (+ relu)."""
    with _V1.name_scope(scope):
        weights = _V1.Variable(
            _V1.truncated_normal([fan_in, units], stddev=1.0 / math.sqrt(float(fan_in))),
            name="weights")
        biases = _V1.Variable(_V1.zeros([units]), name="biases")
        outputs = _V1.matmul(inputs, weights) + biases
        return _V1.nn.relu(outputs) if relu else outputs


def inference(images, hidden1_units, hidden2_units):
    """Builds the model up to the logits: images [batch, IMAGE_PIXELS] -> [batch, NUM_CLASSES]."""
    hidden1 = _relu_or_linear("hidden1", images, IMAGE_PIXELS, hidden1_units, relu=True)
    hidden2 = _relu_or_linear("hidden2", hidden1, hidden1_units, hidden2_units, relu=True)
    return _relu_or_linear("softmax_linear", hidden2, hidden2_units, NUM_CLASSES, relu=False)


def loss(logits, labels):
    """Mean sparse softmax cross-entropy of the logits against int labels [batch]."""
    labels = _V1.cast(labels, _V1.int64)
    return _V1.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)


def training(loss, learning_rate):  # pylint: disable=redefined-outer-name - TF1's signature
    """A gradient-descent train op that also increments a `global_step` variable.

    Adds a `loss` scalar summary, as TF1 did, for a SummaryWriter to pick up.
    """
    _V1.summary.scalar("loss", loss)
    optimizer = _V1.train.GradientDescentOptimizer(learning_rate)
    global_step = _V1.Variable(0, name="global_step", trainable=False)
    return optimizer.minimize(loss, global_step=global_step)


def evaluation(logits, labels):
    """How many of the batch's examples have the label as top prediction (int32 scalar)."""
    correct = _V1.nn.in_top_k(logits, labels, 1)
    return _V1.reduce_sum(_V1.cast(correct, _V1.int32))


__getattr__ = _module_getattr(
    "tf.examples.tutorials.mnist.mnist",
    "it supplies inference, loss, training, evaluation, NUM_CLASSES, IMAGE_SIZE, IMAGE_PIXELS")
