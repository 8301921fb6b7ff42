"""Stacked RNN: MultiRNNCell of LSTMCells each wrapped in DropoutWrapper(output_keep_prob=keep_prob), dynamic_rnn, final top-layer h classified."""
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("/tmp/data/", one_hot=True)

x = tf.placeholder(tf.float32, [None, 28, 28])
y = tf.placeholder(tf.float32, [None, 10])
keep_prob = tf.placeholder(tf.float32)
cells = [tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.LSTMCell(24), output_keep_prob=keep_prob)
         for _ in range(2)]
stack = tf.nn.rnn_cell.MultiRNNCell(cells)
outputs, states = tf.nn.dynamic_rnn(stack, x, dtype=tf.float32)
logits = tf.layers.dense(states[-1].h, 10)
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))
train_op = tf.train.AdamOptimizer(0.002).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(3):
        bx, by = mnist.train.next_batch(32)
        _, l = sess.run([train_op, loss], {x: bx.reshape(-1, 28, 28), y: by, keep_prob: 0.8})
    print("loss", l)
