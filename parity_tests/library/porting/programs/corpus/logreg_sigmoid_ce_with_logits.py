"""Binary logistic regression with tf.nn.sigmoid_cross_entropy_with_logits and AdamOptimizer; two Gaussian blobs."""
import numpy as np
import tensorflow as tf

rng = np.random.RandomState(5)
x_data = np.vstack([rng.normal(-1, 1, (50, 2)), rng.normal(1, 1, (50, 2))]).astype(np.float32)
y_data = np.vstack([np.zeros((50, 1)), np.ones((50, 1))]).astype(np.float32)

x = tf.placeholder(tf.float32, [None, 2], name='x')
y = tf.placeholder(tf.float32, [None, 1], name='y')
w = tf.get_variable('w', [2, 1], initializer=tf.zeros_initializer())
b = tf.get_variable('b', [1], initializer=tf.zeros_initializer())
logits = tf.matmul(x, w) + b
loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits))
train_op = tf.train.AdamOptimizer(0.05).minimize(loss)
correct = tf.equal(tf.cast(logits > 0, tf.float32), y)
accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(30):
        _, l = sess.run([train_op, loss], feed_dict={x: x_data, y: y_data})
    print('loss %.4f accuracy %.3f' % (l, sess.run(accuracy, {x: x_data, y: y_data})))
