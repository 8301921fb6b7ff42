# A TF 1.x program as TF 1.x users wrote it: a feed_dict training loop of a two-layer perceptron
# trained by RMSProp whose learning rate decays in stairs (tf.train.exponential_decay).
# parity_tests/library/porting/test_training_setup.py ports it: model.py's training_setup() must use
# the TF1-rule RMSProp twin and a staircase ExponentialDecay, and train as this program does.
import sys

import numpy as np
import tensorflow as tf

STEPS = int(sys.argv[1]) if len(sys.argv) > 1 else 200
tf.set_random_seed(0)
random = np.random.RandomState(0)

x = tf.placeholder(tf.float32, [None, 784], name="x")
y = tf.placeholder(tf.int64, [None], name="y")
hidden = tf.layers.dense(x, 32, tf.nn.relu, name="hidden")
logits = tf.layers.dense(hidden, 10, name="logits")
loss = tf.losses.sparse_softmax_cross_entropy(y, logits)

global_step = tf.train.get_or_create_global_step()
learning_rate = tf.train.exponential_decay(0.01, global_step, 3, 0.5, staircase=True)
train_op = tf.train.RMSPropOptimizer(learning_rate, decay=0.9, momentum=0.5).minimize(
    loss, global_step=global_step)

with tf.Session() as session:
    session.run(tf.global_variables_initializer())
    for step in range(STEPS):
        images = random.uniform(size=(32, 784)).astype(np.float32)
        session.run(train_op, {x: images, y: random.randint(0, 10, 32)})
