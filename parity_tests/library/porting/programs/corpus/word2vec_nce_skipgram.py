"""word2vec skip-gram: embeddings + tf.nn.nce_loss(nce_weights, nce_biases, num_sampled) over pairs from a generated corpus, GradientDescentOptimizer(1.0)."""
import collections

import numpy as np
import tensorflow as tf

rng = np.random.RandomState(0)
words = ("the quick brown fox jumps over the lazy dog and the cat sat on the mat " * 30).split()
counts = collections.Counter(words).most_common()
dictionary = {word: i for i, (word, _) in enumerate(counts)}
data = [dictionary[word] for word in words]
vocabulary_size, embedding_size, num_sampled = len(dictionary), 8, 4


def generate_batch(batch_size, skip_window=1):
    centers = rng.randint(skip_window, len(data) - skip_window, size=batch_size)
    offsets = rng.choice([-1, 1], size=batch_size) * rng.randint(1, skip_window + 1, size=batch_size)
    batch = np.array([data[c] for c in centers], np.int32)
    labels = np.array([[data[c + o]] for c, o in zip(centers, offsets)], np.int32)
    return batch, labels


train_inputs = tf.placeholder(tf.int32, shape=[None])
train_labels = tf.placeholder(tf.int32, shape=[None, 1])
embeddings = tf.Variable(tf.random_uniform([vocabulary_size, embedding_size], -1.0, 1.0))
embed = tf.nn.embedding_lookup(embeddings, train_inputs)
nce_weights = tf.Variable(tf.truncated_normal([vocabulary_size, embedding_size], stddev=1.0 / np.sqrt(embedding_size)))
nce_biases = tf.Variable(tf.zeros([vocabulary_size]))
loss = tf.reduce_mean(tf.nn.nce_loss(weights=nce_weights, biases=nce_biases, labels=train_labels,
                                     inputs=embed, num_sampled=num_sampled, num_classes=vocabulary_size))
optimizer = tf.train.GradientDescentOptimizer(1.0).minimize(loss)
norm = tf.sqrt(tf.reduce_sum(tf.square(embeddings), 1, keepdims=True))
normalized_embeddings = embeddings / norm

with tf.Session() as session:
    tf.global_variables_initializer().run()
    average_loss = 0
    for step in range(50):
        batch_inputs, batch_labels = generate_batch(16)
        _, loss_val = session.run([optimizer, loss], feed_dict={train_inputs: batch_inputs, train_labels: batch_labels})
        average_loss += loss_val
    print("Average loss:", average_loss / 50, normalized_embeddings.eval().shape)
