"""tf.train.Saver: a softmax regression saved to a checkpoint in a temp dir every few steps, restored into a fresh session and evaluated."""
import os
import tempfile

import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("/tmp/data/", one_hot=True)
checkpoint_dir = tempfile.mkdtemp()

x = tf.placeholder(tf.float32, [None, 784], name="x")
y = tf.placeholder(tf.float32, [None, 10], name="y")
W = tf.Variable(tf.zeros([784, 10]), name="weights")
b = tf.Variable(tf.zeros([10]), name="biases")
logits = tf.matmul(x, W) + b
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))
global_step = tf.Variable(0, name="global_step", trainable=False)
train_op = tf.train.GradientDescentOptimizer(0.5).minimize(loss, global_step=global_step)
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), tf.argmax(y, 1)), tf.float32))
saver = tf.train.Saver(max_to_keep=2)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(10):
        bx, by = mnist.train.next_batch(100)
        sess.run(train_op, {x: bx, y: by})
        if (i + 1) % 5 == 0:
            path = saver.save(sess, os.path.join(checkpoint_dir, "model.ckpt"), global_step=global_step)
            print("saved", path)

with tf.Session() as sess:
    saver.restore(sess, tf.train.latest_checkpoint(checkpoint_dir))
    print("restored accuracy", sess.run(accuracy, {x: mnist.test.images[:500], y: mnist.test.labels[:500]}))
