"""CNN with tf.contrib.layers.batch_norm(is_training=...) after a raw conv, UPDATE_OPS dependency, MomentumOptimizer."""
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("/tmp/data/", one_hot=True)

x = tf.placeholder(tf.float32, [None, 784])
y = tf.placeholder(tf.float32, [None, 10])
phase_train = tf.placeholder(tf.bool, name='phase_train')
image = tf.reshape(x, [-1, 28, 28, 1])

kernel = tf.Variable(tf.truncated_normal([3, 3, 1, 8], stddev=0.1))
conv = tf.nn.conv2d(image, kernel, [1, 2, 2, 1], padding='SAME')
conv = tf.contrib.layers.batch_norm(conv, center=True, scale=True, is_training=phase_train, scope='bn')
conv = tf.nn.relu(conv)
flat = tf.reshape(conv, [-1, 14 * 14 * 8])
w = tf.Variable(tf.truncated_normal([14 * 14 * 8, 10], stddev=0.05))
b = tf.Variable(tf.zeros([10]))
logits = tf.matmul(flat, w) + b
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))

update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
with tf.control_dependencies(update_ops):
    train_op = tf.train.MomentumOptimizer(0.01, 0.9).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(5):
        bx, by = mnist.train.next_batch(50)
        _, l = sess.run([train_op, loss], {x: bx, y: by, phase_train: True})
    print("loss", l, "eval loss", sess.run(loss, {x: mnist.test.images[:200], y: mnist.test.labels[:200],
                                                  phase_train: False}))
