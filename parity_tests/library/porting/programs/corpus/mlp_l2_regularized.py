"""MLP with L2 weight decay written by hand: loss + beta * (tf.nn.l2_loss(W1) + tf.nn.l2_loss(W2)), GradientDescentOptimizer."""
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("/tmp/data/", one_hot=True)
beta = 0.001

tf_train_dataset = tf.placeholder(tf.float32, shape=(None, 784))
tf_train_labels = tf.placeholder(tf.float32, shape=(None, 10))
weights_1 = tf.Variable(tf.truncated_normal([784, 128], stddev=0.1))
biases_1 = tf.Variable(tf.zeros([128]))
weights_2 = tf.Variable(tf.truncated_normal([128, 10], stddev=0.1))
biases_2 = tf.Variable(tf.zeros([10]))

relu_layer = tf.nn.relu(tf.matmul(tf_train_dataset, weights_1) + biases_1)
logits = tf.matmul(relu_layer, weights_2) + biases_2
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=logits, labels=tf_train_labels))
regularizers = tf.nn.l2_loss(weights_1) + tf.nn.l2_loss(weights_2)
loss = tf.reduce_mean(loss + beta * regularizers)
optimizer = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
train_prediction = tf.nn.softmax(logits)

with tf.Session() as session:
    tf.global_variables_initializer().run()
    for step in range(15):
        batch_data, batch_labels = mnist.train.next_batch(128)
        _, l, predictions = session.run([optimizer, loss, train_prediction],
                                        feed_dict={tf_train_dataset: batch_data, tf_train_labels: batch_labels})
    print("Minibatch loss at step %d: %f" % (step, l))
