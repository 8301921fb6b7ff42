# A TF 1.x program as TF 1.x users wrote it: a stacked bidirectional LSTM over MNIST rows
# with tf.contrib.rnn (LSTMBlockCell, stack_bidirectional_dynamic_rnn), graph and session
# at module level, the trained model saved with tf.train.Saver at the end.
# parity_tests/compat/test_rnn_programs.py runs it unmodified with `python -m legacy_tf1 run`.
from __future__ import print_function

import argparse

import tensorflow as tf
from tensorflow.contrib import rnn
from tensorflow.examples.tutorials.mnist import input_data

parser = argparse.ArgumentParser()
parser.add_argument('--num_steps', type=int, default=3000)
parser.add_argument('--batch_size', type=int, default=128)
parser.add_argument('--num_layers', type=int, default=2)
parser.add_argument('--num_hidden', type=int, default=32)
parser.add_argument('--test_images', type=int, default=10000)
parser.add_argument('--model_path', default='/tmp/bidirectional_model.ckpt')
parser.add_argument('--seed', type=int, default=0)
args = parser.parse_args()

mnist = input_data.read_data_sets('/tmp/data/', one_hot=True, seed=args.seed)
tf.set_random_seed(args.seed)

X = tf.placeholder(tf.float32, [None, 28, 28])
Y = tf.placeholder(tf.float32, [None, 10])

# One forward and one backward LSTM per layer; each layer reads both directions of the one below.
cells_fw = [rnn.LSTMBlockCell(args.num_hidden) for _ in range(args.num_layers)]
cells_bw = [rnn.LSTMBlockCell(args.num_hidden) for _ in range(args.num_layers)]
outputs, _, _ = rnn.stack_bidirectional_dynamic_rnn(cells_fw, cells_bw, X, dtype=tf.float32)

# Forward output after the last row, concatenated with the backward output after the first.
last_step = outputs[:, -1, :args.num_hidden]
first_step = outputs[:, 0, args.num_hidden:]
W = tf.Variable(tf.truncated_normal([2 * args.num_hidden, 10], stddev=0.1), name='W')
b = tf.Variable(tf.zeros([10]), name='b')
logits = tf.matmul(tf.concat([last_step, first_step], 1), W) + b

loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=Y, logits=logits))
train = tf.train.AdamOptimizer(0.01).minimize(loss)
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), tf.argmax(Y, 1)), tf.float32))
saver = tf.train.Saver()

with tf.Session() as sess:
  sess.run(tf.global_variables_initializer())
  for step in range(1, args.num_steps + 1):
    batch_x, batch_y = mnist.train.next_batch(args.batch_size)
    _, l = sess.run([train, loss], feed_dict={X: batch_x.reshape(-1, 28, 28), Y: batch_y})
    if step % 100 == 0:
      print('step', step, 'loss', l)
  test_x = mnist.test.images[:args.test_images].reshape(-1, 28, 28)
  print('test accuracy', sess.run(accuracy, feed_dict={X: test_x, Y: mnist.test.labels[:args.test_images]}))
  print('model saved in', saver.save(sess, args.model_path))
