# A TF 1.x program touching the runner's import paths, flags and tf.app.run();
# prints one JSON report line.
import json

import numpy as np
import tensorflow as tf
import tensorflow.compat.v1 as tf_v1
from tensorflow.contrib import layers as contrib_layers
from tensorflow.contrib.framework import get_or_create_global_step

import graph_helpers

flags = tf.app.flags
flags.DEFINE_integer('hidden_units', 128, 'Width of the hidden layer.')
flags.DEFINE_string('log_dir', '/tmp/graph_features', 'Summaries directory.')  # absl.logging has one
FLAGS = flags.FLAGS


def main(_):
  graph = tf.Graph()
  with graph.as_default():
    x = tf.placeholder(tf.float32, [None, 784], name='x')
    W1 = tf.get_variable('W1', [784, FLAGS.hidden_units],
                         initializer=contrib_layers.xavier_initializer())
    hidden = tf.nn.relu(tf.matmul(x, W1))
    logits = graph_helpers.dense_logits(hidden)
    global_step = get_or_create_global_step()
    # TF1's softmax_cross_entropy_with_logits logs a deprecation notice: it must appear once.
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(
        labels=tf.fill(tf.shape(logits), 0.1), logits=logits))
    train_op = tf.contrib.layers.optimize_loss(loss, global_step, learning_rate=0.1,
                                               optimizer='SGD')
    with tf.Session() as sess:
      sess.run(tf.global_variables_initializer())
      W1_by_name = sess.run(graph.get_tensor_by_name('W1:0'))
      sess.run(train_op, feed_dict={x: np.ones((2, 784), np.float32)})
      report = {
          'executing_eagerly': tf.executing_eagerly(),
          'tf_name': tf.__name__,
          'v1_layers': tf_v1.layers.__name__,
          'variables': [v.name for v in tf.global_variables()],
          'W1_shape': list(W1_by_name.shape),
          'W1_max_abs': float(np.abs(W1_by_name).max()),
          'global_step': int(sess.run(global_step)),
          'log_dir': FLAGS.log_dir,
      }
  print('REPORT ' + json.dumps(report))


if __name__ == '__main__':
  tf.app.run()
