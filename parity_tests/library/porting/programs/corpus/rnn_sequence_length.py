"""Dynamic RNN over variable-length sequences: tf.nn.dynamic_rnn(BasicLSTMCell, sequence_length=seqlen placeholder), the last relevant output gathered per example."""
import numpy as np
import tensorflow as tf

rng = np.random.RandomState(0)
max_len, n_hidden = 12, 16


def toy_batch(size):
    """Sequences of ones (class 1, counting up) or random values (class 0), padded with zeros."""
    lengths = rng.randint(3, max_len + 1, size=size)
    data = np.zeros((size, max_len, 1), np.float32)
    labels = np.zeros((size, 2), np.float32)
    for i, length in enumerate(lengths):
        if rng.rand() < 0.5:
            data[i, :length, 0] = np.arange(length) / float(max_len)
            labels[i, 1] = 1.0
        else:
            data[i, :length, 0] = rng.rand(length)
            labels[i, 0] = 1.0
    return data, labels, lengths


x = tf.placeholder(tf.float32, [None, max_len, 1])
y = tf.placeholder(tf.float32, [None, 2])
seqlen = tf.placeholder(tf.int32, [None])
outputs, states = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(n_hidden), x, dtype=tf.float32,
                                    sequence_length=seqlen)
batch_size = tf.shape(outputs)[0]
index = tf.range(0, batch_size) * max_len + (seqlen - 1)
last = tf.gather(tf.reshape(outputs, [-1, n_hidden]), index)
w = tf.Variable(tf.random_normal([n_hidden, 2]))
b = tf.Variable(tf.random_normal([2]))
logits = tf.matmul(last, w) + b
cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=logits, labels=y))
optimizer = tf.train.GradientDescentOptimizer(0.1).minimize(cost)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(5):
        bx, by, bl = toy_batch(32)
        _, c = sess.run([optimizer, cost], {x: bx, y: by, seqlen: bl})
    print("cost", c)
