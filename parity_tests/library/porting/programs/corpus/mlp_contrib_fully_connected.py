"""MLP with tf.contrib.layers.fully_connected (default relu, activation_fn=None for the logits), tf.losses.softmax_cross_entropy, RMSProp."""
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("MNIST_data", one_hot=True)

x = tf.placeholder(tf.float32, [None, 784])
y = tf.placeholder(tf.float32, [None, 10])
net = tf.contrib.layers.fully_connected(x, 200)
net = tf.contrib.layers.fully_connected(net, 100)
logits = tf.contrib.layers.fully_connected(net, 10, activation_fn=None)
loss = tf.losses.softmax_cross_entropy(onehot_labels=y, logits=logits)
train = tf.train.RMSPropOptimizer(0.001).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(10):
        bx, by = mnist.train.next_batch(50)
        _, l = sess.run([train, loss], feed_dict={x: bx, y: by})
        if i % 5 == 0:
            print("step %d loss %.4f" % (i, l))
