"""Inference-only script: builds a softmax model, initialises it, and only evaluates (no training step: not a training program)."""
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("/tmp/data/", one_hot=True)

x = tf.placeholder(tf.float32, [None, 784])
W = tf.Variable(tf.truncated_normal([784, 10], stddev=0.01, seed=1))
b = tf.Variable(tf.zeros([10]))
prediction = tf.argmax(tf.matmul(x, W) + b, 1)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    predicted = sess.run(prediction, {x: mnist.test.images[:100]})
    print("predicted classes of the first ten test images:", predicted[:10])
