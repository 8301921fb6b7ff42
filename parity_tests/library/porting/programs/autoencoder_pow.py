# An MNIST autoencoder as the tutorials wrote it: weight and bias dicts, sigmoid layers,
# the loss `tf.reduce_mean(tf.pow(y_true - y_pred, 2))` with the input as its own target,
# an L2 penalty on the outer weights added (`beta * tf.nn.l2_loss(w)`), RMSProp. Random stand-in batches keep the program offline.
import numpy as np
import tensorflow as tf

rng = np.random.RandomState(0)
num_input, num_hidden_1, num_hidden_2 = 784, 32, 16
X = tf.placeholder("float", [None, num_input])
weights = {
    'encoder_h1': tf.Variable(tf.random_normal([num_input, num_hidden_1], seed=1)),
    'encoder_h2': tf.Variable(tf.random_normal([num_hidden_1, num_hidden_2], seed=2)),
    'decoder_h1': tf.Variable(tf.random_normal([num_hidden_2, num_hidden_1], seed=3)),
    'decoder_h2': tf.Variable(tf.random_normal([num_hidden_1, num_input], seed=4)),
}
biases = {
    'encoder_b1': tf.Variable(tf.random_normal([num_hidden_1], seed=5)),
    'encoder_b2': tf.Variable(tf.random_normal([num_hidden_2], seed=6)),
    'decoder_b1': tf.Variable(tf.random_normal([num_hidden_1], seed=7)),
    'decoder_b2': tf.Variable(tf.random_normal([num_input], seed=8)),
}


def encoder(x):
    layer_1 = tf.nn.sigmoid(tf.add(tf.matmul(x, weights['encoder_h1']), biases['encoder_b1']))
    return tf.nn.sigmoid(tf.add(tf.matmul(layer_1, weights['encoder_h2']), biases['encoder_b2']))


def decoder(x):
    layer_1 = tf.nn.sigmoid(tf.add(tf.matmul(x, weights['decoder_h1']), biases['decoder_b1']))
    return tf.nn.sigmoid(tf.add(tf.matmul(layer_1, weights['decoder_h2']), biases['decoder_b2']))


y_pred = decoder(encoder(X))
y_true = X
beta = 0.001
loss = tf.reduce_mean(tf.pow(y_true - y_pred, 2)) + beta * (
    tf.nn.l2_loss(weights['encoder_h1']) + tf.nn.l2_loss(weights['decoder_h2']))
optimizer = tf.train.RMSPropOptimizer(0.01).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(10):
        _, l = sess.run([optimizer, loss], feed_dict={X: rng.rand(32, num_input)})
    print("loss", l)
