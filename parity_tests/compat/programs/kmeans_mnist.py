# A TF 1.x k-means program in the style of the popular TF1 examples: MNIST images
# clustered with tf.contrib.factorization.KMeans (cosine distance, mini-batch
# updates), each centroid labelled with the most frequent digit among its images,
# then the test set classified by nearest centroid. Run unmodified by
# parity_tests/compat/test_canned_programs.py with a short --steps.
"""K-means clustering of MNIST digits, scored as a nearest-centroid classifier."""
from __future__ import print_function

import numpy as np
import tensorflow as tf
from tensorflow.contrib.factorization import KMeans
from tensorflow.examples.tutorials.mnist import input_data

flags = tf.app.flags
flags.DEFINE_string('data_dir', '/tmp/mnist_data', 'Directory for the MNIST data.')
flags.DEFINE_integer('steps', 50, 'Training iterations over the training images.')
flags.DEFINE_integer('clusters', 25, 'Number of centroids.')
FLAGS = flags.FLAGS

NUM_CLASSES = 10
NUM_FEATURES = 784


def main(_):
  mnist = input_data.read_data_sets(FLAGS.data_dir, one_hot=True)
  train_images, train_labels = mnist.train.images, mnist.train.labels

  images = tf.placeholder(tf.float32, shape=[None, NUM_FEATURES])
  labels = tf.placeholder(tf.float32, shape=[None, NUM_CLASSES])
  kmeans = KMeans(inputs=images, num_clusters=FLAGS.clusters, distance_metric='cosine',
                  use_mini_batch=True)
  (all_scores, cluster_idx, scores, cluster_centers_initialized,
   init_op, train_op) = kmeans.training_graph()
  cluster_idx = cluster_idx[0]  # one input tensor, so one entry
  avg_distance = tf.reduce_mean(scores)

  sess = tf.Session()
  sess.run(tf.global_variables_initializer(), feed_dict={images: train_images})
  sess.run(init_op, feed_dict={images: train_images})

  for step in range(1, FLAGS.steps + 1):
    _, distance, assignment = sess.run([train_op, avg_distance, cluster_idx],
                                       feed_dict={images: train_images})
    if step % 10 == 0 or step == 1:
      print('Step %i, Avg Distance: %f' % (step, distance))

  # Each centroid gets the digit most of its training images show.
  counts = np.zeros(shape=(FLAGS.clusters, NUM_CLASSES))
  for i in range(len(assignment)):
    counts[assignment[i]] += train_labels[i]
  centroid_digits = tf.convert_to_tensor([np.argmax(c) for c in counts])

  predicted_digit = tf.nn.embedding_lookup(centroid_digits, cluster_idx)
  correct = tf.equal(predicted_digit, tf.cast(tf.argmax(labels, 1), tf.int32))
  accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
  print('Test Accuracy: %f' % sess.run(
      accuracy, feed_dict={images: mnist.test.images, labels: mnist.test.labels}))


if __name__ == '__main__':
  tf.app.run()
