"""MLP with tf.train.exponential_decay on a global_step and MomentumOptimizer(use_nesterov=True), tanh hidden layer."""
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("/tmp/data/", one_hot=True)

x = tf.placeholder(tf.float32, [None, 784])
y = tf.placeholder(tf.float32, [None, 10])
w1 = tf.Variable(tf.truncated_normal([784, 100], stddev=0.05))
b1 = tf.Variable(tf.constant(0.1, shape=[100]))
hidden = tf.nn.tanh(tf.matmul(x, w1) + b1)
w2 = tf.Variable(tf.truncated_normal([100, 10], stddev=0.05))
b2 = tf.Variable(tf.constant(0.1, shape=[10]))
logits = tf.matmul(hidden, w2) + b2
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))

global_step = tf.Variable(0, trainable=False)
learning_rate = tf.train.exponential_decay(0.1, global_step, 100, 0.96, staircase=True)
train_op = tf.train.MomentumOptimizer(learning_rate, 0.9, use_nesterov=True).minimize(loss, global_step=global_step)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(12):
        bx, by = mnist.train.next_batch(100)
        _, l, step, lr = sess.run([train_op, loss, global_step, learning_rate], {x: bx, y: by})
    print("step", step, "loss", l, "lr", lr)
