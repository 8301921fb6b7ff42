# A TF 1.x program as TF 1.x users wrote it: a GRU reads each MNIST image row by row with
# tf.nn.dynamic_rnn and a dense layer classifies its final state; momentum SGD, sparse labels.
# parity_tests/library/porting/constructs/test_rnn_cells.py ports it with `mnist-parity port`'s stages.
from __future__ import print_function

import sys

import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

STEPS = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
BATCH_SIZE = 64
ROWS, COLUMNS, HIDDEN, CLASSES = 28, 28, 32, 10

mnist = input_data.read_data_sets('/tmp/mnist_data', seed=0)
tf.set_random_seed(0)

images = tf.placeholder(tf.float32, [None, 784], name='images')
labels = tf.placeholder(tf.int64, [None], name='labels')

sequence = tf.reshape(images, [-1, ROWS, COLUMNS])
cell = tf.nn.rnn_cell.GRUCell(HIDDEN)
outputs, state = tf.nn.dynamic_rnn(cell, sequence, dtype=tf.float32)
logits = tf.layers.dense(state, CLASSES, name='logits')

loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
train_op = tf.train.MomentumOptimizer(0.05, momentum=0.9).minimize(loss)
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), labels), tf.float32))

with tf.Session() as sess:
  sess.run(tf.global_variables_initializer())
  for step in range(STEPS):
    batch_images, batch_labels = mnist.train.next_batch(BATCH_SIZE)
    _, batch_loss = sess.run([train_op, loss], feed_dict={images: batch_images, labels: batch_labels})
    if step % 100 == 0:
      print('step %d, loss %.4f' % (step, batch_loss))
  print('test accuracy %.4f' % sess.run(accuracy, feed_dict={
      images: mnist.test.images[:2000], labels: mnist.test.labels[:2000]}))
