"""Bidirectional dynamic RNN: tf.nn.bidirectional_dynamic_rnn of two GRUCells, forward and backward final states concatenated, Adam."""
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("/tmp/data/", one_hot=True)

x = tf.placeholder(tf.float32, [None, 28, 28])
y = tf.placeholder(tf.float32, [None, 10])
cell_fw = tf.nn.rnn_cell.GRUCell(20)
cell_bw = tf.nn.rnn_cell.GRUCell(20)
(out_fw, out_bw), (state_fw, state_bw) = tf.nn.bidirectional_dynamic_rnn(cell_fw, cell_bw, x, dtype=tf.float32)
features = tf.concat([state_fw, state_bw], axis=1)
logits = tf.layers.dense(features, 10)
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))
train_op = tf.train.AdamOptimizer(0.003).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(3):
        bx, by = mnist.train.next_batch(32)
        _, l = sess.run([train_op, loss], {x: bx.reshape(-1, 28, 28), y: by})
    print("loss", l)
