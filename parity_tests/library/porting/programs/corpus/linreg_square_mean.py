"""Linear regression, one feature: hypothesis = W * x + b, cost = tf.reduce_mean(tf.square(...)), GradientDescentOptimizer."""
import numpy as np
import tensorflow as tf

rng = np.random.RandomState(777)
x_train = rng.uniform(-1.0, 1.0, size=(64, 1)).astype(np.float32)
y_train = 3.0 * x_train + 2.0 + rng.normal(0.0, 0.1, size=(64, 1)).astype(np.float32)

X = tf.placeholder(tf.float32, shape=[None, 1])
Y = tf.placeholder(tf.float32, shape=[None, 1])
W = tf.Variable(tf.random_normal([1, 1]), name='weight')
b = tf.Variable(tf.random_normal([1]), name='bias')

hypothesis = tf.matmul(X, W) + b
cost = tf.reduce_mean(tf.square(hypothesis - Y))
train = tf.train.GradientDescentOptimizer(learning_rate=0.1).minimize(cost)

sess = tf.Session()
sess.run(tf.global_variables_initializer())
for step in range(21):
    cost_val, W_val, b_val, _ = sess.run([cost, W, b, train], feed_dict={X: x_train, Y: y_train})
    if step % 10 == 0:
        print(step, cost_val, W_val.ravel(), b_val)
