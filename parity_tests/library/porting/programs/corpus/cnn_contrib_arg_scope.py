"""CNN with tf.contrib.layers conv2d/max_pool2d/flatten/fully_connected under tf.contrib.framework.arg_scope, Adam."""
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

layers = tf.contrib.layers
mnist = input_data.read_data_sets("MNIST_data", one_hot=True)

x = tf.placeholder(tf.float32, [None, 28, 28, 1])
y = tf.placeholder(tf.float32, [None, 10])
with tf.contrib.framework.arg_scope([layers.conv2d, layers.fully_connected],
                                    weights_initializer=layers.xavier_initializer(),
                                    activation_fn=tf.nn.relu):
    net = layers.conv2d(x, 8, [3, 3], scope='conv1')
    net = layers.max_pool2d(net, [2, 2], scope='pool1')
    net = layers.conv2d(net, 16, [3, 3], scope='conv2')
    net = layers.max_pool2d(net, [2, 2], scope='pool2')
    net = layers.flatten(net)
    net = layers.fully_connected(net, 64, scope='fc3')
    logits = layers.fully_connected(net, 10, activation_fn=None, scope='logits')
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))
train = tf.train.AdamOptimizer(1e-3).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(5):
        bx, by = mnist.train.next_batch(32)
        _, l = sess.run([train, loss], {x: bx.reshape(-1, 28, 28, 1), y: by})
    print("loss", l)
