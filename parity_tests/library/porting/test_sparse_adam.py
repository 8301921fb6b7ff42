"""tf1_optimizers.AdamTF1: TF1's AdamOptimizer on an embedding's sparse gradient with repeated
rows (the repeats summed before squaring), which Keras 3's Adam steps otherwise; and
optimizer_reading.for_sparse_gradients, which writes it only for a model with an Embedding."""

import keras
import numpy as np
import tensorflow

import legacy_tf1.compat as tf
from modern_keras import tf1_optimizers
from tf1_to_keras.porting import optimizer_reading, specs

TABLE = np.arange(12, dtype=np.float32).reshape(6, 2) / 10
IDS = np.array([[1, 1, 4], [1, 3, 4]], np.int32)  # rows 1 and 4 looked up several times
SETTINGS = {"learning_rate": 0.1, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-8}


def tf1_table(steps):
    """The table after `steps` TF1 Adam steps on sum(lookup ** 2)."""
    with tf.Graph().as_default():
        table = tf.Variable(TABLE)
        loss = tf.reduce_sum(tf.square(tf.nn.embedding_lookup(table, IDS)))
        train = tf.train.AdamOptimizer(0.1, 0.9, 0.999, 1e-8).minimize(loss)
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            for _ in range(steps):
                session.run(train)
            return session.run(table)


def keras_table(optimizer, steps):
    table = keras.Variable(TABLE)
    for _ in range(steps):
        with tensorflow.GradientTape() as tape:
            loss = tensorflow.reduce_sum(tensorflow.square(tensorflow.gather(table.value, IDS)))
        optimizer.apply_gradients([(tape.gradient(loss, table.value), table)])
    return np.asarray(table.numpy())


def test_adam_tf1_steps_as_tf1_on_repeated_rows_where_keras_adam_does_not():
    expected = tf1_table(3)
    np.testing.assert_allclose(keras_table(tf1_optimizers.AdamTF1(**SETTINGS), 3), expected, atol=1e-6)
    assert np.abs(keras_table(keras.optimizers.Adam(**SETTINGS), 3) - expected).max() > 1e-3


def _spec():
    return specs.OptimizerSpec("AdamOptimizer", {}, specs.KerasObject("keras.optimizers.Adam", dict(SETTINGS)))


def test_only_a_model_with_an_embedding_gets_adam_tf1():
    embedding = [specs.LayerSpec(name="words", keras_class="Embedding"), specs.LayerSpec(name="d", keras_class="Dense")]
    swapped = optimizer_reading.for_sparse_gradients(_spec(), embedding)
    assert swapped.keras.path == "tf1_optimizers.AdamTF1" and swapped.keras.kwargs == SETTINGS
    assert "AdamTF1" in swapped.notes[-1]
    dense = optimizer_reading.for_sparse_gradients(_spec(), embedding[1:])
    assert dense.keras.path == "keras.optimizers.Adam" and dense.notes == []
    sgd = specs.OptimizerSpec("GradientDescentOptimizer", {}, specs.KerasObject("keras.optimizers.SGD", {}))
    assert optimizer_reading.for_sparse_gradients(sgd, embedding).keras.path == "keras.optimizers.SGD"
