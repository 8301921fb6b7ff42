"""fully_connected_feed.py style with the tutorials' own model module: tensorflow.examples.tutorials.mnist.mnist inference/loss/training/evaluation, placeholder_inputs and fill_feed_dict."""
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data
from tensorflow.examples.tutorials.mnist import mnist

BATCH_SIZE = 100


def placeholder_inputs(batch_size):
    images_placeholder = tf.placeholder(tf.float32, shape=(batch_size, mnist.IMAGE_PIXELS))
    labels_placeholder = tf.placeholder(tf.int32, shape=(batch_size))
    return images_placeholder, labels_placeholder


def fill_feed_dict(data_set, images_pl, labels_pl):
    images_feed, labels_feed = data_set.next_batch(BATCH_SIZE)
    return {images_pl: images_feed, labels_pl: labels_feed}


data_sets = input_data.read_data_sets('/tmp/tensorflow/mnist/input_data')
with tf.Graph().as_default():
    images_placeholder, labels_placeholder = placeholder_inputs(BATCH_SIZE)
    logits = mnist.inference(images_placeholder, 64, 32)
    loss = mnist.loss(logits, labels_placeholder)
    train_op = mnist.training(loss, 0.01)
    eval_correct = mnist.evaluation(logits, labels_placeholder)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    for step in range(10):
        feed_dict = fill_feed_dict(data_sets.train, images_placeholder, labels_placeholder)
        _, loss_value = sess.run([train_op, loss], feed_dict=feed_dict)
    print('Step %d: loss = %.2f, correct in a test batch: %d' % (
        step, loss_value, sess.run(eval_correct, fill_feed_dict(data_sets.test, images_placeholder,
                                                                 labels_placeholder))))
