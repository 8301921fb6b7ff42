"""fully_connected_feed style: inference() with tf.name_scope('hidden1') blocks, truncated_normal(stddev=1/sqrt(n)), sparse labels, a global_step in minimize."""
import math

import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

IMAGE_PIXELS, NUM_CLASSES = 784, 10


def inference(images, hidden1_units, hidden2_units):
    with tf.name_scope('hidden1'):
        weights = tf.Variable(tf.truncated_normal([IMAGE_PIXELS, hidden1_units],
                                                  stddev=1.0 / math.sqrt(float(IMAGE_PIXELS))), name='weights')
        biases = tf.Variable(tf.zeros([hidden1_units]), name='biases')
        hidden1 = tf.nn.relu(tf.matmul(images, weights) + biases)
    with tf.name_scope('hidden2'):
        weights = tf.Variable(tf.truncated_normal([hidden1_units, hidden2_units],
                                                  stddev=1.0 / math.sqrt(float(hidden1_units))), name='weights')
        biases = tf.Variable(tf.zeros([hidden2_units]), name='biases')
        hidden2 = tf.nn.relu(tf.matmul(hidden1, weights) + biases)
    with tf.name_scope('softmax_linear'):
        weights = tf.Variable(tf.truncated_normal([hidden2_units, NUM_CLASSES],
                                                  stddev=1.0 / math.sqrt(float(hidden2_units))), name='weights')
        biases = tf.Variable(tf.zeros([NUM_CLASSES]), name='biases')
        return tf.matmul(hidden2, weights) + biases


def loss(logits, labels):
    labels = tf.to_int64(labels)
    return tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)


def training(loss_value, learning_rate):
    tf.summary.scalar('loss', loss_value)
    optimizer = tf.train.GradientDescentOptimizer(learning_rate)
    global_step = tf.Variable(0, name='global_step', trainable=False)
    return optimizer.minimize(loss_value, global_step=global_step)


data_sets = input_data.read_data_sets('/tmp/input_data', one_hot=False)
with tf.Graph().as_default():
    images_placeholder = tf.placeholder(tf.float32, shape=(None, IMAGE_PIXELS))
    labels_placeholder = tf.placeholder(tf.int32, shape=(None,))
    logits = inference(images_placeholder, 128, 32)
    loss_op = loss(logits, labels_placeholder)
    train_op = training(loss_op, 0.01)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    for step in range(20):
        images_feed, labels_feed = data_sets.train.next_batch(100)
        _, loss_value = sess.run([train_op, loss_op],
                                 feed_dict={images_placeholder: images_feed, labels_placeholder: labels_feed})
        if step % 10 == 0:
            print('Step %d: loss = %.2f' % (step, loss_value))
