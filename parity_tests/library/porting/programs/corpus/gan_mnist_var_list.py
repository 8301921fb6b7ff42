"""GAN on MNIST: generator and discriminator in raw variables, hand log losses -reduce_mean(log(D(x)) + log(1 - D(G(z)))), two Adam optimizers with var_list."""
import numpy as np
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("/tmp/data/", one_hot=True)
rng = np.random.RandomState(0)
image_dim, gen_hidden, disc_hidden, noise_dim = 784, 64, 64, 16


def glorot_init(shape):
    return tf.random_normal(shape=shape, stddev=1. / tf.sqrt(shape[0] / 2.))


weights = {
    'gen_hidden1': tf.Variable(glorot_init([noise_dim, gen_hidden])),
    'gen_out': tf.Variable(glorot_init([gen_hidden, image_dim])),
    'disc_hidden1': tf.Variable(glorot_init([image_dim, disc_hidden])),
    'disc_out': tf.Variable(glorot_init([disc_hidden, 1])),
}
biases = {
    'gen_hidden1': tf.Variable(tf.zeros([gen_hidden])),
    'gen_out': tf.Variable(tf.zeros([image_dim])),
    'disc_hidden1': tf.Variable(tf.zeros([disc_hidden])),
    'disc_out': tf.Variable(tf.zeros([1])),
}


def generator(x):
    hidden = tf.nn.relu(tf.matmul(x, weights['gen_hidden1']) + biases['gen_hidden1'])
    return tf.nn.sigmoid(tf.matmul(hidden, weights['gen_out']) + biases['gen_out'])


def discriminator(x):
    hidden = tf.nn.relu(tf.matmul(x, weights['disc_hidden1']) + biases['disc_hidden1'])
    return tf.nn.sigmoid(tf.matmul(hidden, weights['disc_out']) + biases['disc_out'])


gen_input = tf.placeholder(tf.float32, shape=[None, noise_dim], name='input_noise')
disc_input = tf.placeholder(tf.float32, shape=[None, image_dim], name='disc_input')
gen_sample = generator(gen_input)
disc_real = discriminator(disc_input)
disc_fake = discriminator(gen_sample)
gen_loss = -tf.reduce_mean(tf.log(disc_fake))
disc_loss = -tf.reduce_mean(tf.log(disc_real) + tf.log(1. - disc_fake))
gen_vars = [weights['gen_hidden1'], weights['gen_out'], biases['gen_hidden1'], biases['gen_out']]
disc_vars = [weights['disc_hidden1'], weights['disc_out'], biases['disc_hidden1'], biases['disc_out']]
train_gen = tf.train.AdamOptimizer(0.0002).minimize(gen_loss, var_list=gen_vars)
train_disc = tf.train.AdamOptimizer(0.0002).minimize(disc_loss, var_list=disc_vars)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(5):
        batch_x, _ = mnist.train.next_batch(32)
        z = rng.uniform(-1., 1., size=[32, noise_dim])
        _, _, gl, dl = sess.run([train_gen, train_disc, gen_loss, disc_loss],
                                feed_dict={disc_input: batch_x, gen_input: z})
    print('Generator Loss: %f, Discriminator Loss: %f' % (gl, dl))
