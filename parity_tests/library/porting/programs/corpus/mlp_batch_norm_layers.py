"""MLP with tf.layers.batch_normalization(training=is_training placeholder), UPDATE_OPS run through tf.control_dependencies, Adam."""
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("/tmp/mnist", one_hot=True)

x = tf.placeholder(tf.float32, [None, 784], name="x")
y = tf.placeholder(tf.float32, [None, 10], name="y")
is_training = tf.placeholder(tf.bool, name="is_training")

h = tf.layers.dense(x, 100, use_bias=False, name="fc1")
h = tf.layers.batch_normalization(h, training=is_training, name="bn1")
h = tf.nn.relu(h)
h = tf.layers.dense(h, 100, use_bias=False, name="fc2")
h = tf.layers.batch_normalization(h, training=is_training, name="bn2")
h = tf.nn.relu(h)
logits = tf.layers.dense(h, 10, name="out")
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))

update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
with tf.control_dependencies(update_ops):
    train_step = tf.train.AdamOptimizer(0.01).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(10):
        bx, by = mnist.train.next_batch(60)
        sess.run(train_step, feed_dict={x: bx, y: by, is_training: True})
    print("test loss", sess.run(loss, feed_dict={x: mnist.test.images[:500], y: mnist.test.labels[:500],
                                                 is_training: False}))
