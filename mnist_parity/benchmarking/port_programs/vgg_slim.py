"""A VGG-style net at 224x224 in TF-Slim (slim.repeat of 3x3 convolutions, five pools, two
fully connected layers; about 15 M parameters, most in fc6): the ladder's large rung that
ports end to end with the constructs every slim CNN uses."""
import numpy as np
import tensorflow as tf
import tf_slim as slim

BATCH = 2


def vgg_arg_scope(weight_decay=5e-4):
    with slim.arg_scope([slim.conv2d, slim.fully_connected], activation_fn=tf.nn.relu,
                        weights_regularizer=slim.l2_regularizer(weight_decay),
                        biases_initializer=tf.zeros_initializer()):
        with slim.arg_scope([slim.conv2d], padding="SAME") as arg_sc:
            return arg_sc


def vgg_ish(inputs, num_classes=10, scope="vgg_ish"):
    with tf.variable_scope(scope, "vgg_ish", [inputs]):
        net = slim.repeat(inputs, 1, slim.conv2d, 32, [3, 3], scope="conv1")
        net = slim.max_pool2d(net, [2, 2], scope="pool1")
        net = slim.repeat(net, 1, slim.conv2d, 64, [3, 3], scope="conv2")
        net = slim.max_pool2d(net, [2, 2], scope="pool2")
        net = slim.repeat(net, 2, slim.conv2d, 128, [3, 3], scope="conv3")
        net = slim.max_pool2d(net, [2, 2], scope="pool3")
        net = slim.repeat(net, 2, slim.conv2d, 256, [3, 3], scope="conv4")
        net = slim.max_pool2d(net, [2, 2], scope="pool4")
        net = slim.repeat(net, 2, slim.conv2d, 256, [3, 3], scope="conv5")
        net = slim.max_pool2d(net, [2, 2], scope="pool5")
        net = slim.flatten(net, scope="flatten")
        net = slim.fully_connected(net, 1024, scope="fc6")
        return slim.fully_connected(net, num_classes, activation_fn=None, scope="fc7")


images = tf.placeholder(tf.float32, [None, 224, 224, 3], name="images")
labels = tf.placeholder(tf.int64, [None], name="labels")
with slim.arg_scope(vgg_arg_scope()):
    logits = vgg_ish(images)
slim.losses.sparse_softmax_cross_entropy(logits, labels)
total_loss = slim.losses.get_total_loss()
train_op = slim.learning.create_train_op(total_loss, tf.train.GradientDescentOptimizer(0.001))

feed = {images: np.random.RandomState(7).rand(BATCH, 224, 224, 3).astype(np.float32),
        labels: np.array([4, 2])}
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(2):
        print(step, sess.run(train_op, feed_dict=feed))
