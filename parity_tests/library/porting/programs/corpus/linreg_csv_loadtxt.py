"""CSV-reading regression: the program writes its CSV to a temp file, reads it back with np.loadtxt, slices x/y columns, reduce_mean(square)."""
import os
import tempfile

import numpy as np
import tensorflow as tf

# The "data-01-test-score.csv" of the tutorials, generated here instead of downloaded.
rng = np.random.RandomState(0)
scores = rng.randint(60, 100, size=(40, 3)).astype(np.float32)
final = scores.sum(axis=1, keepdims=True) * 0.6 + rng.normal(0, 3, (40, 1))
path = os.path.join(tempfile.mkdtemp(), 'data-01-test-score.csv')
np.savetxt(path, np.hstack([scores, final]), delimiter=',', fmt='%.2f')

xy = np.loadtxt(path, delimiter=',', dtype=np.float32)
x_data = xy[:, 0:-1]
y_data = xy[:, [-1]]
print(x_data.shape, x_data[:2], len(x_data))

X = tf.placeholder(tf.float32, shape=[None, 3])
Y = tf.placeholder(tf.float32, shape=[None, 1])
W = tf.Variable(tf.random_normal([3, 1]), name='weight')
b = tf.Variable(tf.random_normal([1]), name='bias')
hypothesis = tf.matmul(X, W) + b
cost = tf.reduce_mean(tf.square(hypothesis - Y))
train = tf.train.GradientDescentOptimizer(learning_rate=1e-5).minimize(cost)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(11):
        cost_val, _ = sess.run([cost, train], feed_dict={X: x_data, Y: y_data})
        if step % 5 == 0:
            print(step, "Cost:", cost_val)
    print("Your score will be", sess.run(hypothesis, feed_dict={X: [[100, 70, 101]]}))
