# A TF 1.x program as TF 1.x users wrote it: a small CNN whose gradients are clipped to a global
# norm (tf.clip_by_global_norm) between compute_gradients and Adam's apply_gradients.
# parity_tests/library/porting/test_training_setup.py ports it: training_setup() must say global_clipnorm.
import sys

import numpy as np
import tensorflow as tf

STEPS = int(sys.argv[1]) if len(sys.argv) > 1 else 200
tf.set_random_seed(0)
random = np.random.RandomState(0)

images = tf.placeholder(tf.float32, [None, 28, 28, 1], name="images")
labels = tf.placeholder(tf.int64, [None], name="labels")
conv = tf.layers.conv2d(images, 4, 5, activation=tf.nn.relu, name="conv")
pool = tf.layers.max_pooling2d(conv, 2, 2, name="pool")
flat = tf.layers.flatten(pool, name="flatten")
logits = tf.layers.dense(flat, 10, name="logits")
loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)

optimizer = tf.train.AdamOptimizer(0.01)
gradients, variables = zip(*optimizer.compute_gradients(loss))
clipped, _ = tf.clip_by_global_norm(gradients, 0.5)
train_op = optimizer.apply_gradients(zip(clipped, variables))

with tf.Session() as session:
    session.run(tf.global_variables_initializer())
    for step in range(STEPS):
        batch = random.uniform(size=(16, 28, 28, 1)).astype(np.float32)
        session.run(train_op, {images: batch, labels: random.randint(0, 10, 16)})
