"""CSV-reading regression through the graph: a CSV the program writes, read by tf.data.TextLineDataset + tf.decode_csv into a one-shot iterator (no placeholders)."""
import os
import tempfile

import numpy as np
import tensorflow as tf

rng = np.random.RandomState(3)
rows = rng.uniform(0, 1, size=(60, 3)).astype(np.float32)
target = rows @ np.array([[1.5], [-2.0], [0.5]], np.float32) + 0.25
path = os.path.join(tempfile.mkdtemp(), 'train.csv')
np.savetxt(path, np.hstack([rows, target]), delimiter=',', fmt='%.5f')


def parse(line):
    columns = tf.decode_csv(line, record_defaults=[[0.0], [0.0], [0.0], [0.0]])
    return tf.stack(columns[:-1]), tf.stack(columns[-1:])


dataset = tf.data.TextLineDataset(path).map(parse).repeat().batch(10)
features, labels = dataset.make_one_shot_iterator().get_next()

W = tf.Variable(tf.zeros([3, 1]), name='weight')
b = tf.Variable(tf.zeros([1]), name='bias')
hypothesis = tf.matmul(features, W) + b
cost = tf.reduce_mean(tf.square(hypothesis - labels))
train = tf.train.GradientDescentOptimizer(0.1).minimize(cost)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(20):
        cost_val, _ = sess.run([cost, train])
        if step % 10 == 0:
            print(step, cost_val)
