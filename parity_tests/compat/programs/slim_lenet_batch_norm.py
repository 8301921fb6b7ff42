"""TF-Slim LeNet with batch norm, module-level: arg_scope, create_train_op, UPDATE_OPS, a checkpoint.

Usage: slim_lenet_batch_norm.py CHECKPOINT_DIR
"""
import sys

import numpy as np
import tensorflow as tf

slim = tf.contrib.slim

checkpoint_dir = sys.argv[1]
rng = np.random.RandomState(0)
batch_images = rng.rand(32, 28, 28, 1).astype(np.float32)
batch_labels = rng.randint(0, 10, 32)

images = tf.placeholder(tf.float32, [None, 28, 28, 1], name="images")
labels = tf.placeholder(tf.int64, [None], name="labels")
is_training = tf.placeholder_with_default(True, [], name="is_training")


def lenet(images, is_training):
    with slim.arg_scope([slim.conv2d, slim.fully_connected],
                        normalizer_fn=slim.batch_norm,
                        normalizer_params={"is_training": is_training, "decay": 0.9},
                        weights_initializer=tf.truncated_normal_initializer(stddev=0.1)):
        with tf.variable_scope("LeNet"):
            net = slim.conv2d(images, 8, [5, 5], scope="conv1")
            net = slim.max_pool2d(net, [2, 2], 2, scope="pool1")
            net = slim.conv2d(net, 16, [5, 5], scope="conv2")
            net = slim.max_pool2d(net, [2, 2], 2, scope="pool2")
            net = slim.flatten(net)
            net = slim.fully_connected(net, 64, scope="fc3")
            return slim.fully_connected(net, 10, activation_fn=None, normalizer_fn=None,
                                        scope="fc4")


logits = lenet(images, is_training)
tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
total_loss = tf.losses.get_total_loss()
train_op = slim.learning.create_train_op(total_loss, tf.train.AdamOptimizer(1e-2))
moving_mean = [v for v in slim.get_model_variables() if v.op.name == "LeNet/conv1/BatchNorm/moving_mean"][0]
saver = tf.train.Saver()

print("update ops:", len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)))
print("model variables:", " ".join(v.op.name for v in slim.get_model_variables()))
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    feed = {images: batch_images, labels: batch_labels}
    losses = [sess.run(train_op, feed) for _ in range(30)]
    print("first loss:", losses[0])
    print("last loss:", losses[-1])
    print("moving mean moved:", float(np.abs(sess.run(moving_mean)).max()))
    inference = sess.run(logits, {images: batch_images, is_training: False})
    saver.save(sess, checkpoint_dir + "/lenet.ckpt")

# A fresh graph restores the checkpoint by slim's variable names.
with tf.Graph().as_default():
    images = tf.placeholder(tf.float32, [None, 28, 28, 1])
    restored_logits = lenet(images, False)
    restore = slim.assign_from_checkpoint_fn(checkpoint_dir + "/lenet.ckpt", slim.get_model_variables())
    with tf.Session() as sess:
        restore(sess)
        print("restored max diff:", float(np.abs(sess.run(restored_logits, {images: batch_images}) - inference).max()))
