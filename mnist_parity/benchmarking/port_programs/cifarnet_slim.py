"""A CifarNet-style convolutional net in TF-Slim on 32x32 colour images (about 1.8 M
parameters): the second rung of the port-at-scale ladder (slim-era graph + Session)."""
import numpy as np
import tensorflow as tf
import tf_slim as slim

BATCH = 8


def cifarnet_arg_scope(weight_decay=4e-3):
    with slim.arg_scope([slim.conv2d], weights_initializer=tf.truncated_normal_initializer(stddev=5e-2),
                        activation_fn=tf.nn.relu):
        with slim.arg_scope([slim.fully_connected], biases_initializer=tf.constant_initializer(0.1),
                            weights_regularizer=slim.l2_regularizer(weight_decay),
                            activation_fn=tf.nn.relu) as scope:
            return scope


def cifarnet(images, num_classes=10):
    with tf.variable_scope("CifarNet", values=[images]):
        net = slim.conv2d(images, 64, [5, 5], scope="conv1")
        net = slim.max_pool2d(net, [2, 2], 2, scope="pool1")
        net = slim.conv2d(net, 64, [5, 5], scope="conv2")
        net = slim.max_pool2d(net, [2, 2], 2, scope="pool2")
        net = slim.flatten(net)
        net = slim.fully_connected(net, 384, scope="fc3")
        net = slim.fully_connected(net, 192, scope="fc4")
        return slim.fully_connected(net, num_classes, activation_fn=None, scope="logits")


images = tf.placeholder(tf.float32, [None, 32, 32, 3])
labels = tf.placeholder(tf.int64, [None])
with slim.arg_scope(cifarnet_arg_scope()):
    logits = cifarnet(images)
tf.losses.sparse_softmax_cross_entropy(labels, logits)
total_loss = tf.losses.get_total_loss()
optimizer = tf.train.MomentumOptimizer(0.01, 0.9)
train_op = slim.learning.create_train_op(total_loss, optimizer)

batch_x = np.random.RandomState(1).uniform(-1, 1, (BATCH, 32, 32, 3)).astype(np.float32)
batch_y = np.arange(BATCH) % 10
sess = tf.Session()
sess.run(tf.global_variables_initializer())
for step in range(2):
    print(step, sess.run(train_op, feed_dict={images: batch_x, labels: batch_y}))
