"""Text classifier: tf.nn.embedding_lookup of int token ids (tf.random_uniform init), mean over tokens, dense softmax over 4 topics, Adam."""
import numpy as np
import tensorflow as tf

rng = np.random.RandomState(7)
vocab_size, embed_size, seq_len, n_classes = 200, 16, 10, 4
labels_np = rng.randint(0, n_classes, size=256)
# Each topic draws its tokens mostly from its own quarter of the vocabulary.
tokens_np = (labels_np[:, None] * 50 + rng.randint(0, 50, size=(256, seq_len))).astype(np.int32)

tokens = tf.placeholder(tf.int32, [None, seq_len], name="tokens")
labels = tf.placeholder(tf.int32, [None], name="labels")
embeddings = tf.Variable(tf.random_uniform([vocab_size, embed_size], -1.0, 1.0), name="embeddings")
embedded = tf.nn.embedding_lookup(embeddings, tokens)
averaged = tf.reduce_mean(embedded, axis=1)
logits = tf.layers.dense(averaged, n_classes, name="topic")
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
train_op = tf.train.AdamOptimizer(0.01).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(20):
        batch = rng.choice(256, 32, replace=False)
        _, value = sess.run([train_op, loss], {tokens: tokens_np[batch], labels: labels_np[batch]})
    print("loss", value)
