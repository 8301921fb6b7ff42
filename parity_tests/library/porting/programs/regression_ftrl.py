# A TF 1.x program as TF 1.x users wrote it: a linear regression on 8 features (squared error)
# trained by FTRL-proximal with L1 and L2 shrinkage, as TF1's wide models were.
# parity_tests/library/porting/test_training_setup.py ports it (--data: its own examples): the
# generated training_setup() must use the TF1-rule Ftrl twin and MeanSquaredError.
import sys

import numpy as np
import tensorflow as tf

STEPS = int(sys.argv[1]) if len(sys.argv) > 1 else 200
tf.set_random_seed(0)
random = np.random.RandomState(0)
TRUE_WEIGHTS = random.normal(size=(8, 1)).astype(np.float32)

features = tf.placeholder(tf.float32, [None, 8], name="features")
targets = tf.placeholder(tf.float32, [None, 1], name="targets")
prediction = tf.layers.dense(features, 1, name="linear")
loss = tf.losses.mean_squared_error(targets, prediction)
train_op = tf.train.FtrlOptimizer(0.5, l1_regularization_strength=0.001,
                                  l2_shrinkage_regularization_strength=0.01).minimize(loss)

with tf.Session() as session:
    session.run(tf.global_variables_initializer())
    for step in range(STEPS):
        batch = random.normal(size=(32, 8)).astype(np.float32)
        session.run(train_op, {features: batch, targets: batch @ TRUE_WEIGHTS})
