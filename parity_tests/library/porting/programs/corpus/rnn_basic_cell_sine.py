"""Time-series regression: BasicRNNCell in dynamic_rnn over windows of a sine wave, outputs reshaped through a dense layer, MSE via reduce_mean(square)."""
import numpy as np
import tensorflow as tf

n_steps, n_inputs, n_neurons, n_outputs = 20, 1, 32, 1
t = np.linspace(0, 30, 1000)
series = np.sin(t) / 3 + 2 * np.sin(t * 5)
rng = np.random.RandomState(42)


def next_batch(batch_size):
    starts = rng.randint(0, len(series) - n_steps - 1, size=batch_size)
    windows = np.stack([series[s:s + n_steps + 1] for s in starts]).astype(np.float32)
    return windows[:, :-1, None], windows[:, 1:, None]


X = tf.placeholder(tf.float32, [None, n_steps, n_inputs])
y = tf.placeholder(tf.float32, [None, n_steps, n_outputs])
cell = tf.nn.rnn_cell.BasicRNNCell(num_units=n_neurons, activation=tf.nn.relu)
rnn_outputs, states = tf.nn.dynamic_rnn(cell, X, dtype=tf.float32)
stacked_rnn_outputs = tf.reshape(rnn_outputs, [-1, n_neurons])
stacked_outputs = tf.layers.dense(stacked_rnn_outputs, n_outputs)
outputs = tf.reshape(stacked_outputs, [-1, n_steps, n_outputs])
loss = tf.reduce_mean(tf.square(outputs - y))
training_op = tf.train.AdamOptimizer(learning_rate=0.001).minimize(loss)

with tf.Session() as sess:
    tf.global_variables_initializer().run()
    for iteration in range(10):
        X_batch, y_batch = next_batch(50)
        sess.run(training_op, feed_dict={X: X_batch, y: y_batch})
    print(iteration, "\tMSE:", loss.eval(feed_dict={X: X_batch, y: y_batch}))
