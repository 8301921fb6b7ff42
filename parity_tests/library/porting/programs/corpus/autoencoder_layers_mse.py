"""Undercomplete autoencoder with tf.layers.dense (elu coding layer, sigmoid outputs) and tf.losses.mean_squared_error, Adam."""
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("/tmp/data/")

X = tf.placeholder(tf.float32, shape=[None, 784], name="X")
hidden1 = tf.layers.dense(X, 100, activation=tf.nn.elu, name="hidden1")
codings = tf.layers.dense(hidden1, 20, activation=tf.nn.elu, name="codings")
hidden3 = tf.layers.dense(codings, 100, activation=tf.nn.elu, name="hidden3")
outputs = tf.layers.dense(hidden3, 784, activation=tf.nn.sigmoid, name="outputs")
reconstruction_loss = tf.losses.mean_squared_error(labels=X, predictions=outputs)
training_op = tf.train.AdamOptimizer(0.01).minimize(reconstruction_loss)

with tf.Session() as sess:
    tf.global_variables_initializer().run()
    for iteration in range(10):
        X_batch, _ = mnist.train.next_batch(100)
        sess.run(training_op, feed_dict={X: X_batch})
    print("reconstruction MSE:", reconstruction_loss.eval(feed_dict={X: mnist.test.images[:200]}))
