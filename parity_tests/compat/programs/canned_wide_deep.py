# A TF 1.x wide & deep program in the style of TF 1.x's wide_deep tutorial, on an
# iris-like data set the program generates itself: --model_type picks the premade
# tf.estimator.LinearClassifier ('wide'), DNNClassifier ('deep') or
# DNNLinearCombinedClassifier ('wide_n_deep'). Run unmodified by
# parity_tests/compat/test_canned_programs.py.
"""Trains and evaluates a wide, deep or wide & deep classifier of three species."""
from __future__ import absolute_import
from __future__ import division
from __future__ import print_function

import argparse
import sys

import numpy as np
import tensorflow as tf

FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width']
# Per-species means and spreads of the four measurements (cm), iris-like.
MEANS = np.array([[5.0, 3.4, 1.5, 0.2], [5.9, 2.8, 4.3, 1.3], [6.6, 3.0, 5.6, 2.0]])
SPREADS = np.array([[0.35, 0.38, 0.17, 0.10], [0.52, 0.31, 0.47, 0.20], [0.64, 0.32, 0.55, 0.27]])

FLAGS = None


def make_flowers(count, seed):
  """`count` flowers: a dict of float32 measurements and int32 species labels."""
  rng = np.random.RandomState(seed)
  species = rng.randint(0, 3, size=count)
  values = MEANS[species] + SPREADS[species] * rng.randn(count, 4)
  features = {name: values[:, i].astype(np.float32) for i, name in enumerate(FEATURES)}
  return features, species.astype(np.int32)


def build_estimator(model_dir, model_type):
  """The premade Estimator for model_type, with wide and deep feature columns."""
  measurements = [tf.feature_column.numeric_column(name) for name in FEATURES]
  petal_length_buckets = tf.feature_column.bucketized_column(
      measurements[2], boundaries=[2.5, 4.0, 5.0])
  wide_columns = measurements + [petal_length_buckets]
  deep_columns = measurements
  config = tf.estimator.RunConfig(tf_random_seed=FLAGS.seed)
  if model_type == 'wide':
    return tf.estimator.LinearClassifier(
        model_dir=model_dir, feature_columns=wide_columns, n_classes=3, config=config)
  if model_type == 'deep':
    return tf.estimator.DNNClassifier(
        model_dir=model_dir, feature_columns=deep_columns, hidden_units=[16, 8],
        n_classes=3, config=config)
  return tf.estimator.DNNLinearCombinedClassifier(
      model_dir=model_dir,
      linear_feature_columns=wide_columns,
      dnn_feature_columns=deep_columns,
      dnn_hidden_units=[16, 8],
      dnn_optimizer=tf.train.AdagradOptimizer(learning_rate=0.1),
      n_classes=3,
      config=config)


def main(_):
  tf.logging.set_verbosity(tf.logging.WARN)
  train_features, train_labels = make_flowers(600, seed=FLAGS.seed)
  test_features, test_labels = make_flowers(150, seed=FLAGS.seed + 1)
  model = build_estimator(FLAGS.model_dir, FLAGS.model_type)
  if FLAGS.train_steps > 0:
    model.train(
        input_fn=tf.estimator.inputs.numpy_input_fn(
            train_features, train_labels, batch_size=32, num_epochs=None, shuffle=True),
        steps=FLAGS.train_steps)
  results = model.evaluate(input_fn=tf.estimator.inputs.numpy_input_fn(
      test_features, test_labels, batch_size=50, num_epochs=1, shuffle=False))
  print('model_type: %s' % FLAGS.model_type)
  for key in sorted(results):
    print('%s: %s' % (key, results[key]))


if __name__ == '__main__':
  parser = argparse.ArgumentParser()
  parser.add_argument('--model_dir', type=str, default='/tmp/iris_wide_deep')
  parser.add_argument('--model_type', type=str, default='wide_n_deep',
                      choices=['wide', 'deep', 'wide_n_deep'])
  parser.add_argument('--train_steps', type=int, default=1000)
  parser.add_argument('--seed', type=int, default=7)
  FLAGS, unparsed = parser.parse_known_args()
  tf.app.run(main=main, argv=[sys.argv[0]] + unparsed)
