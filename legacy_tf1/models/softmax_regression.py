"""Deep MNIST for Experts, part 1 (mnist_softmax.py), in its TF 1.x graph/session form.

Keras twin: modern_keras/models/softmax_regression.py (its one Dense layer is
named `linear`, the TF1 `y = matmul(x, W) + b`). Run it as the original program:

    python -m legacy_tf1.models.softmax_regression --steps 1000 --seed 0

or use `build_graph()` inside a `tf.Graph().as_default()` to get its named
layer and variables without training (the parity suite does).
"""

import argparse
import sys

import legacy_tf1.compat as tf
from legacy_tf1 import endpoints as endpoints_lib
from legacy_tf1.compat.examples.tutorials.mnist import input_data
from mnist_core import recipes

RECIPE = recipes.SOFTMAX_REGRESSION
FLAGS = None


def build_graph(recipe=RECIPE, seed=None):
  """Builds the model and loss in the default graph; returns GraphEndpoints."""
  del recipe  # no dropout and no sizes to read: the model is the same for any recipe
  if seed is not None:
    tf.set_random_seed(seed)
  # Create the model
  x = tf.placeholder(tf.float32, [None, 784])
  W = tf.Variable(tf.zeros([784, 10]))
  b = tf.Variable(tf.zeros([10]))
  y = tf.matmul(x, W) + b

  # Define loss
  y_ = tf.placeholder(tf.float32, [None, 10])
  cross_entropy = tf.reduce_mean(
      tf.nn.softmax_cross_entropy_with_logits(labels=y_, logits=y))
  return endpoints_lib.GraphEndpoints(
      images=x, labels=y_, logits=y, loss=cross_entropy,
      layers={'linear': y}, variables={'linear': [W, b]})


def main(_):
  # Import data
  mnist = input_data.read_data_sets(FLAGS.data_dir, one_hot=True, seed=FLAGS.seed)
  with tf.Graph().as_default():
    endpoints = build_graph(seed=FLAGS.seed)
    x, y_, y = endpoints.images, endpoints.labels, endpoints.logits
    train_step = tf.train.GradientDescentOptimizer(RECIPE.learning_rate).minimize(endpoints.loss)

    sess = tf.InteractiveSession()
    try:
      tf.global_variables_initializer().run()
      # Train
      for _ in range(FLAGS.steps):
        batch_xs, batch_ys = mnist.train.next_batch(FLAGS.batch_size)
        train_step.run(feed_dict={x: batch_xs, y_: batch_ys})

      # Test trained model
      correct_prediction = tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1))
      accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))
      print('test accuracy %g' % accuracy.eval(feed_dict={
          x: mnist.test.images, y_: mnist.test.labels}))
    finally:
      # Closed inside the `with`: the session leaves the default-graph stack it entered.
      sess.close()


def parse_flags(argv):
  """The original's --data_dir, plus the step count, batch size and seed."""
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
