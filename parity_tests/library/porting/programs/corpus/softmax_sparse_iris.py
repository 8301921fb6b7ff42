"""Softmax classifier on iris-shaped synthetic data (4 features, 3 classes): integer labels, tf.nn.sparse_softmax_cross_entropy_with_logits."""
import numpy as np
import tensorflow as tf

rng = np.random.RandomState(42)
centers = np.array([[5.0, 3.4, 1.5, 0.2], [5.9, 2.8, 4.3, 1.3], [6.6, 3.0, 5.5, 2.0]], np.float32)
labels = rng.randint(0, 3, size=150)
features = (centers[labels] + rng.normal(0, 0.3, (150, 4))).astype(np.float32)

X = tf.placeholder(tf.float32, [None, 4])
Y = tf.placeholder(tf.int32, [None])
W = tf.Variable(tf.random_normal([4, 3]), name='weight')
b = tf.Variable(tf.random_normal([3]), name='bias')
logits = tf.matmul(X, W) + b
cost = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=Y, logits=logits))
optimizer = tf.train.GradientDescentOptimizer(learning_rate=0.1).minimize(cost)
prediction = tf.argmax(logits, 1, output_type=tf.int32)
accuracy = tf.reduce_mean(tf.cast(tf.equal(prediction, Y), tf.float32))

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(60):
        sess.run(optimizer, feed_dict={X: features, Y: labels})
        if step % 20 == 0:
            loss, acc = sess.run([cost, accuracy], feed_dict={X: features, Y: labels})
            print("Step: {:5}\tLoss: {:.3f}\tAcc: {:.2%}".format(step, loss, acc))
