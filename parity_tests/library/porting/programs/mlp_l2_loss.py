# A TF 1.x program as TF 1.x users wrote it: a two-layer perceptron whose loss adds an L2 penalty
# on both kernels by hand (5e-4 * (tf.nn.l2_loss(w1) + tf.nn.l2_loss(w2))), plain SGD.
# parity_tests/library/porting/test_training_setup.py ports it: the generated layers carry
# kernel_regularizer=keras.regularizers.L2(2.5e-4) and train as this program does.
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
kernels = [variable for variable in tf.trainable_variables() if variable.name.endswith("kernel:0")]
data_loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
loss = data_loss + 5e-4 * tf.add_n([tf.nn.l2_loss(kernel) for kernel in kernels])
train_op = tf.train.GradientDescentOptimizer(0.5).minimize(loss)

with tf.Session() as session:
    session.run(tf.global_variables_initializer())
    for step in range(STEPS):
        images = random.uniform(size=(32, 784)).astype(np.float32)
        session.run(train_op, {x: images, y: random.randint(0, 10, 32)})
