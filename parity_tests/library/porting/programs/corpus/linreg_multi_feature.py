"""Multi-variable linear regression: x_data of three scores, hypothesis = tf.matmul(X, W) + b, reduce_mean(square), small learning rate."""
import numpy as np
import tensorflow as tf

tf.set_random_seed(777)
rng = np.random.RandomState(777)
x_data = rng.uniform(60, 100, size=(25, 3)).astype(np.float32)
y_data = (x_data @ np.array([[0.3], [0.3], [0.4]], np.float32) + rng.normal(0, 2, (25, 1))).astype(np.float32)

X = tf.placeholder(tf.float32, shape=[None, 3])
Y = tf.placeholder(tf.float32, shape=[None, 1])

W = tf.Variable(tf.random_normal([3, 1]), name='weight')
b = tf.Variable(tf.random_normal([1]), name='bias')

hypothesis = tf.matmul(X, W) + b
cost = tf.reduce_mean(tf.square(hypothesis - Y))
optimizer = tf.train.GradientDescentOptimizer(learning_rate=1e-5)
train = optimizer.minimize(cost)

sess = tf.Session()
sess.run(tf.global_variables_initializer())
for step in range(11):
    cost_val, hy_val, _ = sess.run([cost, hypothesis, train], feed_dict={X: x_data, Y: y_data})
    if step % 5 == 0:
        print(step, "Cost: ", cost_val, "\nPrediction:\n", hy_val[:2])
