# A TF 1.x program as TF 1.x users wrote it with tf.contrib.layers: conv2d with batch_norm as
# normalizer_fn, max_pool2d, flatten, fully_connected, dropout; a keep_prob placeholder.
# parity_tests/library/porting/test_capture.py captures it and recognises its layers.
"""MNIST with tf.contrib.layers."""
from __future__ import print_function

import argparse
import sys

import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

slim = tf.contrib.layers

FLAGS = None


def model(images, keep_prob, is_training):
  net = tf.reshape(images, [-1, 28, 28, 1])
  net = slim.conv2d(net, 8, [5, 5], normalizer_fn=slim.batch_norm,
                    normalizer_params={'is_training': is_training, 'scale': True}, scope='conv1')
  net = slim.max_pool2d(net, [2, 2], scope='pool1')
  net = slim.conv2d(net, 16, [3, 3], padding='VALID', activation_fn=tf.nn.elu, scope='conv2')
  net = slim.max_pool2d(net, [2, 2], scope='pool2')
  net = slim.flatten(net, scope='flatten')
  net = slim.fully_connected(net, 32, scope='fc3')
  net = tf.nn.dropout(net, keep_prob)
  return slim.fully_connected(net, 10, activation_fn=None, scope='logits')


def main(_):
  mnist = input_data.read_data_sets(FLAGS.data_dir, one_hot=False, seed=0)
  x = tf.placeholder(tf.float32, [None, 784], name='x')
  y = tf.placeholder(tf.int64, [None], name='y')
  keep_prob = tf.placeholder(tf.float32, name='keep_prob')
  logits = model(x, keep_prob, is_training=True)
  loss = tf.losses.sparse_softmax_cross_entropy(labels=y, logits=logits)
  update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
  with tf.control_dependencies(update_ops):
    train_step = tf.train.RMSPropOptimizer(0.001).minimize(loss)
  correct = tf.equal(tf.argmax(logits, 1), y)
  accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
  with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(FLAGS.steps):
      batch_xs, batch_ys = mnist.train.next_batch(64)
      _, loss_value = sess.run([train_step, loss],
                               feed_dict={x: batch_xs, y: batch_ys, keep_prob: 0.75})
      if step % 100 == 0:
        print('step %d, loss %g' % (step, loss_value))
    print('test accuracy %g' % sess.run(accuracy, feed_dict={
        x: mnist.test.images, y: mnist.test.labels, keep_prob: 1.0}))


if __name__ == '__main__':
  parser = argparse.ArgumentParser()
  parser.add_argument('--data_dir', type=str, default='/tmp/tensorflow/mnist/input_data')
  parser.add_argument('--steps', type=int, default=1000)
  FLAGS, unparsed = parser.parse_known_args()
  tf.app.run(main=main, argv=[sys.argv[0]] + unparsed)
