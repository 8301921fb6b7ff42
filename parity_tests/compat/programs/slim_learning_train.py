"""TF-Slim training loop: slim.learning.train with number_of_steps, under tf.app.run."""
import numpy as np
import tf_slim as slim
import tensorflow as tf

FLAGS = tf.app.flags.FLAGS
tf.app.flags.DEFINE_string("train_dir", "/tmp/slim_train", "where checkpoints go")
tf.app.flags.DEFINE_integer("steps", 5, "training steps")


def net(images, is_training):
    with slim.arg_scope([slim.conv2d, slim.fully_connected], activation_fn=tf.nn.relu,
                        weights_regularizer=slim.l2_regularizer(1e-4)):
        x = slim.repeat(images, 2, slim.conv2d, 8, [3, 3], scope="conv1")
        x = slim.max_pool2d(x, [2, 2], scope="pool1")
        x = slim.flatten(x)
        x = slim.stack(x, slim.fully_connected, [32, 16], scope="fc")
        x = slim.dropout(x, 0.5, is_training=is_training, scope="dropout")
        return slim.fully_connected(x, 10, activation_fn=None, scope="logits")


def main(_):
    rng = np.random.RandomState(0)
    images = tf.constant(rng.rand(16, 12, 12, 1).astype(np.float32))
    labels = tf.constant(rng.randint(0, 10, 16))
    logits = net(images, True)
    slim.losses.sparse_softmax_cross_entropy(logits, labels)
    total = slim.losses.get_total_loss()
    train_op = slim.learning.create_train_op(total, tf.train.GradientDescentOptimizer(0.1))
    final = slim.learning.train(train_op, FLAGS.train_dir, number_of_steps=FLAGS.steps,
                                save_summaries_secs=0, log_every_n_steps=1)
    print("final loss:", final)
    print("checkpoint:", tf.train.latest_checkpoint(FLAGS.train_dir))


if __name__ == "__main__":
    tf.app.run()
