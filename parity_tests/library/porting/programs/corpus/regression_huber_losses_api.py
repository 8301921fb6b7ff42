"""Regression with tf.losses.huber_loss on outlier-laden data, a tf.layers.dense hidden layer and GradientDescentOptimizer."""
import numpy as np
import tensorflow as tf

rng = np.random.RandomState(9)
x_data = rng.uniform(-2, 2, size=(200, 2)).astype(np.float32)
y_data = (np.sin(x_data[:, :1]) + 0.5 * x_data[:, 1:]).astype(np.float32)
y_data[::20] += 5.0  # outliers that a squared loss would chase

x = tf.placeholder(tf.float32, [None, 2], name="x")
y = tf.placeholder(tf.float32, [None, 1], name="y")
hidden = tf.layers.dense(x, 32, activation=tf.nn.tanh, name="hidden")
prediction = tf.layers.dense(hidden, 1, name="prediction")
loss = tf.losses.huber_loss(labels=y, predictions=prediction, delta=1.0)
train_op = tf.train.GradientDescentOptimizer(0.05).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(30):
        _, value = sess.run([train_op, loss], {x: x_data, y: y_data})
    print("huber loss", value)
