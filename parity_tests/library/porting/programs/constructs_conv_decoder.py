# A TF 1.x program as TF 1.x users wrote it, module-level, tf.layers next to raw variables: a strided
# convolution, a learned gain and shift per channel (x * W + b), a leaky ReLU, a transposed
# convolution back up, relu6, global average pooling as reduce_mean over H and W, l2_normalize
# and a classifier. MNIST-shaped inputs (random ones here: the port verifies on MNIST's).
# parity_tests/library/porting/constructs/test_ported_programs.py ports it with `mnist-parity port`.
import sys

import numpy as np
import tensorflow as tf

steps = int(sys.argv[1]) if len(sys.argv) > 1 else 20
x = tf.placeholder(tf.float32, [None, 784], name="x")
y = tf.placeholder(tf.int64, [None], name="y")
images = tf.reshape(x, [-1, 28, 28, 1])
down = tf.layers.conv2d(images, 8, 3, strides=2, padding="same", name="down")
with tf.variable_scope("gain"):
    W = tf.Variable(tf.random_uniform([8], 0.5, 1.5), name="W")
    b = tf.Variable(tf.zeros([8]), name="b")
gained = tf.nn.leaky_relu(down * W + b, alpha=0.1)
up = tf.layers.conv2d_transpose(gained, 4, 3, strides=2, padding="same", activation=tf.nn.relu6, name="up")
pooled = tf.reduce_mean(up, [1, 2], name="gap")
unit = tf.nn.l2_normalize(pooled, axis=1, name="unit")
logits = tf.layers.dense(unit, 10, name="logits")
loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
train = tf.train.AdamOptimizer(0.01).minimize(loss)

rng = np.random.RandomState(0)
with tf.Session() as session:
    session.run(tf.global_variables_initializer())
    for step in range(steps):
        feed = {x: rng.rand(32, 784).astype(np.float32), y: rng.randint(0, 10, 32)}
        _, value = session.run([train, loss], feed)
    print("loss", value)
