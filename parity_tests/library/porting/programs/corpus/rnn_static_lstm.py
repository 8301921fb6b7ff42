"""RNN on MNIST rows: tf.unstack into 28 steps, tf.contrib.rnn.static_rnn(BasicLSTMCell(forget_bias=1.0)), last output through dict-held out weights."""
from __future__ import print_function

import tensorflow as tf
from tensorflow.contrib import rnn
from tensorflow.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("/tmp/data/", one_hot=True)
num_input, timesteps, num_hidden, num_classes = 28, 28, 32, 10

X = tf.placeholder("float", [None, timesteps, num_input])
Y = tf.placeholder("float", [None, num_classes])
weights = {'out': tf.Variable(tf.random_normal([num_hidden, num_classes]))}
biases = {'out': tf.Variable(tf.random_normal([num_classes]))}


def RNN(x, weights, biases):
    x = tf.unstack(x, timesteps, 1)
    lstm_cell = rnn.BasicLSTMCell(num_hidden, forget_bias=1.0)
    outputs, states = rnn.static_rnn(lstm_cell, x, dtype=tf.float32)
    return tf.matmul(outputs[-1], weights['out']) + biases['out']


logits = RNN(X, weights, biases)
loss_op = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=logits, labels=Y))
train_op = tf.train.GradientDescentOptimizer(learning_rate=0.01).minimize(loss_op)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(1, 4):
        batch_x, batch_y = mnist.train.next_batch(32)
        batch_x = batch_x.reshape((32, timesteps, num_input))
        sess.run(train_op, feed_dict={X: batch_x, Y: batch_y})
    print("Loss= {:.4f}".format(sess.run(loss_op, feed_dict={X: batch_x, Y: batch_y})))
