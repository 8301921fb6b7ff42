"""TF-Slim model zoo net, trained a few steps the slim-era way: `tf.contrib.slim.nets`, its arg_scope.

Usage: slim_nets_train.py NET SIZE    (NET: resnet_v1_50, resnet_v2_50, inception_v1, inception_v3,
vgg_16, alexnet_v2)
"""
import sys

import numpy as np
import tensorflow as tf
from tensorflow.contrib.slim.nets import alexnet, inception, resnet_v1, resnet_v2, vgg

slim = tf.contrib.slim

NETS = {
    "resnet_v1_50": (resnet_v1.resnet_v1_50, resnet_v1.resnet_arg_scope),
    "resnet_v2_50": (resnet_v2.resnet_v2_50, resnet_v2.resnet_arg_scope),
    "inception_v1": (inception.inception_v1, inception.inception_v1_arg_scope),
    "inception_v3": (inception.inception_v3, inception.inception_v3_arg_scope),
    "vgg_16": (vgg.vgg_16, vgg.vgg_arg_scope),
    "alexnet_v2": (alexnet.alexnet_v2, alexnet.alexnet_v2_arg_scope),
}

net_name, size = sys.argv[1], int(sys.argv[2])
build, arg_scope = NETS[net_name]
images = tf.placeholder(tf.float32, [None, size, size, 3])
labels = tf.placeholder(tf.int64, [None])
with slim.arg_scope(arg_scope()):
    logits, end_points = build(images, num_classes=10, is_training=True)
logits = tf.reshape(logits, [-1, 10])
tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
total_loss = tf.losses.get_total_loss()
train_op = slim.learning.create_train_op(total_loss, tf.train.MomentumOptimizer(0.01, 0.9))

print("update ops:", len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)))
print("first variable:", tf.global_variables()[0].op.name)
rng = np.random.RandomState(0)
feed = {images: rng.rand(2, size, size, 3).astype(np.float32), labels: rng.randint(0, 10, 2)}
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    losses = [sess.run(train_op, feed) for _ in range(3)]
print("losses:", " ".join(f"{loss:.4f}" for loss in losses))
