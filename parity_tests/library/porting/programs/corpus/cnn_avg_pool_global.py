"""All-convolutional net: tf.layers.conv2d with strides 2 and valid padding, tf.reduce_mean over H and W (global average pooling) for logits, Adagrad."""
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("/tmp/data/", one_hot=True)

x = tf.placeholder(tf.float32, [None, 28, 28, 1], name="x")
y = tf.placeholder(tf.float32, [None, 10], name="y")
net = tf.layers.conv2d(x, 16, 3, strides=2, padding="valid", activation=tf.nn.relu, name="conv1")
net = tf.layers.conv2d(net, 32, 3, strides=2, padding="valid", activation=tf.nn.relu, name="conv2")
net = tf.layers.conv2d(net, 10, 1, name="conv3")
logits = tf.reduce_mean(net, axis=[1, 2])
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))
train_op = tf.train.AdagradOptimizer(0.1).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(5):
        bx, by = mnist.train.next_batch(32)
        _, l = sess.run([train_op, loss], {x: bx.reshape(-1, 28, 28, 1), y: by})
        print(i, l)
