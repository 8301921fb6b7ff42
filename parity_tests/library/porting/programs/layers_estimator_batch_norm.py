# A TF 1.x program as TF 1.x users wrote it: a tf.layers CNN with batch normalization in an
# Estimator model_fn, fed by numpy_input_fn, run with tf.app.run and tf.app.flags.
# parity_tests/library/porting/test_capture.py captures it and recognises its layers.
"""Convolutional network with batch norm, tf.layers + tf.estimator."""
from __future__ import absolute_import
from __future__ import division
from __future__ import print_function

import numpy as np
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

flags = tf.app.flags
flags.DEFINE_integer('train_steps', 2000, 'Number of training steps.')
flags.DEFINE_string('model_dir', '/tmp/mnist_bn_estimator', 'Checkpoint directory.')
FLAGS = flags.FLAGS


def cnn_model_fn(features, labels, mode):
  """A conv/batch-norm/relu block twice, then a dense layer and the logits."""
  is_training = mode == tf.estimator.ModeKeys.TRAIN
  net = tf.reshape(features['x'], [-1, 28, 28, 1])
  net = tf.layers.conv2d(net, filters=16, kernel_size=3, padding='same', use_bias=False,
                         name='conv1')
  net = tf.layers.batch_normalization(net, momentum=0.9, training=is_training, name='bn1')
  net = tf.nn.relu(net, name='relu1')
  net = tf.layers.max_pooling2d(net, pool_size=2, strides=2, name='pool1')
  net = tf.layers.conv2d(net, filters=32, kernel_size=3, padding='same', use_bias=False,
                         name='conv2')
  net = tf.layers.batch_normalization(net, momentum=0.9, epsilon=1e-5, training=is_training,
                                      name='bn2')
  net = tf.nn.relu(net, name='relu2')
  net = tf.layers.average_pooling2d(net, pool_size=2, strides=2, name='pool2')
  net = tf.layers.flatten(net, name='flatten')
  net = tf.layers.dense(net, 64, activation=tf.nn.relu, name='fc1')
  net = tf.layers.dropout(net, rate=0.3, training=is_training, name='dropout')
  logits = tf.layers.dense(net, 10, name='logits')

  predictions = {'classes': tf.argmax(logits, axis=1),
                 'probabilities': tf.nn.softmax(logits, name='softmax_tensor')}
  if mode == tf.estimator.ModeKeys.PREDICT:
    return tf.estimator.EstimatorSpec(mode=mode, predictions=predictions)

  loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
  if mode == tf.estimator.ModeKeys.TRAIN:
    optimizer = tf.train.MomentumOptimizer(learning_rate=0.01, momentum=0.9)
    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.control_dependencies(update_ops):
      train_op = optimizer.minimize(loss=loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode=mode, loss=loss, train_op=train_op)

  eval_metric_ops = {'accuracy': tf.metrics.accuracy(labels=labels,
                                                     predictions=predictions['classes'])}
  return tf.estimator.EstimatorSpec(mode=mode, loss=loss, eval_metric_ops=eval_metric_ops)


def main(unused_argv):
  mnist = input_data.read_data_sets('/tmp/mnist_data', seed=0)
  train_data = mnist.train.images
  train_labels = np.asarray(mnist.train.labels, dtype=np.int32)
  classifier = tf.estimator.Estimator(model_fn=cnn_model_fn, model_dir=FLAGS.model_dir)
  train_input_fn = tf.estimator.inputs.numpy_input_fn(
      x={'x': train_data}, y=train_labels, batch_size=100, num_epochs=None, shuffle=True)
  classifier.train(input_fn=train_input_fn, steps=FLAGS.train_steps)
  eval_input_fn = tf.estimator.inputs.numpy_input_fn(
      x={'x': mnist.test.images}, y=np.asarray(mnist.test.labels, dtype=np.int32),
      num_epochs=1, shuffle=False)
  print(classifier.evaluate(input_fn=eval_input_fn))


if __name__ == '__main__':
  tf.logging.set_verbosity(tf.logging.INFO)
  tf.app.run()
