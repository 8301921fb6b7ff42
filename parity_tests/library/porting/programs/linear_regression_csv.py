# Multi-variable linear regression the way tutorials wrote it: data read from a CSV file
# (the path is the first argument), a squared-error cost summed and halved by hand,
# plain gradient descent, a feed_dict loop at module level.
import sys

import numpy as np
import tensorflow as tf

data = np.loadtxt(sys.argv[1], delimiter=',', dtype=np.float32)
train_X, train_Y = data[:, :-1], data[:, -1:]
n_samples = train_X.shape[0]

X = tf.placeholder(tf.float32, [None, 3])
Y = tf.placeholder(tf.float32, [None, 1])
W = tf.Variable(tf.random_normal([3, 1], seed=1), name="weight")
b = tf.Variable(tf.zeros([1]), name="bias")
pred = tf.add(tf.matmul(X, W), b)
cost = tf.reduce_sum(tf.pow(pred - Y, 2)) / (2 * n_samples)
optimizer = tf.train.GradientDescentOptimizer(0.01).minimize(cost)

init = tf.global_variables_initializer()
with tf.Session() as sess:
    sess.run(init)
    for epoch in range(int(sys.argv[2]) if len(sys.argv) > 2 else 100):
        sess.run(optimizer, feed_dict={X: train_X, Y: train_Y})
    print("cost", sess.run(cost, feed_dict={X: train_X, Y: train_Y}))
