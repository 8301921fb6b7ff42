"""A Dense softmax model trained step by step on each side, its weights after every step:
how the kit's optimizer tests (test_optimizers.py, test_migration_guide.py) compare updates."""

import keras

import legacy_tf1.compat as tf


def keras_weights_per_step(optimizer, images, labels, initial):
    """Weights after each `train_on_batch` of a Dense model from `initial`."""
    model = keras.Sequential([keras.Input(images.shape[2:]), keras.layers.Dense(labels.shape[-1])])
    model.set_weights(initial)
    model.compile(optimizer=optimizer, loss=keras.losses.CategoricalCrossentropy(from_logits=True),
                  jit_compile=False)
    steps = []
    for batch_images, batch_labels in zip(images, labels):
        model.train_on_batch(batch_images, batch_labels)
        steps.append(model.get_weights())
    return steps


def tf1_weights_per_step(make_optimizer, images, labels, initial):
    """Weights after each TF1 `optimizer.minimize` step on the same model."""
    with tf.Graph().as_default():
        inputs_ = tf.placeholder(tf.float32, images.shape[1:])
        targets = tf.placeholder(tf.float32, labels.shape[1:])
        kernel, bias = tf.Variable(initial[0]), tf.Variable(initial[1])
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(
            labels=targets, logits=tf.matmul(inputs_, kernel) + bias))
        train_op = make_optimizer().minimize(loss)
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            steps = []
            for batch_images, batch_labels in zip(images, labels):
                session.run(train_op, {inputs_: batch_images, targets: batch_labels})
                steps.append(session.run([kernel, bias]))
    return steps
