# A TF 1.x program with a tf.py_func between two dense layers: no Keras layer stands for it,
# so recognising its model must list the op as unrecognised (test_capture.py).
import sys

import numpy as np
import tensorflow as tf

steps = int(sys.argv[1]) if len(sys.argv) > 1 else 100
x = tf.placeholder(tf.float32, [None, 16], name='x')
y = tf.placeholder(tf.int64, [None], name='y')
hidden = tf.layers.dense(x, 8, activation=tf.nn.relu, name='hidden')
clipped = tf.py_func(lambda a: np.clip(a, 0.0, 6.0), [hidden], tf.float32)
clipped.set_shape([None, 8])
logits = tf.layers.dense(clipped, 3, name='logits')
loss = tf.losses.sparse_softmax_cross_entropy(labels=y, logits=logits)
train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)

with tf.Session() as sess:
  sess.run(tf.global_variables_initializer())
  for _ in range(steps):
    sess.run(train_op, feed_dict={x: np.random.rand(4, 16), y: np.arange(4) % 3})
