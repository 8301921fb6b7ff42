# A TF 1.x program as TF 1.x users wrote it: a two-layer GRU over MNIST rows built from
# tf.nn.rnn_cell (GRUCell, DropoutWrapper, MultiRNNCell) and tf.nn.dynamic_rnn with
# sequence_length, run by tf.app.run. Training saves a tf.train.Saver checkpoint;
# `--restore` rebuilds the graph, restores the latest checkpoint and evaluates again.
# parity_tests/compat/test_rnn_programs.py runs it unmodified with `python -m legacy_tf1 run`.
from __future__ import absolute_import
from __future__ import division
from __future__ import print_function

import os

import numpy as np
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

flags = tf.app.flags
flags.DEFINE_string('data_dir', '/tmp/mnist_data', 'Directory for MNIST.')
flags.DEFINE_string('checkpoint_dir', '/tmp/rnn_gru_checkpoint', 'Where checkpoints go.')
flags.DEFINE_boolean('restore', False, 'Restore the latest checkpoint instead of training.')
flags.DEFINE_integer('train_steps', 2000, 'Training steps.')
flags.DEFINE_integer('batch_size', 100, 'Batch size.')
flags.DEFINE_integer('hidden_units', 48, 'GRU units per layer.')
flags.DEFINE_integer('num_layers', 2, 'Stacked GRU layers.')
flags.DEFINE_float('keep_prob', 0.9, 'Output keep probability of each layer while training.')
flags.DEFINE_integer('eval_images', 10000, 'Test images to evaluate on.')
flags.DEFINE_integer('seed', 0, 'Graph-level random seed.')
FLAGS = flags.FLAGS

ROWS, COLUMNS, CLASSES = 28, 28, 10


def row_lengths(images):
  """Rows up to the last row with ink: the part of each image the GRU reads."""
  has_ink = np.reshape(images, (-1, ROWS, COLUMNS)).max(axis=2) > 0
  last_row = ROWS - 1 - np.argmax(has_ink[:, ::-1], axis=1)
  return (last_row + 1).astype(np.int32)


def build_model(images, lengths, keep_prob):
  def layer():
    cell = tf.nn.rnn_cell.GRUCell(FLAGS.hidden_units)
    return tf.nn.rnn_cell.DropoutWrapper(cell, output_keep_prob=keep_prob)
  cell = tf.nn.rnn_cell.MultiRNNCell([layer() for _ in range(FLAGS.num_layers)])
  _, states = tf.nn.dynamic_rnn(cell, images, sequence_length=lengths, dtype=tf.float32)
  # The top layer's state at each image's last row.
  return tf.layers.dense(states[-1], CLASSES, name='logits')


def evaluate(sess, ops, mnist):
  images = mnist.test.images[:FLAGS.eval_images].reshape((-1, ROWS, COLUMNS))
  labels = mnist.test.labels[:FLAGS.eval_images]
  feed = {ops['images']: images, ops['labels']: labels, ops['lengths']: row_lengths(images)}
  accuracy, loss = sess.run([ops['accuracy'], ops['loss']], feed_dict=feed)
  print('eval accuracy %.4f loss %.6f' % (accuracy, loss))


def main(_):
  tf.set_random_seed(FLAGS.seed)
  mnist = input_data.read_data_sets(FLAGS.data_dir, seed=FLAGS.seed)

  images = tf.placeholder(tf.float32, [None, ROWS, COLUMNS], name='images')
  labels = tf.placeholder(tf.int64, [None], name='labels')
  lengths = tf.placeholder(tf.int32, [None], name='lengths')
  keep_prob = tf.placeholder_with_default(1.0, [], name='keep_prob')

  logits = build_model(images, lengths, keep_prob)
  loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
  global_step = tf.train.get_or_create_global_step()
  train_op = tf.train.AdamOptimizer(0.01).minimize(loss, global_step=global_step)
  accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), labels), tf.float32))
  ops = {'images': images, 'labels': labels, 'lengths': lengths,
         'accuracy': accuracy, 'loss': loss}

  saver = tf.train.Saver()
  with tf.Session() as sess:
    if FLAGS.restore:
      checkpoint = tf.train.latest_checkpoint(FLAGS.checkpoint_dir)
      saver.restore(sess, checkpoint)
      print('restored %s at step %d' % (os.path.basename(checkpoint), sess.run(global_step)))
    else:
      sess.run(tf.global_variables_initializer())
      for step in range(FLAGS.train_steps):
        batch_images, batch_labels = mnist.train.next_batch(FLAGS.batch_size)
        batch_images = batch_images.reshape((-1, ROWS, COLUMNS))
        _, batch_loss = sess.run([train_op, loss], feed_dict={
            images: batch_images, labels: batch_labels,
            lengths: row_lengths(batch_images), keep_prob: FLAGS.keep_prob})
        if step % 100 == 0:
          print('step %d, loss %.4f' % (step, batch_loss))
      path = saver.save(sess, os.path.join(FLAGS.checkpoint_dir, 'model.ckpt'),
                        global_step=global_step)
      print('saved', path)
    evaluate(sess, ops, mnist)


if __name__ == '__main__':
  tf.app.run()
