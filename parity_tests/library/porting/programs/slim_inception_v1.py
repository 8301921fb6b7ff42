"""Inception v1 (GoogLeNet) from the slim zoo: an is_training placeholder, Adam, a fixed batch.

slim's inception_v1 ends in a 7x7 VALID average pool, so its input is 224x224 (193 at least).
Usage: slim_inception_v1.py [SIZE [CLASSES]]
"""
import sys

import numpy as np
import tensorflow as tf
from tensorflow.contrib.slim.nets import inception

slim = tf.contrib.slim

SIZE = int(sys.argv[1]) if len(sys.argv) > 1 else 224
CLASSES = int(sys.argv[2]) if len(sys.argv) > 2 else 4

x = tf.placeholder(tf.float32, shape=(None, SIZE, SIZE, 3), name="x")
y = tf.placeholder(tf.int64, shape=(None,), name="y")
is_training = tf.placeholder_with_default(True, shape=(), name="is_training")

with slim.arg_scope(inception.inception_v1_arg_scope()):
    logits, end_points = inception.inception_v1(x, num_classes=CLASSES, is_training=is_training,
                                                dropout_keep_prob=0.8)
tf.losses.sparse_softmax_cross_entropy(labels=y, logits=logits)
loss = tf.losses.get_total_loss(add_regularization_losses=True)
update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
with tf.control_dependencies(update_ops):
    train_step = tf.train.AdamOptimizer(1e-3).minimize(loss)

np.random.seed(7)
batch_x = np.random.rand(2, SIZE, SIZE, 3).astype("float32")
batch_y = np.random.randint(0, CLASSES, size=2)
sess = tf.Session()
sess.run(tf.global_variables_initializer())
for i in range(2):
    _, value = sess.run([train_step, loss], {x: batch_x, y: batch_y})
    print("iteration", i, "loss", value)
