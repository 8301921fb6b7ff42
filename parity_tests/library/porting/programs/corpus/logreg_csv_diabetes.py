"""Logistic regression on a CSV the program writes (the "diabetes" tutorial shape, 8 features): np.loadtxt, hand sigmoid cross entropy, accuracy."""
import os
import tempfile

import numpy as np
import tensorflow as tf

rng = np.random.RandomState(11)
features = rng.uniform(-1, 1, size=(120, 8)).astype(np.float32)
labels = (features @ rng.normal(size=(8, 1)) > 0).astype(np.float32)
path = os.path.join(tempfile.mkdtemp(), 'data-03-diabetes.csv')
np.savetxt(path, np.hstack([features, labels]), delimiter=',', fmt='%.6f')

xy = np.loadtxt(path, delimiter=',', dtype=np.float32)
x_data = xy[:, 0:-1]
y_data = xy[:, [-1]]

X = tf.placeholder(tf.float32, shape=[None, 8])
Y = tf.placeholder(tf.float32, shape=[None, 1])
W = tf.Variable(tf.random_normal([8, 1]), name='weight')
b = tf.Variable(tf.random_normal([1]), name='bias')
hypothesis = tf.sigmoid(tf.matmul(X, W) + b)
cost = -tf.reduce_mean(Y * tf.log(hypothesis) + (1 - Y) * tf.log(1 - hypothesis))
train = tf.train.GradientDescentOptimizer(learning_rate=0.1).minimize(cost)
predicted = tf.cast(hypothesis > 0.5, dtype=tf.float32)
accuracy = tf.reduce_mean(tf.cast(tf.equal(predicted, Y), dtype=tf.float32))

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(51):
        cost_val, _ = sess.run([cost, train], feed_dict={X: x_data, Y: y_data})
        if step % 25 == 0:
            print(step, cost_val)
    print("Accuracy:", sess.run(accuracy, feed_dict={X: x_data, Y: y_data}))
