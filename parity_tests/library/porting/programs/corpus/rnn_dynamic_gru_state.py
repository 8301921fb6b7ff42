"""RNN on MNIST rows: tf.nn.rnn_cell.GRUCell in tf.nn.dynamic_rnn, the final state classified by tf.layers.dense, RMSProp."""
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("/tmp/data/", one_hot=True)

inputs = tf.placeholder(tf.float32, [None, 28, 28], name="inputs")
targets = tf.placeholder(tf.float32, [None, 10], name="targets")
cell = tf.nn.rnn_cell.GRUCell(num_units=48)
_, final_state = tf.nn.dynamic_rnn(cell, inputs, dtype=tf.float32)
logits = tf.layers.dense(final_state, 10, name="classifier")
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=targets, logits=logits))
train_op = tf.train.RMSPropOptimizer(0.001).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(3):
        bx, by = mnist.train.next_batch(32)
        _, value = sess.run([train_op, loss], {inputs: bx.reshape(-1, 28, 28), targets: by})
    print("loss", value)
