"""Adam on an embedding's sparse gradient: TF1's AdamOptimizer sums the gradient rows of an id
looked up several times in a batch before squaring them; Keras 3's Adam squares each row of the
IndexedSlices. optimizer_reading gives such programs tf1_optimizers.AdamTF1 (Adam on the dense
gradient), which steps like TF1, and Keras' own Adam is shown to step differently: on a table
directly (fast) and through the harness's training-step check (slow)."""

import keras
import numpy as np
import pytest

import tensorflow

import legacy_tf1.compat as tf
from modern_keras import tf1_optimizers
from tf1_to_keras import harness
from tf1_to_keras.porting import optimizer_reading, training_parity

VOCAB, DIM, IDS, CLASSES = 7, 4, 6, 3  # a small vocabulary: ids repeat within every batch


def embedding_graph(make_optimizer):
    def build():
        ids = tf.placeholder(tf.int32, [None, IDS], name="ids")
        labels = tf.placeholder(tf.int64, [None], name="labels")
        table = tf.get_variable("embedding", [VOCAB, DIM])
        rows = tf.reshape(tf.nn.embedding_lookup(table, ids), [-1, IDS * DIM])
        logits = tf.layers.dense(rows, CLASSES, name="dense")
        loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
        make_optimizer().minimize(loss)
        return {"inputs": ids, "outputs": logits, "labels": labels, "loss": loss}
    return build


def keras_model():
    return keras.Sequential([keras.Input((IDS,), dtype="int32"), keras.layers.Embedding(VOCAB, DIM, name="embedding"),
                             keras.layers.Flatten(), keras.layers.Dense(CLASSES, name="dense")])


def steps(spec, keras_optimizer):
    rng = np.random.default_rng(0)
    x, y = rng.integers(0, VOCAB, size=(128, IDS)).astype(np.int32), rng.integers(0, CLASSES, 128)
    name_map = harness.NameMap(table={"embedding": ["embedding/embeddings"]})
    with harness.TF1Model.from_builder(embedding_graph(lambda: tf.train.AdamOptimizer(0.05)), seed=0) as tf1:
        return harness.check_training_steps(
            tf1, harness.KerasModel(keras_model, seed=0), harness.make_batches(x, y, 32, 4, seed=0),
            training_parity.tf1_optimizer(spec), keras_optimizer,
            keras.losses.SparseCategoricalCrossentropy(from_logits=True), name_map=name_map)


def sparse_adam_spec():
    with harness.TF1Model.from_builder(embedding_graph(lambda: tf.train.AdamOptimizer(0.05)), seed=0) as tf1:
        return optimizer_reading.recognise_optimizer(tf1.graph)


def test_sparse_adam_gets_adam_tf1():
    spec = sparse_adam_spec()
    assert spec.keras.path == "tf1_optimizers.AdamTF1" and "the gradient of embedding is sparse" in spec.notes[-1]
    assert spec.keras.kwargs["epsilon"] == 1e-8


@pytest.mark.slow  # two training-step checks (~8 s on a busy machine)
def test_adam_tf1_steps_like_tf1_and_keras_adam_does_not():
    spec = sparse_adam_spec()
    assert steps(spec, training_parity.keras_optimizer(spec)).passed
    plain = steps(spec, lambda: keras.optimizers.Adam(**spec.keras.kwargs))
    assert not plain.passed


def test_other_optimizers_sparse_updates_are_not_adams():
    # GradientDescent's sparse update scatter-subtracts into the table itself: no Adam slot
    with harness.TF1Model.from_builder(embedding_graph(lambda: tf.train.GradientDescentOptimizer(0.1)),
                                       seed=0) as tf1:
        assert optimizer_reading.sparse_adam_variables(tf1.graph) == []
        assert optimizer_reading.recognise_optimizer(tf1.graph).keras.path == "keras.optimizers.SGD"


TABLE = np.arange(12, dtype=np.float32).reshape(6, 2) / 10
REPEATED_IDS = np.array([[1, 1, 4], [1, 3, 4]], np.int32)  # rows 1 and 4 looked up several times
ADAM = {"learning_rate": 0.1, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-8}


def tf1_table(steps):
    """The table after `steps` TF1 Adam steps on sum(lookup ** 2)."""
    with tf.Graph().as_default():
        table = tf.Variable(TABLE)
        loss = tf.reduce_sum(tf.square(tf.nn.embedding_lookup(table, REPEATED_IDS)))
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
            loss = tensorflow.reduce_sum(tensorflow.square(tensorflow.gather(table.value, REPEATED_IDS)))
        optimizer.apply_gradients([(tape.gradient(loss, table.value), table)])
    return np.asarray(table.numpy())


def test_adam_tf1_steps_as_tf1_on_repeated_rows_where_keras_adam_does_not():
    expected = tf1_table(3)
    np.testing.assert_allclose(keras_table(tf1_optimizers.AdamTF1(**ADAM), 3), expected, atol=1e-6)
    assert np.abs(keras_table(keras.optimizers.Adam(**ADAM), 3) - expected).max() > 1e-3
