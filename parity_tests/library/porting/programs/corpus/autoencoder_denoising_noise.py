"""Denoising autoencoder: Gaussian noise added to the input placeholder in the graph (tf.random_normal), tied weights (decoder uses tf.transpose(W)), reduce_sum squared error."""
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("/tmp/data/", one_hot=True)
n_hidden = 64

x = tf.placeholder(tf.float32, [None, 784])
noisy = x + 0.2 * tf.random_normal(tf.shape(x))
W = tf.Variable(tf.random_uniform([784, n_hidden], -0.05, 0.05))
b_enc = tf.Variable(tf.zeros([n_hidden]))
b_dec = tf.Variable(tf.zeros([784]))
hidden = tf.nn.sigmoid(tf.matmul(noisy, W) + b_enc)
reconstruction = tf.nn.sigmoid(tf.matmul(hidden, tf.transpose(W)) + b_dec)
cost = 0.5 * tf.reduce_sum(tf.pow(tf.subtract(reconstruction, x), 2.0))
optimizer = tf.train.AdamOptimizer(0.001).minimize(cost)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(10):
        bx, _ = mnist.train.next_batch(64)
        _, c = sess.run([optimizer, cost], feed_dict={x: bx})
    print("cost", c)
