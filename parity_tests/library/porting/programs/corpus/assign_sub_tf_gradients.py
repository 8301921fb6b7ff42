"""Softmax regression updated by hand: tf.gradients(loss, [W, b]) and tf.assign_sub for each variable, grouped with tf.group (no optimizer)."""
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("/tmp/data/", one_hot=True)

x = tf.placeholder(tf.float32, [None, 784])
y = tf.placeholder(tf.float32, [None, 10])
W = tf.Variable(tf.zeros([784, 10]), name="W")
b = tf.Variable(tf.zeros([10]), name="b")
logits = tf.matmul(x, W) + b
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))
grad_W, grad_b = tf.gradients(loss, [W, b])
learning_rate = 0.5
train = tf.group(tf.assign_sub(W, learning_rate * grad_W), tf.assign_sub(b, learning_rate * grad_b))

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(10):
        bx, by = mnist.train.next_batch(100)
        _, l = sess.run([train, loss], {x: bx, y: by})
    print("loss", l)
