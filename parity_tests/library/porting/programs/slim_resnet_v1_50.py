"""ResNet v1-50 from tf_slim's zoo, trained the slim way (module level, a fixed NumPy batch).

Usage: slim_resnet_v1_50.py [SIZE [CLASSES]]   (default 64x64 inputs, 5 classes)
"""
import sys

import numpy as np
import tensorflow as tf
from tensorflow.contrib.slim.nets import resnet_v1

slim = tf.contrib.slim

size = int(sys.argv[1]) if len(sys.argv) > 1 else 64
classes = int(sys.argv[2]) if len(sys.argv) > 2 else 5

images = tf.placeholder(tf.float32, [None, size, size, 3], name="images")
labels = tf.placeholder(tf.int64, [None], name="labels")
with slim.arg_scope(resnet_v1.resnet_arg_scope()):
    net, end_points = resnet_v1.resnet_v1_50(images, num_classes=classes, is_training=True)
logits = tf.squeeze(net, [1, 2], name="SpatialSqueeze")  # (batch, 1, 1, classes) -> (batch, classes)
tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
total_loss = tf.losses.get_total_loss()
optimizer = tf.train.MomentumOptimizer(learning_rate=0.01, momentum=0.9)
train_op = slim.learning.create_train_op(total_loss, optimizer)

rng = np.random.RandomState(0)
batch = {images: rng.rand(4, size, size, 3).astype(np.float32), labels: rng.randint(0, classes, 4)}
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(2):
        print("step", step, "loss", sess.run(train_op, batch))
