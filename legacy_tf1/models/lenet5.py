"""LeNet-5 ("LeNet-5 своими руками", tf.layers + tf.estimator), in TF 1.x form.

Keras twin: modern_keras/models/lenet5.py (same layer names, same order). The
article builds LeNet-5 with `tf.layers` in an Estimator `model_fn`, following
the TF Layers guide; the second convolution uses relu, as the article's text
says (the author's repository has tanh there). Run it as the original program:

    python -m legacy_tf1.models.lenet5 --steps 50000 --model_dir /tmp/lenet5_model --seed 0

or use `build_graph()` inside a `tf.Graph().as_default()` to get its named
layers and variables without training (the parity suite does).

Like every Estimator program it resumes from the latest checkpoint in --model_dir
(TF1 checkpoints every 600 seconds; --save_checkpoints_steps N every N steps), and
train(steps=N) trains N more steps from there, as in TF1: after a crash at
checkpoint K, --steps (planned - K) finishes the planned run
(parity_tests/kit/test_resume.py).
"""

import argparse
import sys

import numpy as np

import legacy_tf1.compat as tf
from legacy_tf1 import endpoints as endpoints_lib
from mnist_core import recipes

RECIPE = recipes.LENET5
FLAGS = None


def lenet5_layers(features):
  """The network of lenet5_model_fn, input layer to logits.

  Returns (logits, layers), layers naming each output by its tf.layers default name.
  """
  # Input layer: 28x28 grayscale images
  input_layer = tf.reshape(features["x"], [-1, 28, 28, 1])

  # C1: 6 feature maps 5x5, padded to keep 28x28
  conv1 = tf.layers.conv2d(
      inputs=input_layer,
      filters=6,
      kernel_size=[5, 5],
      padding="same",
      activation=tf.nn.tanh)

  # S2: subsampling to 14x14
  pool1 = tf.layers.max_pooling2d(inputs=conv1, pool_size=[2, 2], strides=2)

  # C3: 16 feature maps 5x5 -> 10x10
  conv2 = tf.layers.conv2d(
      inputs=pool1,
      filters=16,
      kernel_size=[5, 5],
      padding="valid",
      activation=tf.nn.relu)

  # S4: subsampling to 5x5
  pool2 = tf.layers.max_pooling2d(inputs=conv2, pool_size=[2, 2], strides=2)

  # C5 and F6: fully connected 120 and 84
  pool2_flat = tf.reshape(pool2, [-1, 5 * 5 * 16])
  dense1 = tf.layers.dense(inputs=pool2_flat, units=120, activation=tf.nn.tanh)
  dense2 = tf.layers.dense(inputs=dense1, units=84, activation=tf.nn.tanh)

  # Output layer: 10 logits
  logits = tf.layers.dense(inputs=dense2, units=10)

  layers = {"reshape": input_layer, "conv2d": conv1, "max_pooling2d": pool1,
            "conv2d_1": conv2, "max_pooling2d_1": pool2, "flatten": pool2_flat,
            "dense": dense1, "dense_1": dense2, "dense_2": logits}
  return logits, layers


def lenet5_model_fn(features, labels, mode):
  """Model function for LeNet-5."""
  logits, _ = lenet5_layers(features)

  predictions = {
      "classes": tf.argmax(input=logits, axis=1),
      "probabilities": tf.nn.softmax(logits, name="softmax_tensor")
  }
  if mode == tf.estimator.ModeKeys.PREDICT:
    return tf.estimator.EstimatorSpec(mode=mode, predictions=predictions)

  loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)

  if mode == tf.estimator.ModeKeys.TRAIN:
    optimizer = tf.train.GradientDescentOptimizer(learning_rate=RECIPE.learning_rate)
    train_op = optimizer.minimize(
        loss=loss,
        global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode=mode, loss=loss, train_op=train_op)

  eval_metric_ops = {
      "accuracy": tf.metrics.accuracy(
          labels=labels, predictions=predictions["classes"])}
  return tf.estimator.EstimatorSpec(
      mode=mode, loss=loss, eval_metric_ops=eval_metric_ops)


def build_graph(recipe=RECIPE, seed=None):
  """Builds inputs, lenet5_model_fn's network and loss in the default graph; returns GraphEndpoints."""
  del recipe  # no dropout, and the sizes are the program's own
  if seed is not None:
    tf.set_random_seed(seed)
  x = tf.placeholder(tf.float32, [None, 784])
  labels = tf.placeholder(tf.int32, [None])
  logits, layers = lenet5_layers({"x": x})
  # The loss lenet5_model_fn computes in TRAIN and EVAL mode.
  loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
  variables = {name: tf.trainable_variables(scope=name + "/")
               for name in ("conv2d", "conv2d_1", "dense", "dense_1", "dense_2")}
  return endpoints_lib.GraphEndpoints(
      images=x, labels=labels, logits=logits, loss=loss, layers=layers,
      variables=variables)


def main(unused_argv):
  # Load training and eval data
  mnist = tf.contrib.learn.datasets.load_dataset("mnist")
  train_data = mnist.train.images
  train_labels = np.asarray(mnist.train.labels, dtype=np.int32)
  eval_data = mnist.test.images
  eval_labels = np.asarray(mnist.test.labels, dtype=np.int32)

  # Create the Estimator
  config = tf.estimator.RunConfig(tf_random_seed=FLAGS.seed)
  if FLAGS.save_checkpoints_steps:
    # Instead of the default checkpoint every 600 seconds.
    config = config.replace(save_checkpoints_steps=FLAGS.save_checkpoints_steps)
  lenet5_classifier = tf.estimator.Estimator(
      model_fn=lenet5_model_fn, model_dir=FLAGS.model_dir, config=config)

  # Set up logging for predictions
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
  lenet5_classifier.train(
      input_fn=train_input_fn,
      steps=FLAGS.steps,
      hooks=[logging_hook])

  # Evaluate the model and print results
  eval_input_fn = tf.estimator.inputs.numpy_input_fn(
      x={"x": eval_data},
      y=eval_labels,
      num_epochs=1,
      shuffle=False)
  eval_results = lenet5_classifier.evaluate(input_fn=eval_input_fn)
  print(eval_results)


def parse_flags(argv):
  """The step count (the article's 50000), the model directory, the seed and the checkpoint interval."""
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--steps", type=int, default=RECIPE.steps)
  parser.add_argument("--model_dir", type=str, default="/tmp/lenet5_model",
                      help="Checkpoints go here; an existing one is resumed, as in TF1")
  parser.add_argument("--seed", type=int, default=None,
                      help="RunConfig(tf_random_seed=...): initializers and shuffling")
  parser.add_argument("--save_checkpoints_steps", type=int, default=None,
                      help="RunConfig(save_checkpoints_steps=...): a checkpoint every N steps "
                           "(default: every 600 seconds)")
  return parser.parse_known_args(argv)


if __name__ == "__main__":
  FLAGS, unparsed = parse_flags(sys.argv[1:])
  tf.logging.set_verbosity(tf.logging.INFO)
  tf.app.run(main=main, argv=[sys.argv[0]] + unparsed)
