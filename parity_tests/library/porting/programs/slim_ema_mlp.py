"""A slim MLP trained with moving averages of its weights, tf.app.run style: the averages are
what its evaluation restores (ema.variables_to_restore()), so they are what a port should take.

Usage: slim_ema_mlp.py --train_dir DIR [--steps N]
"""
import numpy as np
import tensorflow as tf

slim = tf.contrib.slim
flags = tf.app.flags
flags.DEFINE_string("train_dir", "/tmp/slim_ema_mlp", "where the checkpoint goes")
flags.DEFINE_integer("steps", 20, "training steps")
FLAGS = flags.FLAGS


def mlp(inputs, is_training):
    with slim.arg_scope([slim.fully_connected], weights_regularizer=None,
                        weights_initializer=tf.truncated_normal_initializer(stddev=0.1)):
        net = slim.fully_connected(inputs, 32, scope="hidden")
        net = slim.dropout(net, 0.8, is_training=is_training, scope="dropout")
        return slim.fully_connected(net, 10, activation_fn=None, scope="logits")


def main(_):
    rng = np.random.RandomState(1)
    batch = rng.rand(64, 784).astype(np.float32), rng.randint(0, 10, 64)
    images = tf.placeholder(tf.float32, [None, 784], name="images")
    labels = tf.placeholder(tf.int64, [None], name="labels")
    is_training = tf.placeholder_with_default(True, [], name="is_training")
    logits = mlp(images, is_training)
    tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    total_loss = tf.losses.get_total_loss()
    global_step = tf.train.get_or_create_global_step()
    optimize = tf.train.GradientDescentOptimizer(0.5).minimize(total_loss, global_step=global_step)
    averages = tf.train.ExponentialMovingAverage(0.9, global_step)
    with tf.control_dependencies([optimize]):
        train_op = averages.apply(tf.trainable_variables())
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(FLAGS.steps):
            loss, _ = sess.run([total_loss, train_op], {images: batch[0], labels: batch[1]})
        print("last loss:", loss)
        print("saved:", saver.save(sess, FLAGS.train_dir + "/model.ckpt", global_step=global_step))


if __name__ == "__main__":
    tf.app.run()
