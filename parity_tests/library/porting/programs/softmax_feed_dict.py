"""Feed-dict softmax regression on MNIST-shaped inputs (raw variables, GradientDescentOptimizer):
the program the port-survey test expects to port (test_port_survey.py)."""
import numpy as np
import tensorflow as tf

rng = np.random.RandomState(0)
x = tf.placeholder(tf.float32, [None, 784], name="x")
y = tf.placeholder(tf.float32, [None, 10], name="y")
W = tf.Variable(tf.zeros([784, 10]), name="W")
b = tf.Variable(tf.zeros([10]), name="b")
logits = tf.matmul(x, W) + b
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))
train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(3):
        images = rng.rand(32, 784).astype(np.float32)
        labels = np.eye(10, dtype=np.float32)[rng.randint(10, size=32)]
        _, value = sess.run([train, loss], {x: images, y: labels})
        print("step", step, "loss", value)
