# A TF 1.x program as TF 1.x users wrote it, feed_dict style with its model in a function: word
# ids looked up in an embedding table, a dense layer on the 3-D sequence (tf.layers.dense over
# time steps), selu written by hand with tf.where, a residual add, a concatenation with the
# embeddings, flattened and classified. Run with --data: its inputs are int ids, not MNIST.
# parity_tests/library/porting/constructs/test_ported_programs.py ports it with `mnist-parity port`.
import sys

import numpy as np
import tensorflow as tf

VOCABULARY, STEPS, WIDTH = 50, 6, 8
SELU_SCALE, SELU_ALPHA = 1.0507009873554805, 1.6732632423543772


def selu(features):
    return SELU_SCALE * tf.where(features > 0.0, features, SELU_ALPHA * (tf.exp(features) - 1.0))


def model(ids):
    embeddings = tf.get_variable("words/embeddings", [VOCABULARY, WIDTH])
    embedded = tf.nn.embedding_lookup(embeddings, ids)
    hidden = selu(tf.layers.dense(embedded, WIDTH, name="step_dense"))
    residual = tf.add(embedded, hidden, name="residual")
    joined = tf.concat([residual, embedded], axis=2, name="joined")
    return tf.layers.dense(tf.layers.flatten(joined), 3, name="logits")


def main(steps):
    ids = tf.placeholder(tf.int32, [None, STEPS], name="ids")
    labels = tf.placeholder(tf.int64, [None], name="labels")
    logits = model(ids)
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    rng = np.random.RandomState(0)
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        for _ in range(steps):
            feed = {ids: rng.randint(0, VOCABULARY, (16, STEPS)), labels: rng.randint(0, 3, 16)}
            session.run(train, feed_dict=feed)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
