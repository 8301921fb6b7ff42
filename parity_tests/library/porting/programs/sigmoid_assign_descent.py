# Binary logistic regression with hand-written gradient descent: tf.gradients, then
# tf.assign(w, w - lr * grad) for each variable, and a sigmoid cross-entropy written by
# hand (`-mean(Y*log(h) + (1-Y)*log(1-h))`). A step counter the model never reads.
import numpy as np
import tensorflow as tf

rng = np.random.RandomState(0)
x_data = rng.randn(64, 4).astype(np.float32)
y_data = (x_data.sum(axis=1, keepdims=True) > 0).astype(np.float32)

X = tf.placeholder(tf.float32, shape=[None, 4])
Y = tf.placeholder(tf.float32, shape=[None, 1])
W = tf.Variable(tf.random_normal([4, 1], seed=2), name='weight')
b = tf.Variable(tf.random_normal([1], seed=3), name='bias')
last_epoch = tf.Variable(0, trainable=False, name='last_epoch')
hypothesis = tf.sigmoid(tf.matmul(X, W) + b)
cost = -tf.reduce_mean(Y * tf.log(hypothesis) + (1 - Y) * tf.log(1 - hypothesis))

learning_rate = 0.1
gradient_W, gradient_b = tf.gradients(cost, [W, b])
update = [tf.assign(W, W - learning_rate * gradient_W), tf.assign(b, b - learning_rate * gradient_b)]
count = tf.assign_add(last_epoch, 1)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(200):
        sess.run(update, feed_dict={X: x_data, Y: y_data})
        sess.run(count)
    print(sess.run(cost, feed_dict={X: x_data, Y: y_data}))
