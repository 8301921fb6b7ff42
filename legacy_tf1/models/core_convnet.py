"""Custom ConvNet in TensorFlow Core, in its TF 1.x graph/session form.

Keras twin: modern_keras/models/core_convnet.py (layers c1, c2, pool1, c3, c4,
pool2, flatten, d1, dropout, out: the keys of the original's weight dicts and
its op names, in the same order). Run it as the original program:

    python -m legacy_tf1.models.core_convnet --epochs 5 --seed 0
    python -m legacy_tf1.models.core_convnet --steps 40 --save_path /tmp/cc/model.ckpt

or use `build_graph()` inside a `tf.Graph().as_default()` to get its named
layers and variables without training (the parity suite does). Dropout is on
only when the `training` placeholder (default False) is fed True.
"""

import argparse
import math
import os
import sys

import numpy as np

import legacy_tf1.compat as tf
from legacy_tf1 import endpoints as endpoints_lib
from mnist_core import mnist, recipes

try:
  from tqdm import tqdm
except ImportError:  # tqdm is optional (not a dependency): fall back to a plain counter
  tqdm = None

RECIPE = recipes.CORE_CONVNET
STEPS_PER_EPOCH = 468  # the original's 60,000 // 128
EVAL_BATCH_SIZE = 1000  # the test set in slices, to keep activations small
FLAGS = None


def conv2d(x, W, b, strides=1):
  """Conv2D wrapper, with bias and relu activation."""
  x = tf.nn.conv2d(x, W, strides=[1, strides, strides, 1], padding='SAME')
  x = tf.nn.bias_add(x, b)
  return tf.nn.relu(x)


def maxpool2d(x, k=2):
  """MaxPool2D wrapper: k x k, stride k, SAME."""
  return tf.nn.max_pool(x, ksize=[1, k, k, 1], strides=[1, k, k, 1], padding='SAME')


def make_variables():
  """The original's weights (xavier) and biases (zeros), in dicts keyed by layer."""
  xavier = tf.contrib.layers.xavier_initializer()
  zeros = tf.zeros_initializer()
  weights = {
      'c1': tf.get_variable('W1', shape=(3, 3, 1, 16), initializer=xavier),
      'c2': tf.get_variable('W2', shape=(3, 3, 16, 16), initializer=xavier),
      'c3': tf.get_variable('W3', shape=(3, 3, 16, 32), initializer=xavier),
      'c4': tf.get_variable('W4', shape=(3, 3, 32, 32), initializer=xavier),
      'd1': tf.get_variable('W5', shape=(7 * 7 * 32, 128), initializer=xavier),
      'out': tf.get_variable('W6', shape=(128, 10), initializer=xavier),
  }
  biases = {
      'c1': tf.get_variable('B1', shape=(16), initializer=zeros),
      'c2': tf.get_variable('B2', shape=(16), initializer=zeros),
      'c3': tf.get_variable('B3', shape=(32), initializer=zeros),
      'c4': tf.get_variable('B4', shape=(32), initializer=zeros),
      'd1': tf.get_variable('B5', shape=(128), initializer=zeros),
      'out': tf.get_variable('B6', shape=(10), initializer=zeros),
  }
  return weights, biases


def conv_net(x, weights, biases, training, dropout_rate):
  """The network; returns (logits, layers) with layers keyed by their Keras names."""
  c1 = conv2d(x, weights['c1'], biases['c1'])
  c2 = conv2d(c1, weights['c2'], biases['c2'])
  pool1 = maxpool2d(c2, k=2)
  c3 = conv2d(pool1, weights['c3'], biases['c3'])
  c4 = conv2d(c3, weights['c4'], biases['c4'])
  pool2 = maxpool2d(c4, k=2)
  flatten = tf.reshape(pool2, [-1, weights['d1'].get_shape().as_list()[0]])
  d1 = tf.nn.relu(tf.add(tf.matmul(flatten, weights['d1']), biases['d1']))
  # The original applied dropout only in its training graph; here a switch the caller feeds.
  dropout = tf.cond(training, lambda: tf.nn.dropout(d1, rate=dropout_rate), lambda: d1)
  out = tf.add(tf.matmul(dropout, weights['out']), biases['out'])
  layers = {'c1': c1, 'c2': c2, 'pool1': pool1, 'c3': c3, 'c4': c4, 'pool2': pool2,
            'flatten': flatten, 'd1': d1, 'dropout': dropout, 'out': out}
  return out, layers


def build_graph(recipe=RECIPE, seed=None):
  """Builds placeholders, net and loss in the default graph; returns GraphEndpoints."""
  if seed is not None:
    tf.set_random_seed(seed)
  Xtrain = tf.placeholder(tf.float32, [None, 28, 28, 1], name='Xtrain')
  ytrain = tf.placeholder(tf.float32, [None, 10], name='ytrain')
  training = tf.placeholder_with_default(False, [], name='training')
  weights, biases = make_variables()
  logits, layers = conv_net(Xtrain, weights, biases, training, recipe.dropout_rate)
  loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=logits, labels=ytrain))
  variables = {name: [weights[name], biases[name]] for name in weights}
  return endpoints_lib.GraphEndpoints(
      images=Xtrain, labels=ytrain, logits=logits, loss=loss, layers=layers,
      variables=variables, training_feed={training: True}, inference_feed={training: False})


def load_arrays():
  """Keras-style arrays: float32 images / 255 with a channel axis, one-hot train labels."""
  (x_train, y_train), (x_test, y_test) = mnist.load_data()
  x_train = (x_train / 255.0).astype(np.float32)[..., np.newaxis]
  x_test = (x_test / 255.0).astype(np.float32)[..., np.newaxis]
  y_train = np.eye(10, dtype=np.float32)[y_train]  # to_categorical
  return x_train, y_train, x_test, y_test


def progress(steps, epoch):
  """The training steps of one epoch, behind a tqdm bar when tqdm is installed."""
  if tqdm is not None:
    return tqdm(range(steps), desc='epoch %d' % epoch)
  print('epoch %d: %d steps' % (epoch, steps))
  return range(steps)


def input_pipeline(x_shape, y_shape):
  """Dataset.from_tensor_slices((x, y)).repeat().batch(128) behind placeholders x, y."""
  x_data = tf.placeholder(tf.float32, x_shape)
  y_data = tf.placeholder(tf.float32, y_shape)
  dataset = tf.data.Dataset.from_tensor_slices((x_data, y_data)).repeat().batch(RECIPE.batch_size)
  return x_data, y_data, dataset.make_initializable_iterator()


def evaluate(sess, metric, Xtrain, ytest, x_test, y_test):
  """Streaming metrics.accuracy over the test set, from fresh local variables."""
  accuracy, accuracy_op, reset_metric = metric
  sess.run(reset_metric)
  for start in range(0, len(x_test), EVAL_BATCH_SIZE):
    sess.run(accuracy_op, feed_dict={Xtrain: x_test[start:start + EVAL_BATCH_SIZE],
                                     ytest: y_test[start:start + EVAL_BATCH_SIZE]})
  return sess.run(accuracy)


def train(steps, steps_per_epoch, save_path, seed=None):
  """Trains for `steps` batches of 128 (epochs of `steps_per_epoch`); returns test accuracy."""
  x_train, y_train, x_test, y_test = load_arrays()
  with tf.Graph().as_default():
    endpoints = build_graph(seed=seed)
    Xtrain, ytrain = endpoints.images, endpoints.labels
    train_op = tf.train.AdamOptimizer(RECIPE.learning_rate).minimize(endpoints.loss)
    ytest = tf.placeholder(tf.int64, [None], name='ytest')
    accuracy, accuracy_op = tf.metrics.accuracy(labels=ytest, predictions=tf.argmax(endpoints.logits, 1))
    metric = (accuracy, accuracy_op, tf.local_variables_initializer())
    x_data, y_data, iterator = input_pipeline(x_train.shape, y_train.shape)
    next_batch = iterator.get_next()
    init, saver = tf.global_variables_initializer(), tf.train.Saver()
    with tf.Session() as sess:
      sess.run(init)
      sess.run(iterator.initializer, feed_dict={x_data: x_train, y_data: y_train})
      for epoch in range(math.ceil(steps / steps_per_epoch)):
        for _ in progress(min(steps_per_epoch, steps - epoch * steps_per_epoch), epoch + 1):
          batch_x, batch_y = sess.run(next_batch)
          sess.run(train_op, feed_dict={Xtrain: batch_x, ytrain: batch_y, **endpoints.training_feed})
        test_accuracy = evaluate(sess, metric, Xtrain, ytest, x_test, y_test)
        print('epoch %d, test accuracy %g' % (epoch + 1, test_accuracy))
      os.makedirs(os.path.dirname(os.path.abspath(save_path)), exist_ok=True)
      print('model saved in %s' % saver.save(sess, save_path))
  return test_accuracy


def main(_):
  steps = FLAGS.epochs * FLAGS.steps_per_epoch if FLAGS.epochs is not None else FLAGS.steps
  if steps < 1 or FLAGS.steps_per_epoch < 1:
    raise ValueError('steps=%d, steps_per_epoch=%d; expected both >= 1' % (steps, FLAGS.steps_per_epoch))
  test_accuracy = train(steps, FLAGS.steps_per_epoch, FLAGS.save_path, seed=FLAGS.seed)
  print('test accuracy %g' % test_accuracy)


def parse_flags(argv):
  """Training length (--steps, or --epochs of --steps_per_epoch), checkpoint path and seed."""
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument('--steps', type=int, default=RECIPE.steps,
                      help='Training steps in all (default: 5 epochs of 468)')
  parser.add_argument('--epochs', type=int, default=None,
                      help='Train this many epochs instead of --steps')
  parser.add_argument('--steps_per_epoch', type=int, default=STEPS_PER_EPOCH)
  parser.add_argument('--save_path', type=str, default='/tmp/tensorflow/core_convnet/model.ckpt',
                      help='Checkpoint prefix for train.Saver')
  parser.add_argument('--seed', type=int, default=None)
  return parser.parse_known_args(argv)


if __name__ == '__main__':
  FLAGS, unparsed = parse_flags(sys.argv[1:])
  tf.app.run(main=main, argv=[sys.argv[0]] + unparsed)
