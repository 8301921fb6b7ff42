# A character-level language model the way char-rnn tutorials wrote it: one-hot characters
# read by a GRU in tf.nn.dynamic_rnn, a softmax projection of every step's output, and
# tf.contrib.seq2seq.sequence_loss over [batch, time, vocabulary] logits; Adam, feed_dict
# batches cut from a text generated here (the program stays offline).
import numpy as np
import tensorflow as tf

BATCH, STEPS, HIDDEN = 8, 12, 16
text = "the quick brown fox jumps over the lazy dog " * 40
chars = sorted(set(text))
VOCAB = len(chars)
encoded = np.array([chars.index(c) for c in text], dtype=np.int32)

tf.set_random_seed(0)
input_data = tf.placeholder(tf.int32, [None, STEPS], name='input_data')
targets = tf.placeholder(tf.int32, [None, STEPS], name='targets')
inputs = tf.one_hot(input_data, VOCAB)
cell = tf.nn.rnn_cell.GRUCell(HIDDEN)
outputs, last_state = tf.nn.dynamic_rnn(cell, inputs, dtype=tf.float32)
logits = tf.layers.dense(outputs, VOCAB, name='softmax')
loss = tf.contrib.seq2seq.sequence_loss(logits, targets, tf.ones_like(targets, dtype=tf.float32))
train_op = tf.train.AdamOptimizer(0.01).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(20):
        starts = np.random.RandomState(step).randint(0, len(encoded) - STEPS - 1, BATCH)
        x = np.stack([encoded[s:s + STEPS] for s in starts])
        y = np.stack([encoded[s + 1:s + STEPS + 1] for s in starts])
        _, batch_loss = sess.run([train_op, loss], {input_data: x, targets: y})
    print('loss %.4f' % batch_loss)
