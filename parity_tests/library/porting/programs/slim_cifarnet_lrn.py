"""A CifarNet-style slim network, module level: local response normalization after each
convolution, dropout under is_training, weight decay through tf.losses.get_total_loss(),
create_train_op with batch-norm-free UPDATE_OPS, one fixed NumPy batch.

Usage: slim_cifarnet_lrn.py [STEPS]
"""
import sys

import numpy as np
import tensorflow as tf

slim = tf.contrib.slim
steps = int(sys.argv[1]) if len(sys.argv) > 1 else 5
rng = np.random.RandomState(3)
batch_images = rng.rand(16, 32, 32, 3).astype(np.float32)
batch_labels = rng.randint(0, 10, 16)

images = tf.placeholder(tf.float32, [None, 32, 32, 3], name="images")
labels = tf.placeholder(tf.int64, [None], name="labels")
is_training = tf.placeholder_with_default(True, [], name="is_training")


def cifarnet_arg_scope(weight_decay=0.004):
    with slim.arg_scope([slim.conv2d], weights_initializer=tf.truncated_normal_initializer(stddev=5e-2),
                        activation_fn=tf.nn.relu):
        with slim.arg_scope([slim.fully_connected], biases_initializer=tf.constant_initializer(0.1),
                            weights_initializer=tf.truncated_normal_initializer(stddev=0.04),
                            weights_regularizer=slim.l2_regularizer(weight_decay),
                            activation_fn=tf.nn.relu) as scope:
            return scope


def cifarnet(images, is_training, num_classes=10):
    with tf.variable_scope("CifarNet"):
        net = slim.conv2d(images, 32, [5, 5], scope="conv1")
        net = slim.max_pool2d(net, [3, 3], 2, padding="SAME", scope="pool1")
        net = tf.nn.lrn(net, 4, bias=1.0, alpha=0.001 / 9.0, beta=0.75, name="norm1")
        net = slim.conv2d(net, 32, [5, 5], scope="conv2")
        net = tf.nn.lrn(net, 4, bias=1.0, alpha=0.001 / 9.0, beta=0.75, name="norm2")
        net = slim.max_pool2d(net, [3, 3], 2, padding="SAME", scope="pool2")
        net = slim.flatten(net)
        net = slim.fully_connected(net, 96, scope="fc3")
        net = slim.dropout(net, 0.5, is_training=is_training, scope="dropout3")
        net = slim.fully_connected(net, 48, scope="fc4")
        return slim.fully_connected(net, num_classes, activation_fn=None, weights_regularizer=None,
                                    weights_initializer=tf.truncated_normal_initializer(stddev=1 / 192.0),
                                    scope="logits")


with slim.arg_scope(cifarnet_arg_scope()):
    logits = cifarnet(images, is_training)
tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
total_loss = tf.losses.get_total_loss()
train_op = slim.learning.create_train_op(total_loss, tf.train.GradientDescentOptimizer(0.05))

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(steps):
        loss = sess.run(train_op, {images: batch_images, labels: batch_labels})
    print("last loss:", loss)
