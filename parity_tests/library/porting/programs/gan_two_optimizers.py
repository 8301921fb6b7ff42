# A vanilla GAN as the tutorials wrote it: generator and discriminator from weight
# variables, two Adam optimizers each with its own var_list, the discriminator trained
# first in each step. Random stand-in "images" keep the program offline.
import numpy as np
import tensorflow as tf

rng = np.random.RandomState(0)
X = tf.placeholder(tf.float32, shape=[None, 784])
Z = tf.placeholder(tf.float32, shape=[None, 100])


def xavier(shape, seed):
    return tf.random_normal(shape, stddev=1. / tf.sqrt(shape[0] / 2.), seed=seed)


D_W1 = tf.Variable(xavier([784, 128], 1), name='D_W1')
D_b1 = tf.Variable(tf.zeros(shape=[128]), name='D_b1')
D_W2 = tf.Variable(xavier([128, 1], 2), name='D_W2')
D_b2 = tf.Variable(tf.zeros(shape=[1]), name='D_b2')
theta_D = [D_W1, D_W2, D_b1, D_b2]
G_W1 = tf.Variable(xavier([100, 128], 3), name='G_W1')
G_b1 = tf.Variable(tf.zeros(shape=[128]), name='G_b1')
G_W2 = tf.Variable(xavier([128, 784], 4), name='G_W2')
G_b2 = tf.Variable(tf.zeros(shape=[784]), name='G_b2')
theta_G = [G_W1, G_W2, G_b1, G_b2]


def generator(z):
    G_h1 = tf.nn.relu(tf.matmul(z, G_W1) + G_b1)
    return tf.nn.sigmoid(tf.matmul(G_h1, G_W2) + G_b2)


def discriminator(x):
    D_h1 = tf.nn.relu(tf.matmul(x, D_W1) + D_b1)
    D_logit = tf.matmul(D_h1, D_W2) + D_b2
    return tf.nn.sigmoid(D_logit), D_logit


G_sample = generator(Z)
D_real, D_logit_real = discriminator(X)
D_fake, D_logit_fake = discriminator(G_sample)
D_loss = -tf.reduce_mean(tf.log(D_real) + tf.log(1. - D_fake))
G_loss = -tf.reduce_mean(tf.log(D_fake))
D_solver = tf.train.AdamOptimizer().minimize(D_loss, var_list=theta_D)
G_solver = tf.train.AdamOptimizer().minimize(G_loss, var_list=theta_G)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for it in range(10):
        X_mb = rng.rand(16, 784).astype(np.float32)
        Z_mb = rng.uniform(-1., 1., size=[16, 100])
        _, D_loss_curr = sess.run([D_solver, D_loss], feed_dict={X: X_mb, Z: Z_mb})
        _, G_loss_curr = sess.run([G_solver, G_loss], feed_dict={Z: Z_mb})
    print(D_loss_curr, G_loss_curr)
