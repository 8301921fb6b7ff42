# A TF 1.x program as TF 1.x users wrote it with tf.contrib.layers (TF-Slim style);
# parity_tests/compat/test_contrib_layers_program.py runs it unmodified with
# `python -m legacy_tf1 run`, with small widths and a short step count.
"""MNIST convolutional network built with tf.contrib.layers.

conv1 -> pool1 -> conv2 -> pool2 -> fc3 (batch-normalized through arg_scope)
-> dropout -> logits, trained with Adam on cross entropy plus an L1 penalty on
the weights; scalar and histogram summaries go to --log_dir for TensorBoard.
"""
from __future__ import absolute_import
from __future__ import division
from __future__ import print_function

import argparse
import sys

import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

layers = tf.contrib.layers
arg_scope = tf.contrib.framework.arg_scope

FLAGS = None


def conv_net(images, is_training):
  """Returns the logits of a batch of flat 784-pixel images."""
  net = tf.reshape(images, [-1, 28, 28, 1])
  batch_norm_params = {'is_training': is_training, 'decay': FLAGS.batch_norm_decay}
  with arg_scope([layers.conv2d, layers.fully_connected],
                 normalizer_fn=layers.batch_norm, normalizer_params=batch_norm_params):
    net = layers.conv2d(net, FLAGS.conv1_filters, [5, 5], scope='conv1')
    net = layers.max_pool2d(net, [2, 2], scope='pool1')
    net = layers.conv2d(net, FLAGS.conv2_filters, [5, 5], scope='conv2')
    net = layers.max_pool2d(net, [2, 2], scope='pool2')
    net = layers.flatten(net)
    net = layers.fully_connected(net, FLAGS.hidden_units, scope='fc3')
  net = layers.dropout(net, keep_prob=FLAGS.keep_prob, is_training=is_training, scope='dropout3')
  return layers.fully_connected(net, 10, activation_fn=None, scope='logits')


def evaluate(sess, accuracy, x, y_, is_training, data_set, batch_size=1000):
  """Accuracy over a whole data set, in batches."""
  total = 0.0
  for start in range(0, data_set.num_examples, batch_size):
    feed = {x: data_set.images[start:start + batch_size],
            y_: data_set.labels[start:start + batch_size], is_training: False}
    total += sess.run(accuracy, feed_dict=feed) * len(feed[x])
  return total / data_set.num_examples


def training_ops(logits, y_):
  """The train step (Adam on cross entropy + L1 penalty), accuracy, and their summaries."""
  cross_entropy = tf.reduce_mean(
      tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=logits), name='cross_entropy')
  weights = [v for v in tf.trainable_variables() if v.name.endswith('weights:0')]
  l1_penalty = layers.apply_regularization(layers.l1_regularizer(FLAGS.l1_scale), weights)
  total_loss = tf.add(cross_entropy, l1_penalty, name='total_loss')

  # The batch norm moving averages are updated by the UPDATE_OPS.
  update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
  with tf.control_dependencies(update_ops):
    train_step = tf.train.AdamOptimizer(FLAGS.learning_rate).minimize(total_loss)

  correct_prediction = tf.equal(tf.argmax(logits, 1), tf.argmax(y_, 1))
  accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32), name='accuracy')

  layers.summarize_tensors([cross_entropy, l1_penalty, total_loss, accuracy])
  layers.summarize_tensors(weights)
  return train_step, accuracy


def main(_):
  tf.set_random_seed(FLAGS.seed)
  mnist = input_data.read_data_sets(FLAGS.data_dir, one_hot=True)

  x = tf.placeholder(tf.float32, [None, 784], name='x')
  y_ = tf.placeholder(tf.float32, [None, 10], name='y_')
  is_training = tf.placeholder(tf.bool, name='is_training')
  logits = conv_net(x, is_training)
  train_step, accuracy = training_ops(logits, y_)
  merged = tf.summary.merge_all()

  for variable in tf.global_variables():
    print('variable %s %s' % (variable.op.name, variable.shape.as_list()))

  with tf.Session() as sess:
    writer = tf.summary.FileWriter(FLAGS.log_dir, sess.graph)
    sess.run(tf.global_variables_initializer())
    for step in range(FLAGS.max_steps):
      batch_xs, batch_ys = mnist.train.next_batch(FLAGS.batch_size)
      feed = {x: batch_xs, y_: batch_ys, is_training: True}
      if step % FLAGS.log_every == 0 or step == FLAGS.max_steps - 1:
        summary, train_accuracy, _ = sess.run([merged, accuracy, train_step], feed_dict=feed)
        writer.add_summary(summary, step)
        print('step %d, training accuracy %g' % (step, train_accuracy))
      else:
        sess.run(train_step, feed_dict=feed)
    writer.close()
    print('test accuracy %g' % evaluate(sess, accuracy, x, y_, is_training, mnist.test))


if __name__ == '__main__':
  parser = argparse.ArgumentParser()
  parser.add_argument('--data_dir', type=str, default='/tmp/tensorflow/mnist/input_data',
                      help='Directory for the input data')
  parser.add_argument('--log_dir', type=str, default='/tmp/tensorflow/mnist/logs/contrib_layers_cnn',
                      help='Summaries log directory')
  parser.add_argument('--max_steps', type=int, default=2000, help='Number of training steps')
  parser.add_argument('--batch_size', type=int, default=50, help='Batch size')
  parser.add_argument('--learning_rate', type=float, default=1e-3, help='Initial learning rate')
  parser.add_argument('--l1_scale', type=float, default=1e-5, help='L1 scale for the weights')
  parser.add_argument('--keep_prob', type=float, default=0.5, help='Dropout keep probability')
  parser.add_argument('--batch_norm_decay', type=float, default=0.9,
                      help='Decay of the batch norm moving averages')
  parser.add_argument('--conv1_filters', type=int, default=32, help='Filters of conv1')
  parser.add_argument('--conv2_filters', type=int, default=64, help='Filters of conv2')
  parser.add_argument('--hidden_units', type=int, default=1024, help='Units of fc3')
  parser.add_argument('--log_every', type=int, default=100, help='Steps between logged accuracies')
  parser.add_argument('--seed', type=int, default=0, help='Graph-level random seed')
  FLAGS, unparsed = parser.parse_known_args()
  tf.app.run(main=main, argv=[sys.argv[0]] + unparsed)
