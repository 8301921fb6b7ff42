"""Inception v3 from the slim zoo, without the auxiliary head, trained with RMSProp as in slim's
train_image_classifier (create_train_op gathers UPDATE_OPS).

Usage: slim_inception_v3.py [SIZE [CLASSES]]   (75x75 is the smallest input the net takes)
"""
import sys

import numpy as np
import tensorflow as tf
from tensorflow.contrib.slim.nets import inception

slim = tf.contrib.slim


def build(images, classes):
    with slim.arg_scope(inception.inception_v3_arg_scope()):
        logits, _ = inception.inception_v3(images, num_classes=classes, is_training=True,
                                           create_aux_logits=False, dropout_keep_prob=0.8)
    return logits


size = int(sys.argv[1]) if len(sys.argv) > 1 else 75
classes = int(sys.argv[2]) if len(sys.argv) > 2 else 3
images = tf.placeholder(tf.float32, [None, size, size, 3])
labels = tf.placeholder(tf.int64, [None])
logits = build(images, classes)
tf.losses.sparse_softmax_cross_entropy(labels, logits)
total_loss = tf.losses.get_total_loss()
optimizer = tf.train.RMSPropOptimizer(0.01, decay=0.9, momentum=0.9, epsilon=1.0)
train_op = slim.learning.create_train_op(total_loss, optimizer)

data = np.random.RandomState(3)
feed = {images: data.rand(2, size, size, 3).astype(np.float32), labels: data.randint(0, classes, 2)}
with tf.Session() as session:
    session.run(tf.global_variables_initializer())
    print("loss", session.run(train_op, feed))
