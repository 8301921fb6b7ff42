"""RNN on MNIST rows: tf.nn.rnn_cell.LSTMCell in tf.nn.dynamic_rnn, outputs transposed to time-major and the last step gathered, Adam."""
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("/tmp/data/", one_hot=True)
n_steps, n_input, n_hidden, n_classes = 28, 28, 32, 10

x = tf.placeholder(tf.float32, [None, n_steps, n_input])
y = tf.placeholder(tf.float32, [None, n_classes])
cell = tf.nn.rnn_cell.LSTMCell(n_hidden)
outputs, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
outputs = tf.transpose(outputs, [1, 0, 2])
last = tf.gather(outputs, int(outputs.get_shape()[0]) - 1)
weight = tf.Variable(tf.truncated_normal([n_hidden, n_classes], stddev=0.1))
bias = tf.Variable(tf.constant(0.1, shape=[n_classes]))
prediction = tf.matmul(last, weight) + bias
cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=prediction))
train = tf.train.AdamOptimizer(0.001).minimize(cost)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(3):
        bx, by = mnist.train.next_batch(32)
        _, c = sess.run([train, cost], {x: bx.reshape(-1, n_steps, n_input), y: by})
        print(i, c)
