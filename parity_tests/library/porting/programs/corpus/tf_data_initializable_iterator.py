"""tf.data with placeholders: make_initializable_iterator over Dataset.from_tensor_slices((x_ph, y_ph)), re-initialised each epoch with feed_dict, OutOfRangeError ends an epoch."""
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("/tmp/data/", one_hot=True)

x_ph = tf.placeholder(tf.float32, [None, 784])
y_ph = tf.placeholder(tf.float32, [None, 10])
dataset = tf.data.Dataset.from_tensor_slices((x_ph, y_ph)).batch(100)
iterator = dataset.make_initializable_iterator()
images, labels = iterator.get_next()

logits = tf.layers.dense(tf.layers.dense(images, 64, activation=tf.nn.relu), 10)
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits))
train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for epoch in range(2):
        sess.run(iterator.initializer, feed_dict={x_ph: mnist.train.images[:500], y_ph: mnist.train.labels[:500]})
        while True:
            try:
                _, value = sess.run([train_op, loss])
            except tf.errors.OutOfRangeError:
                break
        print("epoch", epoch, "loss", value)
