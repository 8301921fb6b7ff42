"""MLP with tf.layers.dense (relu hidden layers, named), integer labels and tf.losses.sparse_softmax_cross_entropy, Adam."""
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("/tmp/data/", one_hot=False)

images = tf.placeholder(tf.float32, [None, 784], name="images")
labels = tf.placeholder(tf.int64, [None], name="labels")
hidden = tf.layers.dense(images, 128, activation=tf.nn.relu, name="hidden1")
hidden = tf.layers.dense(hidden, 64, activation=tf.nn.relu, name="hidden2")
logits = tf.layers.dense(hidden, 10, name="logits")
loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
train_op = tf.train.AdamOptimizer(1e-3).minimize(loss)
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), labels), tf.float32))

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(15):
        xs, ys = mnist.train.next_batch(64)
        _, loss_value = sess.run([train_op, loss], {images: xs, labels: ys})
    print("loss", loss_value, "accuracy",
          sess.run(accuracy, {images: mnist.test.images[:500], labels: mnist.test.labels[:500]}))
