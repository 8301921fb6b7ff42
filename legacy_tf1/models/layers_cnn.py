"""A Guide to TF Layers (cnn_mnist.py), its `tf.estimator` variant, in TF 1.x form.

Keras twin: modern_keras/models/layers_cnn.py (same layer names, same order).
The tutorial's earlier `tf.contrib.learn` variant of the same network is
legacy_tf1/models/layers_cnn_contrib_learn.py. Run it as the original program:

    python -m legacy_tf1.models.layers_cnn --steps 20000 --model_dir /tmp/mnist_convnet_model --seed 0

or use `build_graph()` inside a `tf.Graph().as_default()` to get its named
layers and variables without training (the parity suite does).
"""

import argparse
import sys

import numpy as np

import legacy_tf1.compat as tf
from legacy_tf1 import endpoints as endpoints_lib
from mnist_core import recipes

RECIPE = recipes.LAYERS_CNN
FLAGS = None


def cnn_layers(features, training, dropout_rate=RECIPE.dropout_rate):
  """The network of cnn_model_fn, input layer to logits; `training` switches dropout.

  Returns (logits, layers), layers naming each output by its tf.layers default name.
  """
  # Input Layer
  input_layer = tf.reshape(features["x"], [-1, 28, 28, 1])

  # Convolutional Layer #1
  conv1 = tf.layers.conv2d(
      inputs=input_layer,
      filters=32,
      kernel_size=[5, 5],
      padding="same",
      activation=tf.nn.relu)

  # Pooling Layer #1
  pool1 = tf.layers.max_pooling2d(inputs=conv1, pool_size=[2, 2], strides=2)

  # Convolutional Layer #2 and Pooling Layer #2
  conv2 = tf.layers.conv2d(
      inputs=pool1,
      filters=64,
      kernel_size=[5, 5],
      padding="same",
      activation=tf.nn.relu)
  pool2 = tf.layers.max_pooling2d(inputs=conv2, pool_size=[2, 2], strides=2)

  # Dense Layer
  pool2_flat = tf.reshape(pool2, [-1, 7 * 7 * 64])
  dense = tf.layers.dense(inputs=pool2_flat, units=1024, activation=tf.nn.relu)
  dropout = tf.layers.dropout(inputs=dense, rate=dropout_rate, training=training)

  # Logits Layer
  logits = tf.layers.dense(inputs=dropout, units=10)

  layers = {"reshape": input_layer, "conv2d": conv1, "max_pooling2d": pool1,
            "conv2d_1": conv2, "max_pooling2d_1": pool2, "flatten": pool2_flat,
            "dense": dense, "dropout": dropout, "dense_1": logits}
  return logits, layers


def cnn_model_fn(features, labels, mode):
  """Model function for CNN."""
  logits, _ = cnn_layers(features, training=mode == tf.estimator.ModeKeys.TRAIN)

  predictions = {
      # Generate predictions (for PREDICT and EVAL mode)
      "classes": tf.argmax(input=logits, axis=1),
      # Add `softmax_tensor` to the graph. It is used for PREDICT and by the
      # `logging_hook`.
      "probabilities": tf.nn.softmax(logits, name="softmax_tensor")
  }
  if mode == tf.estimator.ModeKeys.PREDICT:
    return tf.estimator.EstimatorSpec(mode=mode, predictions=predictions)

  # Calculate Loss (for both TRAIN and EVAL modes)
  loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)

  # Configure the Training Op (for TRAIN mode)
  if mode == tf.estimator.ModeKeys.TRAIN:
    optimizer = tf.train.GradientDescentOptimizer(learning_rate=RECIPE.learning_rate)
    train_op = optimizer.minimize(
        loss=loss,
        global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode=mode, loss=loss, train_op=train_op)

  # Add evaluation metrics (for EVAL mode)
  eval_metric_ops = {
      "accuracy": tf.metrics.accuracy(
          labels=labels, predictions=predictions["classes"])}
  return tf.estimator.EstimatorSpec(
      mode=mode, loss=loss, eval_metric_ops=eval_metric_ops)


def build_graph(recipe=RECIPE, seed=None):
  """Builds inputs, cnn_model_fn's network and loss in the default graph; returns GraphEndpoints.

  cnn_model_fn's `training=mode == TRAIN` becomes a feedable switch (False
  unless fed), so one graph serves both training and inference.
  """
  if seed is not None:
    tf.set_random_seed(seed)
  x = tf.placeholder(tf.float32, [None, 784])
  labels = tf.placeholder(tf.int32, [None])
  training = tf.placeholder_with_default(False, [], name="training")
  logits, layers = cnn_layers({"x": x}, training=training, dropout_rate=recipe.dropout_rate)
  # The loss cnn_model_fn computes in TRAIN and EVAL mode.
  loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
  variables = {name: tf.trainable_variables(scope=name + "/")
               for name in ("conv2d", "conv2d_1", "dense", "dense_1")}
  return endpoints_lib.GraphEndpoints(
      images=x, labels=labels, logits=logits, loss=loss, layers=layers,
      variables=variables, training_feed={training: True}, inference_feed={})


def main(unused_argv):
  # Load training and eval data
  mnist = tf.contrib.learn.datasets.load_dataset("mnist")
  train_data = mnist.train.images  # Returns np.array
  train_labels = np.asarray(mnist.train.labels, dtype=np.int32)
  eval_data = mnist.test.images  # Returns np.array
  eval_labels = np.asarray(mnist.test.labels, dtype=np.int32)

  # Create the Estimator
  mnist_classifier = tf.estimator.Estimator(
      model_fn=cnn_model_fn, model_dir=FLAGS.model_dir,
      config=tf.estimator.RunConfig(tf_random_seed=FLAGS.seed))

  # Set up logging for predictions
  # Log the values in the "Softmax" tensor with label "probabilities"
  tensors_to_log = {"probabilities": "softmax_tensor"}
  logging_hook = tf.train.LoggingTensorHook(
      tensors=tensors_to_log, every_n_iter=50)

  # Train the model
  train_input_fn = tf.estimator.inputs.numpy_input_fn(
      x={"x": train_data},
      y=train_labels,
      batch_size=RECIPE.batch_size,
      num_epochs=None,
      shuffle=True)
  mnist_classifier.train(
      input_fn=train_input_fn,
      steps=FLAGS.steps,
      hooks=[logging_hook])

  # Evaluate the model and print results
  eval_input_fn = tf.estimator.inputs.numpy_input_fn(
      x={"x": eval_data},
      y=eval_labels,
      num_epochs=1,
      shuffle=False)
  eval_results = mnist_classifier.evaluate(input_fn=eval_input_fn)
  print(eval_results)


def parse_flags(argv):
  """The step count (the original's 20000), the model directory and the seed."""
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--steps", type=int, default=RECIPE.steps)
  parser.add_argument("--model_dir", type=str, default="/tmp/mnist_convnet_model",
                      help="Checkpoints go here; an existing one is resumed, as in TF1")
  parser.add_argument("--seed", type=int, default=None,
                      help="RunConfig(tf_random_seed=...): initializers, dropout, shuffling")
  return parser.parse_known_args(argv)


if __name__ == "__main__":
  FLAGS, unparsed = parse_flags(sys.argv[1:])
  tf.logging.set_verbosity(tf.logging.INFO)
  tf.app.run(main=main, argv=[sys.argv[0]] + unparsed)
