"""ResNet v2-50 (pre-activation) from tf_slim's zoo in a tf.app.run main, a python-bool is_training.

Usage: slim_resnet_v2_50.py [--size N] [--classes K]
"""
import numpy as np
import tensorflow as tf
import tf_slim as slim
from tf_slim.nets import resnet_v2

flags = tf.app.flags
flags.DEFINE_integer("size", 64, "input height and width")
flags.DEFINE_integer("classes", 5, "number of classes")
FLAGS = flags.FLAGS


def main(_):
    graph = tf.Graph()
    with graph.as_default():
        images = tf.placeholder(tf.float32, [None, FLAGS.size, FLAGS.size, 3], name="images")
        labels = tf.placeholder(tf.int32, [None], name="labels")
        with slim.arg_scope(resnet_v2.resnet_arg_scope(weight_decay=1e-4)):
            net, _ = resnet_v2.resnet_v2_50(images, num_classes=FLAGS.classes, is_training=True)
        logits = tf.squeeze(net, axis=[1, 2], name="SpatialSqueeze")
        one_hot = tf.one_hot(labels, FLAGS.classes)
        slim.losses.softmax_cross_entropy(logits, one_hot)
        total_loss = slim.losses.get_total_loss()
        train_op = slim.learning.create_train_op(
            total_loss, tf.train.GradientDescentOptimizer(0.05))
        init = tf.global_variables_initializer()

    rng = np.random.RandomState(1)
    x = rng.uniform(-1, 1, (4, FLAGS.size, FLAGS.size, 3)).astype(np.float32)
    y = rng.randint(0, FLAGS.classes, 4)
    with tf.Session(graph=graph) as sess:
        sess.run(init)
        for step in range(3):
            loss = sess.run(train_op, feed_dict={images: x, labels: y})
            print("step %d: loss %.4f" % (step, loss))


if __name__ == "__main__":
    tf.app.run()
