"""tf.data input pipeline: Dataset.from_tensor_slices((x, y)).shuffle.repeat.batch, make_one_shot_iterator().get_next() as the model input (no placeholders)."""
import numpy as np
import tensorflow as tf

rng = np.random.RandomState(0)
features = rng.normal(size=(500, 10)).astype(np.float32)
labels = (features[:, :3].sum(axis=1) > 0).astype(np.int64)

dataset = tf.data.Dataset.from_tensor_slices((features, labels)).shuffle(500, seed=1).repeat().batch(50)
iterator = dataset.make_one_shot_iterator()
next_x, next_y = iterator.get_next()

hidden = tf.layers.dense(next_x, 16, activation=tf.nn.relu, name="hidden")
logits = tf.layers.dense(hidden, 2, name="logits")
loss = tf.losses.sparse_softmax_cross_entropy(labels=next_y, logits=logits)
train_op = tf.train.AdamOptimizer(0.01).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(20):
        _, value = sess.run([train_op, loss])
    print("loss", value)
