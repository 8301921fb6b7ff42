# A TF 1.x program as TF 1.x users wrote it: two stacked LSTM layers (MultiRNNCell) read each
# MNIST image row by row in tf.nn.dynamic_rnn; the last time step's output is classified.
# Adagrad, one-hot labels, flags through tf.app.flags and tf.app.run.
# parity_tests/library/porting/constructs/test_rnn_cells.py ports it with `mnist-parity port`'s stages.
from __future__ import absolute_import
from __future__ import division
from __future__ import print_function

import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

flags = tf.app.flags
flags.DEFINE_integer('steps', 1000, 'Training steps.')
flags.DEFINE_integer('batch_size', 50, 'Batch size.')
flags.DEFINE_float('learning_rate', 0.1, 'Adagrad learning rate.')
FLAGS = flags.FLAGS

ROWS, COLUMNS, CLASSES = 28, 28, 10
LAYER_UNITS = [32, 24]


def inference(images):
  cells = [tf.nn.rnn_cell.LSTMCell(units) for units in LAYER_UNITS]
  stacked = tf.nn.rnn_cell.MultiRNNCell(cells)
  outputs, _ = tf.nn.dynamic_rnn(stacked, images, dtype=tf.float32)
  last = outputs[:, -1, :]
  weights = tf.Variable(tf.truncated_normal([LAYER_UNITS[-1], CLASSES], stddev=0.1), name='weights')
  biases = tf.Variable(tf.zeros([CLASSES]), name='biases')
  return tf.nn.xw_plus_b(last, weights, biases, name='logits')


def main(_):
  mnist = input_data.read_data_sets('/tmp/mnist_data', one_hot=True, seed=0)
  tf.set_random_seed(0)
  images = tf.placeholder(tf.float32, [None, ROWS, COLUMNS], name='images')
  labels = tf.placeholder(tf.float32, [None, CLASSES], name='labels')
  logits = inference(images)
  loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits))
  train_op = tf.train.AdagradOptimizer(FLAGS.learning_rate).minimize(loss)
  correct = tf.equal(tf.argmax(logits, 1), tf.argmax(labels, 1))
  accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
  with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(FLAGS.steps):
      batch_images, batch_labels = mnist.train.next_batch(FLAGS.batch_size)
      feed = {images: batch_images.reshape((-1, ROWS, COLUMNS)), labels: batch_labels}
      _, batch_loss = sess.run([train_op, loss], feed_dict=feed)
      if step % 100 == 0:
        print('step %d, loss %.4f' % (step, batch_loss))
    test_images = mnist.test.images[:2000].reshape((-1, ROWS, COLUMNS))
    print('test accuracy %.4f' % sess.run(accuracy, feed_dict={
        images: test_images, labels: mnist.test.labels[:2000]}))


if __name__ == '__main__':
  tf.app.run()
