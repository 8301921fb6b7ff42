"""AlexNet v2 from tf_slim.nets, tf.app.run style: the net under its own arg_scope (l2 weight
decay, conv "fc" layers, dropout under is_training, spatial squeeze), get_total_loss(),
momentum SGD with UPDATE_OPS, a fixed NumPy batch of a fixed size.

Usage: slim_alexnet_v2.py [--num_classes N] [--batch_size B] [--steps S]
"""
import numpy as np
import tensorflow as tf
from tf_slim.nets import alexnet

slim = tf.contrib.slim
flags = tf.app.flags
flags.DEFINE_integer("num_classes", 10, "classes")
flags.DEFINE_integer("batch_size", 2, "images per step")
flags.DEFINE_integer("steps", 3, "training steps")
FLAGS = flags.FLAGS


def main(_):
    rng = np.random.RandomState(7)
    batch = (rng.rand(FLAGS.batch_size, 224, 224, 3).astype(np.float32),
             rng.randint(0, FLAGS.num_classes, FLAGS.batch_size))
    images = tf.placeholder(tf.float32, [FLAGS.batch_size, 224, 224, 3], name="images")
    labels = tf.placeholder(tf.int64, [FLAGS.batch_size], name="labels")
    with slim.arg_scope(alexnet.alexnet_v2_arg_scope()):
        logits, _ = alexnet.alexnet_v2(images, num_classes=FLAGS.num_classes, is_training=True)
    tf.losses.sparse_softmax_cross_entropy(labels, logits)
    loss = tf.losses.get_total_loss()
    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.control_dependencies(update_ops):
        train_op = tf.train.MomentumOptimizer(0.01, 0.9).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(FLAGS.steps):
            _, value = sess.run([train_op, loss], {images: batch[0], labels: batch[1]})
            print("step", step, "loss", value)


if __name__ == "__main__":
    tf.app.run()
