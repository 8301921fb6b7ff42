# A TF 1.x program as TF 1.x users wrote it: an LSTM that reads each MNIST image row by
# row (28 time steps of 28 pixels) with tf.contrib.rnn, graph and session at module level.
# parity_tests/compat/test_rnn_programs.py runs it unmodified with `python -m legacy_tf1 run`.
from __future__ import print_function

import argparse

import tensorflow as tf
from tensorflow.contrib import rnn
from tensorflow.examples.tutorials.mnist import input_data

parser = argparse.ArgumentParser()
parser.add_argument('--training_steps', type=int, default=5000)
parser.add_argument('--batch_size', type=int, default=128)
parser.add_argument('--display_step', type=int, default=500)
parser.add_argument('--test_images', type=int, default=10000)
parser.add_argument('--seed', type=int, default=0)
args = parser.parse_args()

mnist = input_data.read_data_sets('/tmp/data/', one_hot=True, seed=args.seed)
tf.set_random_seed(args.seed)

# Parameters
learning_rate = 0.005
n_steps = 28    # one time step per image row
n_input = 28    # pixels in a row
n_hidden = 64   # LSTM units
n_classes = 10

x = tf.placeholder(tf.float32, [None, n_steps, n_input])
y = tf.placeholder(tf.float32, [None, n_classes])

out_weights = tf.Variable(tf.random_normal([n_hidden, n_classes], stddev=0.1))
out_bias = tf.Variable(tf.zeros([n_classes]))


def lstm_logits(images):
  # static_rnn wants a list of n_steps tensors of shape [batch, n_input]
  rows = tf.unstack(images, n_steps, 1)
  cell = rnn.BasicLSTMCell(n_hidden, forget_bias=1.0)
  outputs, _ = rnn.static_rnn(cell, rows, dtype=tf.float32)
  # classify from the output after the last row
  return tf.matmul(outputs[-1], out_weights) + out_bias


logits = lstm_logits(x)
cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=y))
train_op = tf.train.AdamOptimizer(learning_rate=learning_rate).minimize(cost)

correct = tf.equal(tf.argmax(logits, 1), tf.argmax(y, 1))
accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))

init = tf.global_variables_initializer()

with tf.Session() as sess:
  sess.run(init)
  for step in range(1, args.training_steps + 1):
    batch_x, batch_y = mnist.train.next_batch(args.batch_size)
    batch_x = batch_x.reshape((args.batch_size, n_steps, n_input))
    _, loss, acc = sess.run([train_op, cost, accuracy], feed_dict={x: batch_x, y: batch_y})
    if step == 1 or step % args.display_step == 0:
      print('Step %d, minibatch loss %.4f, training accuracy %.3f' % (step, loss, acc))
  print('Optimization finished')

  test_x = mnist.test.images[:args.test_images].reshape((-1, n_steps, n_input))
  test_y = mnist.test.labels[:args.test_images]
  print('Testing accuracy:', sess.run(accuracy, feed_dict={x: test_x, y: test_y}))
