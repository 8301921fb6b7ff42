"""CNN with tf.layers: conv2d/max_pooling2d/flatten/dense/dropout(training=...) on 28x28x1 input, sparse softmax loss via tf.losses."""
import numpy as np
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("/tmp/data", one_hot=False, reshape=False)

images = tf.placeholder(tf.float32, [None, 28, 28, 1], name="images")
labels = tf.placeholder(tf.int32, [None], name="labels")
training = tf.placeholder_with_default(False, shape=(), name="training")

conv1 = tf.layers.conv2d(images, filters=8, kernel_size=[5, 5], padding="same", activation=tf.nn.relu)
pool1 = tf.layers.max_pooling2d(conv1, pool_size=[2, 2], strides=2)
conv2 = tf.layers.conv2d(pool1, filters=16, kernel_size=[5, 5], padding="same", activation=tf.nn.relu)
pool2 = tf.layers.max_pooling2d(conv2, pool_size=[2, 2], strides=2)
flat = tf.layers.flatten(pool2)
dense = tf.layers.dense(flat, units=64, activation=tf.nn.relu)
dropout = tf.layers.dropout(dense, rate=0.4, training=training)
logits = tf.layers.dense(dropout, units=10)

loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
train_op = tf.train.GradientDescentOptimizer(0.05).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(5):
        xs, ys = mnist.train.next_batch(32)
        _, value = sess.run([train_op, loss], {images: xs, labels: ys.astype(np.int32), training: True})
        print("step", step, "loss", value)
