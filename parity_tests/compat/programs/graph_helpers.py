# A module beside graph_features.py, imported by it: its `import tensorflow` must reach the layer too.
import tensorflow as tf


def dense_logits(x):
  """A tf.layers dense layer with contrib's xavier kernel initializer."""
  return tf.layers.dense(x, 10, kernel_initializer=tf.contrib.layers.xavier_initializer(),
                         name='logits')
