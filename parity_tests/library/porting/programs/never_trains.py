# A TF 1.x program that builds a model and evaluates it but never runs a training step:
# capturing it must fail with "ended without a training Session.run" (test_capture.py).
import numpy as np
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 4], name='x')
w = tf.Variable(tf.zeros([4, 2]))
logits = tf.matmul(x, w)
train_op = tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_sum(logits))

with tf.Session() as sess:
  sess.run(tf.global_variables_initializer())
  print(sess.run(tf.nn.softmax(logits), feed_dict={x: np.ones([1, 4])}))
