"""Deep MNIST for Experts (mnist_deep.py), in its TF 1.x graph/session form.

Keras twin: modern_keras/models/deep_cnn.py (same layer names, same order).
Run it as the original program:

    python -m legacy_tf1.models.deep_cnn --steps 20000 --batch_size 50 --seed 0

or use `build_graph()` inside a `tf.Graph().as_default()` to get its named
layers and variables without training (the parity suite does).
"""

import argparse
import sys

import legacy_tf1.compat as tf
from legacy_tf1 import endpoints as endpoints_lib
from legacy_tf1.compat.examples.tutorials.mnist import input_data
from mnist_core import recipes

RECIPE = recipes.DEEP_CNN
FLAGS = None


def weight_variable(shape):
  """A weight variable of a given shape, truncated normal with stddev 0.1."""
  initial = tf.truncated_normal(shape, stddev=0.1)
  return tf.Variable(initial)


def bias_variable(shape):
  """A bias variable of a given shape, filled with 0.1."""
  initial = tf.constant(0.1, shape=shape)
  return tf.Variable(initial)


def conv2d(x, W):
  """A 2-D convolution with full stride and SAME padding."""
  return tf.nn.conv2d(x, W, strides=[1, 1, 1, 1], padding='SAME')


def max_pool_2x2(x):
  """Downsamples a feature map by 2x (SAME padding)."""
  return tf.nn.max_pool(x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding='SAME')


def deepnn(x):
  """The deep net. Returns (y_conv, keep_prob, layers, variables)."""
  with tf.name_scope('reshape'):
    x_image = tf.reshape(x, [-1, 28, 28, 1])
  with tf.name_scope('conv1'):
    W_conv1 = weight_variable([5, 5, 1, 32])
    b_conv1 = bias_variable([32])
    h_conv1 = tf.nn.relu(conv2d(x_image, W_conv1) + b_conv1)
  with tf.name_scope('pool1'):
    h_pool1 = max_pool_2x2(h_conv1)
  with tf.name_scope('conv2'):
    W_conv2 = weight_variable([5, 5, 32, 64])
    b_conv2 = bias_variable([64])
    h_conv2 = tf.nn.relu(conv2d(h_pool1, W_conv2) + b_conv2)
  with tf.name_scope('pool2'):
    h_pool2 = max_pool_2x2(h_conv2)
  with tf.name_scope('fc1'):
    W_fc1 = weight_variable([7 * 7 * 64, 1024])
    b_fc1 = bias_variable([1024])
    # TF1 flattens inside fc1; Keras needs a layer of its own, named 'flatten' on both sides.
    h_pool2_flat = tf.reshape(h_pool2, [-1, 7 * 7 * 64])
    h_fc1 = tf.nn.relu(tf.matmul(h_pool2_flat, W_fc1) + b_fc1)
  with tf.name_scope('dropout'):
    keep_prob = tf.placeholder(tf.float32)
    h_fc1_drop = tf.nn.dropout(h_fc1, keep_prob)
  with tf.name_scope('fc2'):
    W_fc2 = weight_variable([1024, 10])
    b_fc2 = bias_variable([10])
    y_conv = tf.matmul(h_fc1_drop, W_fc2) + b_fc2
  layers = {'reshape': x_image, 'conv1': h_conv1, 'pool1': h_pool1, 'conv2': h_conv2,
            'pool2': h_pool2, 'flatten': h_pool2_flat, 'fc1': h_fc1,
            'dropout': h_fc1_drop, 'fc2': y_conv}
  variables = {'conv1': [W_conv1, b_conv1], 'conv2': [W_conv2, b_conv2],
               'fc1': [W_fc1, b_fc1], 'fc2': [W_fc2, b_fc2]}
  return y_conv, keep_prob, layers, variables


def build_graph(recipe=RECIPE, seed=None):
  """Builds inputs, net and loss in the default graph; returns GraphEndpoints."""
  if seed is not None:
    tf.set_random_seed(seed)
  x = tf.placeholder(tf.float32, [None, 784])
  y_ = tf.placeholder(tf.float32, [None, 10])
  y_conv, keep_prob, layers, variables = deepnn(x)
  with tf.name_scope('loss'):
    cross_entropy = tf.nn.softmax_cross_entropy_with_logits(labels=y_, logits=y_conv)
  cross_entropy = tf.reduce_mean(cross_entropy)
  return endpoints_lib.GraphEndpoints(
      images=x, labels=y_, logits=y_conv, loss=cross_entropy, layers=layers,
      variables=variables, training_feed={keep_prob: recipe.keep_probability},
      inference_feed={keep_prob: 1.0})


def main(_):
  mnist = input_data.read_data_sets(FLAGS.data_dir, one_hot=True, seed=FLAGS.seed)
  with tf.Graph().as_default():
    endpoints = build_graph(seed=FLAGS.seed)
    x, y_ = endpoints.images, endpoints.labels
    keep_prob, = endpoints.inference_feed
    with tf.name_scope('adam_optimizer'):
      train_step = tf.train.AdamOptimizer(RECIPE.learning_rate).minimize(endpoints.loss)
    with tf.name_scope('accuracy'):
      correct_prediction = tf.equal(tf.argmax(endpoints.logits, 1), tf.argmax(y_, 1))
      accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))
    with tf.Session() as sess:
      sess.run(tf.global_variables_initializer())
      for i in range(FLAGS.steps):
        batch = mnist.train.next_batch(FLAGS.batch_size)
        if i % 100 == 0:
          train_accuracy = accuracy.eval(feed_dict={x: batch[0], y_: batch[1], keep_prob: 1.0})
          print('step %d, training accuracy %g' % (i, train_accuracy))
        train_step.run(feed_dict={x: batch[0], y_: batch[1], keep_prob: RECIPE.keep_probability})
      print('test accuracy %g' % accuracy.eval(feed_dict={
          x: mnist.test.images, y_: mnist.test.labels, keep_prob: 1.0}))


def parse_flags(argv):
  """The original's flags, plus the step count, batch size and seed."""
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument('--data_dir', type=str, default='/tmp/tensorflow/mnist/input_data',
                      help='Directory with the MNIST IDX files (bundled copy if absent)')
  parser.add_argument('--steps', type=int, default=RECIPE.steps)
  parser.add_argument('--batch_size', type=int, default=RECIPE.batch_size)
  parser.add_argument('--seed', type=int, default=None)
  return parser.parse_known_args(argv)


if __name__ == '__main__':
  FLAGS, unparsed = parse_flags(sys.argv[1:])
  tf.app.run(main=main, argv=[sys.argv[0]] + unparsed)
