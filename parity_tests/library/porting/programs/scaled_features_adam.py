# A TF 1.x program as TF 1.x users wrote it: learned per-pixel feature scaling (a gain and an
# offset variable of shape [784], `x * gain + offset`) before a two-layer perceptron, softmax
# cross-entropy on one-hot labels, Adam, feed_dict batches of random "images".
# parity_tests/library/porting/test_port_backends.py ports it with --backends tensorflow,jax: the
# generated model.py carries its own ElementwiseAffine layer class, which must run on JAX too.
import argparse

import numpy as np
import tensorflow as tf

parser = argparse.ArgumentParser()
parser.add_argument("--steps", type=int, default=100)
parser.add_argument("--seed", type=int, default=0)
flags = parser.parse_args()

tf.set_random_seed(flags.seed)
rng = np.random.RandomState(flags.seed)

images = tf.placeholder(tf.float32, [None, 784], name="images")
labels = tf.placeholder(tf.float32, [None, 10], name="labels")
with tf.variable_scope("scaling"):
    gain = tf.get_variable("gain", [784], initializer=tf.random_uniform_initializer(0.5, 1.5))
    offset = tf.get_variable("offset", [784], initializer=tf.random_normal_initializer(stddev=0.1))
    scaled = images * gain + offset
hidden = tf.layers.dense(scaled, 64, activation=tf.nn.tanh, name="hidden")
logits = tf.layers.dense(hidden, 10, name="logits")
cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits))
train = tf.train.AdamOptimizer(1e-3).minimize(cost)

sess = tf.Session()
sess.run(tf.global_variables_initializer())
for step in range(flags.steps):
    batch = rng.uniform(size=(50, 784)).astype(np.float32)
    onehot = np.eye(10, dtype=np.float32)[rng.randint(0, 10, 50)]
    _, value = sess.run([train, cost], feed_dict={images: batch, labels: onehot})
    if step % 20 == 0:
        print("step %d cost %.4f" % (step, value))
sess.close()
