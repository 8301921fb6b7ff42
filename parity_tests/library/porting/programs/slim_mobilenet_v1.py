"""A MobileNet v1-style net written with slim by hand: depthwise-separable blocks
(slim.separable_conv2d with num_outputs=None, then a 1x1 slim.conv2d, each with batch norm and
relu6), one block as a single slim.separable_conv2d with num_outputs, global average pooling,
a 1x1 conv as logits.

Usage: slim_mobilenet_v1.py [SIZE [CLASSES]]
"""
import sys

import numpy as np
import tensorflow as tf

slim = tf.contrib.slim

SIZE = int(sys.argv[1]) if len(sys.argv) > 1 else 32
CLASSES = int(sys.argv[2]) if len(sys.argv) > 2 else 10
# (stride, pointwise depth) of each depthwise-separable block, as in the paper's table 1 (narrowed)
BLOCKS = [(1, 32), (2, 64), (1, 64), (2, 128)]


def mobilenet(inputs, is_training, scope="MobilenetV1"):
    bn = {"is_training": is_training, "decay": 0.997, "epsilon": 0.001, "scale": True}
    with tf.variable_scope(scope):
        with slim.arg_scope([slim.conv2d, slim.separable_conv2d], normalizer_fn=slim.batch_norm,
                            normalizer_params=bn, activation_fn=tf.nn.relu6, padding="SAME"):
            net = slim.conv2d(inputs, 16, [3, 3], stride=2, scope="Conv2d_0")
            for i, (stride, depth) in enumerate(BLOCKS, start=1):
                net = slim.separable_conv2d(net, None, [3, 3], depth_multiplier=1, stride=stride,
                                            scope="Conv2d_%d_depthwise" % i)
                net = slim.conv2d(net, depth, [1, 1], scope="Conv2d_%d_pointwise" % i)
            net = slim.separable_conv2d(net, 128, [3, 3], depth_multiplier=1,
                                        scope="Conv2d_%d_separable" % (len(BLOCKS) + 1))
            net = tf.reduce_mean(net, [1, 2], keepdims=True, name="global_pool")
            net = slim.conv2d(net, CLASSES, [1, 1], activation_fn=None, normalizer_fn=None,
                              scope="Logits")
            return tf.squeeze(net, [1, 2], name="SpatialSqueeze")


images = tf.placeholder(tf.float32, [None, SIZE, SIZE, 3], name="images")
labels = tf.placeholder(tf.int64, [None], name="labels")
logits = mobilenet(images, is_training=True)
tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
train_op = slim.learning.create_train_op(tf.losses.get_total_loss(),
                                         tf.train.MomentumOptimizer(0.045, 0.9))
rng = np.random.RandomState(5)
feed = {images: rng.rand(8, SIZE, SIZE, 3).astype(np.float32), labels: rng.randint(0, CLASSES, 8)}
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(2):
        print("step", step, "loss", sess.run(train_op, feed))
