"""VGG-16 from tf_slim.nets, module level with a Session: the net under vgg_arg_scope (l2 weight
decay, fc6/fc7/fc8 as convolutions, dropout under is_training, spatial squeeze),
get_total_loss(), create_train_op, one fixed NumPy batch.

Usage: slim_vgg16.py [NUM_CLASSES] [BATCH_SIZE]
"""
import sys

import numpy as np
import tensorflow as tf
from tf_slim.nets import vgg

slim = tf.contrib.slim
num_classes = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
batch_size = int(sys.argv[2]) if len(sys.argv) > 2 else 1
rng = np.random.RandomState(16)
batch_images = rng.rand(batch_size, 224, 224, 3).astype(np.float32)
batch_labels = rng.randint(0, num_classes, batch_size)

images = tf.placeholder(tf.float32, [batch_size, 224, 224, 3], name="images")
labels = tf.placeholder(tf.int64, [batch_size], name="labels")
is_training = tf.placeholder_with_default(True, [], name="is_training")
with slim.arg_scope(vgg.vgg_arg_scope()):
    logits, end_points = vgg.vgg_16(images, num_classes=num_classes, is_training=is_training)
tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
total_loss = tf.losses.get_total_loss()
train_op = slim.learning.create_train_op(total_loss, tf.train.GradientDescentOptimizer(0.001))

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print("loss:", sess.run(train_op, {images: batch_images, labels: batch_labels}))
