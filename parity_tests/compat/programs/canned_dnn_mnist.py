# A TF 1.x premade-Estimator program as TF 1.x users wrote them: MNIST pixels as one
# numeric feature column, tf.estimator.DNNClassifier, numpy_input_fn; run unmodified by
# parity_tests/compat/test_canned_programs.py (short --train_steps, --model_dir under tmp).
"""Trains a DNNClassifier on MNIST, evaluates it on the test set and prints the metrics.

With --train_steps=0 it only evaluates the model already saved in --model_dir.
"""
from __future__ import absolute_import
from __future__ import division
from __future__ import print_function

import numpy as np
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

flags = tf.app.flags
flags.DEFINE_string('data_dir', '/tmp/mnist_data', 'Directory for the MNIST data.')
flags.DEFINE_string('model_dir', '/tmp/mnist_dnn_classifier', 'Checkpoints go here.')
flags.DEFINE_integer('train_steps', 2000, 'Training steps; 0 evaluates model_dir only.')
flags.DEFINE_integer('batch_size', 100, 'Training batch size.')
flags.DEFINE_integer('seed', 42, 'Graph-level random seed.')
FLAGS = flags.FLAGS


def main(unused_argv):
  tf.logging.set_verbosity(tf.logging.INFO)
  mnist = input_data.read_data_sets(FLAGS.data_dir, one_hot=False)
  train_images = mnist.train.images
  train_labels = np.asarray(mnist.train.labels, dtype=np.int32)
  test_images = mnist.test.images
  test_labels = np.asarray(mnist.test.labels, dtype=np.int32)

  pixels = tf.feature_column.numeric_column('pixels', shape=[784])
  classifier = tf.estimator.DNNClassifier(
      feature_columns=[pixels],
      hidden_units=[256, 64],
      n_classes=10,
      dropout=0.1,
      model_dir=FLAGS.model_dir,
      config=tf.estimator.RunConfig(tf_random_seed=FLAGS.seed))

  if FLAGS.train_steps > 0:
    train_input_fn = tf.estimator.inputs.numpy_input_fn(
        x={'pixels': train_images}, y=train_labels,
        batch_size=FLAGS.batch_size, num_epochs=None, shuffle=True)
    classifier.train(input_fn=train_input_fn, steps=FLAGS.train_steps)

  test_input_fn = tf.estimator.inputs.numpy_input_fn(
      x={'pixels': test_images}, y=test_labels, num_epochs=1, shuffle=False)
  results = classifier.evaluate(input_fn=test_input_fn)
  print('Global step: %d' % results['global_step'])
  print('Test accuracy: %.4f' % results['accuracy'])
  print('Average loss: %.4f' % results['average_loss'])

  predict_input_fn = tf.estimator.inputs.numpy_input_fn(
      x={'pixels': test_images[:10]}, num_epochs=1, shuffle=False)
  predicted = [int(p['class_ids'][0]) for p in classifier.predict(input_fn=predict_input_fn)]
  print('Predicted classes: %s' % predicted)
  print('True classes:      %s' % test_labels[:10].tolist())


if __name__ == '__main__':
  tf.app.run()
