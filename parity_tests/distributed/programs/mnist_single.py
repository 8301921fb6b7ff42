"""mnist_replica.py's network trained in one process, no cluster: the single-process program
a between-graph port must come out the same as (same variables, seeds and loss).

  python -m legacy_tf1 run mnist_single.py --train_steps 100
"""
import math

import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

flags = tf.app.flags
flags.DEFINE_string("data_dir", "/tmp/mnist-data", "Directory for storing mnist data")
flags.DEFINE_integer("hidden_units", 100, "Number of units in the hidden layer")
flags.DEFINE_integer("train_steps", 100, "Number of training steps to perform")
flags.DEFINE_integer("batch_size", 100, "Training batch size")
flags.DEFINE_float("learning_rate", 0.01, "Learning rate")
FLAGS = flags.FLAGS

IMAGE_PIXELS = 28


def main(unused_argv):
  mnist = input_data.read_data_sets(FLAGS.data_dir, one_hot=True)
  global_step = tf.Variable(0, name="global_step", trainable=False)
  hid_w = tf.Variable(tf.truncated_normal(
      [IMAGE_PIXELS * IMAGE_PIXELS, FLAGS.hidden_units], stddev=1.0 / IMAGE_PIXELS, seed=1),
      name="hid_w")
  hid_b = tf.Variable(tf.zeros([FLAGS.hidden_units]), name="hid_b")
  sm_w = tf.Variable(tf.truncated_normal(
      [FLAGS.hidden_units, 10], stddev=1.0 / math.sqrt(FLAGS.hidden_units), seed=2), name="sm_w")
  sm_b = tf.Variable(tf.zeros([10]), name="sm_b")

  x = tf.placeholder(tf.float32, [None, IMAGE_PIXELS * IMAGE_PIXELS])
  y_ = tf.placeholder(tf.float32, [None, 10])
  hid = tf.nn.relu(tf.nn.xw_plus_b(x, hid_w, hid_b))
  y = tf.nn.softmax(tf.nn.xw_plus_b(hid, sm_w, sm_b))
  cross_entropy = -tf.reduce_sum(y_ * tf.log(tf.clip_by_value(y, 1e-10, 1.0)))
  train_step = tf.train.AdamOptimizer(FLAGS.learning_rate).minimize(
      cross_entropy, global_step=global_step)

  with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(FLAGS.train_steps):
      batch_xs, batch_ys = mnist.train.next_batch(FLAGS.batch_size)
      _, step, loss = sess.run([train_step, global_step, cross_entropy],
                               feed_dict={x: batch_xs, y_: batch_ys})
      if step % 10 == 0:
        print("step %d loss %.4f" % (step, loss))


if __name__ == "__main__":
  tf.app.run()
