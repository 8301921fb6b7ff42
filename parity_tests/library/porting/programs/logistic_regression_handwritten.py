# Logistic regression on 784 pixels with the cross-entropy written by hand on a softmax
# (`-tf.reduce_sum(y * tf.log(pred))`), as the early MNIST tutorials did. Random stand-in
# batches keep the program offline.
import numpy as np
import tensorflow as tf

rng = np.random.RandomState(0)
x = tf.placeholder(tf.float32, [None, 784])
y = tf.placeholder(tf.float32, [None, 10])
W = tf.Variable(tf.random_normal([784, 10], stddev=0.01, seed=0))
b = tf.Variable(tf.zeros([10]))
pred = tf.nn.softmax(tf.matmul(x, W) + b)
cost = tf.reduce_mean(-tf.reduce_sum(y * tf.log(pred), reduction_indices=1))
optimizer = tf.train.GradientDescentOptimizer(0.5).minimize(cost)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(20):
        batch_xs = rng.rand(32, 784).astype(np.float32)
        batch_ys = np.eye(10, dtype=np.float32)[rng.randint(0, 10, 32)]
        _, c = sess.run([optimizer, cost], feed_dict={x: batch_xs, y: batch_ys})
    print("cost", c)
