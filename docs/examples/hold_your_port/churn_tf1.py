"""A TF 1.x program of your own: a churn classifier on 12 tabular features, 3 classes.

Plain `tensorflow.compat.v1`: placeholders, variable scopes, `tf.get_variable`, a Session.
The output layer keeps its weights as [classes, inputs] (as this team's serving code reads
them), so its Keras port needs a name map with a transpose (name_map.json).

    python churn_tf1.py DIR      # trains 300 steps; writes DIR/model.ckpt and DIR/test.npz

`build_graph()` is what tf1-to-keras takes (`--tf1 churn_tf1.py:build_graph`): it builds the
graph in the default graph and returns its endpoints. `tf1_optimizer()` is the optimizer the
program trains with, which `tf1-to-keras verify` uses for its training checks.
"""

import os
import sys

import numpy as np
import tensorflow.compat.v1 as tf

FEATURES, CLASSES = 12, 3
HIDDEN1, HIDDEN2 = 32, 16
LEARNING_RATE, BATCH_SIZE, STEPS = 0.01, 50, 300
TEST_EXAMPLES = 500


def load_data(count=2000, seed=0):
    """Stands in for your table: x (count, 12) float32 features, y (count,) int64 classes."""
    random = np.random.RandomState(seed)
    x = random.normal(size=(count, FEATURES)).astype(np.float32)
    weights = random.normal(size=(FEATURES, CLASSES))
    y = np.argmax(x @ weights + 0.5 * random.normal(size=(count, CLASSES)), axis=1)
    return x, y.astype(np.int64)


def dense(inputs, units, scope, activation=None, transposed=False):
    """A fully connected layer: `weights` [in, units] ([units, in] when transposed), `biases`."""
    with tf.variable_scope(scope):
        size = int(inputs.shape[1])
        shape = [units, size] if transposed else [size, units]
        weights = tf.get_variable("weights", shape, initializer=tf.glorot_uniform_initializer())
        biases = tf.get_variable("biases", [units], initializer=tf.zeros_initializer())
        outputs = tf.matmul(inputs, weights, transpose_b=transposed) + biases
        return activation(outputs) if activation else outputs


def build_graph():
    """The classifier in the default graph; its endpoints, named for tf1-to-keras."""
    features = tf.placeholder(tf.float32, [None, FEATURES], name="features")
    labels = tf.placeholder(tf.int64, [None], name="labels")
    hidden1 = dense(features, HIDDEN1, "hidden1", tf.nn.relu)
    hidden2 = dense(hidden1, HIDDEN2, "hidden2", tf.nn.tanh)
    logits = dense(hidden2, CLASSES, "output", transposed=True)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
    return {"inputs": features, "outputs": logits, "labels": labels, "loss": loss,
            "layers": {"hidden1": hidden1, "hidden2": hidden2, "logits": logits}}


def tf1_optimizer():
    return tf.train.AdamOptimizer(LEARNING_RATE)


def main(directory):
    """Trains STEPS steps on all but the last TEST_EXAMPLES examples; saves the checkpoint
    and the held-out examples; returns the test accuracy."""
    x, y = load_data()
    x_train, y_train = x[:-TEST_EXAMPLES], y[:-TEST_EXAMPLES]
    os.makedirs(directory, exist_ok=True)
    np.savez(os.path.join(directory, "test.npz"), x=x[-TEST_EXAMPLES:], y=y[-TEST_EXAMPLES:])
    with tf.Graph().as_default():
        tf.set_random_seed(0)
        model = build_graph()
        step = tf.train.get_or_create_global_step()
        train_op = tf1_optimizer().minimize(model["loss"], global_step=step)
        correct = tf.equal(tf.argmax(model["outputs"], 1), model["labels"])
        accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
        order = np.random.RandomState(0).permutation(len(x_train))
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            for index in range(STEPS):
                batch = np.take(order, range(index * BATCH_SIZE, (index + 1) * BATCH_SIZE), mode="wrap")
                session.run(train_op, {model["inputs"]: x_train[batch], model["labels"]: y_train[batch]})
            tf.train.Saver().save(session, os.path.join(directory, "model.ckpt"))
            return session.run(accuracy, {model["inputs"]: x[-TEST_EXAMPLES:], model["labels"]: y[-TEST_EXAMPLES:]})


if __name__ == "__main__":
    print(f"test accuracy {main(sys.argv[1]):.2%}")
