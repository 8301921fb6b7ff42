"""An MNIST Estimator trained with tf.estimator.train_and_evaluate, TF 1.x style.

The cluster comes from TF_CONFIG, as TF 1.x's RunConfig read it: the chief and the
workers train between-graph (variables on the ps), the chief writes checkpoints to
--model_dir, the evaluator evaluates each new checkpoint. Run it unmodified:

  python -m legacy_tf1 cluster --tf-config --evaluator --ps 1 --workers 2 \
      estimator_cluster.py --model_dir DIR --max_steps 60

Every task prints `task TYPE:ID done`; the evaluator prints its final metrics.
"""
import argparse
import sys

import numpy as np
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

FLAGS = None


def model_fn(features, labels, mode, params):
  net = tf.layers.dense(features["image"], params["hidden_units"], activation=tf.nn.relu,
                        name="hidden")
  logits = tf.layers.dense(net, 10, name="logits")
  predicted = tf.argmax(logits, axis=1)
  if mode == tf.estimator.ModeKeys.PREDICT:
    return tf.estimator.EstimatorSpec(mode, predictions={"class": predicted})
  loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
  if mode == tf.estimator.ModeKeys.EVAL:
    metrics = {"accuracy": tf.metrics.accuracy(labels=labels, predictions=predicted)}
    return tf.estimator.EstimatorSpec(mode, loss=loss, eval_metric_ops=metrics)
  optimizer = tf.train.AdamOptimizer(params["learning_rate"])
  train_op = optimizer.minimize(loss, global_step=tf.train.get_global_step())
  return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


def main(_):
  mnist = input_data.read_data_sets(FLAGS.data_dir, one_hot=False)
  train_input = tf.estimator.inputs.numpy_input_fn(
      x={"image": mnist.train.images[:5000]}, y=mnist.train.labels[:5000].astype(np.int32),
      batch_size=FLAGS.batch_size, num_epochs=None, shuffle=True)
  eval_input = tf.estimator.inputs.numpy_input_fn(
      x={"image": mnist.test.images[:1000]}, y=mnist.test.labels[:1000].astype(np.int32),
      batch_size=500, num_epochs=1, shuffle=False)
  config = tf.estimator.RunConfig(model_dir=FLAGS.model_dir, tf_random_seed=0,
                                  save_checkpoints_steps=FLAGS.save_checkpoints_steps,
                                  log_step_count_steps=10)
  estimator = tf.estimator.Estimator(
      model_fn, config=config, params={"hidden_units": 64, "learning_rate": 0.01})
  train_spec = tf.estimator.TrainSpec(train_input, max_steps=FLAGS.max_steps)
  eval_spec = tf.estimator.EvalSpec(eval_input, steps=None, start_delay_secs=0, throttle_secs=1)
  result = tf.estimator.train_and_evaluate(estimator, train_spec, eval_spec)
  if result is not None:
    metrics, _ = result
    print("task %s:%d metrics: global_step %d accuracy %.4f loss %.4f" % (
        config.task_type, config.task_id, metrics["global_step"], metrics["accuracy"],
        metrics["loss"]))
  print("task %s:%d done" % (config.task_type, config.task_id))


if __name__ == "__main__":
  parser = argparse.ArgumentParser()
  parser.add_argument("--data_dir", type=str, default="/tmp/mnist-data")
  parser.add_argument("--model_dir", type=str, default="/tmp/estimator_cluster")
  parser.add_argument("--max_steps", type=int, default=100)
  parser.add_argument("--batch_size", type=int, default=50)
  parser.add_argument("--save_checkpoints_steps", type=int, default=20)
  FLAGS, unparsed = parser.parse_known_args()
  tf.app.run(main=main, argv=[sys.argv[0]] + unparsed)
