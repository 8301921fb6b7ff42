"""LeNet-5 in TF-Slim (about 62 K parameters): the smallest rung of the port-at-scale ladder.

Slim-era style: a graph and a Session, arg_scope, the losses collection read back by
get_total_loss, slim.learning.create_train_op, and a fixed NumPy batch (no data pipeline).
"""
import numpy as np
import tensorflow as tf

slim = tf.contrib.slim

BATCH = 16


def lenet(images, num_classes=10, scope="LeNet"):
    with tf.variable_scope(scope, "LeNet", [images]):
        with slim.arg_scope([slim.conv2d, slim.fully_connected], activation_fn=tf.nn.relu,
                            weights_regularizer=slim.l2_regularizer(5e-4)):
            net = slim.conv2d(images, 6, [5, 5], scope="conv1")
            net = slim.max_pool2d(net, [2, 2], 2, scope="pool1")
            net = slim.conv2d(net, 16, [5, 5], padding="VALID", scope="conv2")
            net = slim.max_pool2d(net, [2, 2], 2, scope="pool2")
            net = slim.flatten(net)
            net = slim.fully_connected(net, 120, scope="fc3")
            net = slim.fully_connected(net, 84, scope="fc4")
            return slim.fully_connected(net, num_classes, activation_fn=None, scope="logits")


images = tf.placeholder(tf.float32, [None, 28, 28, 1], name="images")
labels = tf.placeholder(tf.int64, [None], name="labels")
logits = lenet(images)
tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
total_loss = tf.losses.get_total_loss()
train_op = slim.learning.create_train_op(total_loss, tf.train.GradientDescentOptimizer(0.01))

rng = np.random.RandomState(0)
batch_x = rng.rand(BATCH, 28, 28, 1).astype(np.float32)
batch_y = rng.randint(0, 10, BATCH)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(3):
        loss = sess.run(train_op, {images: batch_x, labels: batch_y})
        print("step", step, "loss", loss)
