"""Sentiment-style classifier: tf.get_variable embedding + tf.nn.embedding_lookup into a BasicLSTMCell dynamic_rnn, sigmoid_cross_entropy_with_logits on the last state."""
import numpy as np
import tensorflow as tf

rng = np.random.RandomState(1)
vocab, dim, steps = 100, 12, 15
reviews = rng.randint(1, vocab, size=(200, steps)).astype(np.int32)
sentiment = (reviews.mean(axis=1) > vocab / 2).astype(np.float32).reshape(-1, 1)

inputs = tf.placeholder(tf.int32, [None, steps], name="inputs")
targets = tf.placeholder(tf.float32, [None, 1], name="targets")
embedding = tf.get_variable("embedding", [vocab, dim], initializer=tf.random_uniform_initializer(-1, 1))
embed = tf.nn.embedding_lookup(embedding, inputs)
lstm = tf.nn.rnn_cell.BasicLSTMCell(16)
outputs, final_state = tf.nn.dynamic_rnn(lstm, embed, dtype=tf.float32)
logits = tf.contrib.layers.fully_connected(final_state.h, 1, activation_fn=None)
cost = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=targets, logits=logits))
optimizer = tf.train.AdamOptimizer(0.01).minimize(cost)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for epoch in range(3):
        for start in range(0, 200, 50):
            _, loss = sess.run([optimizer, cost], {inputs: reviews[start:start + 50],
                                                   targets: sentiment[start:start + 50]})
        print("Epoch", epoch, "Train loss", loss)
