"""capture_worker.iterator_batch: a training run that reads a tf.data iterator (no feed) has its
batch evaluated before the step and saved as the examples the port is verified on; fed tensors
are not evaluated again. In-process, on a graph of its own (no capture subprocess)."""

import numpy as np
from tensorflow.python.client import session as session_lib

import legacy_tf1.compat as tf
from tf1_to_keras.porting import capture_worker

ROWS = np.arange(40, dtype=np.float32).reshape(20, 2)


def _iterator_program():
    dataset = tf.data.Dataset.from_tensor_slices((ROWS, ROWS[:, :1] * 2)).batch(5)
    features, labels = tf.compat.v1.data.make_one_shot_iterator(dataset).get_next()
    w = tf.Variable(tf.zeros([2, 1]))
    loss = tf.reduce_mean(tf.square(tf.matmul(features, w) - labels))
    return tf.train.GradientDescentOptimizer(0.1).minimize(loss)


def test_the_batch_a_training_run_reads_from_its_iterator_is_captured(tmp_path):
    with tf.Graph().as_default() as graph:
        train = _iterator_program()
        with tf.Session(graph=graph) as session:
            session.run(tf.global_variables_initializer())
            batch = capture_worker.iterator_batch(session_lib.BaseSession.run, session, train, None)
            keys = capture_worker.save_feed(str(tmp_path), graph, None, batch)
    assert sorted(batch) == ["IteratorGetNext:0", "IteratorGetNext:1"]
    np.testing.assert_array_equal(batch["IteratorGetNext:0"], ROWS[:5])  # the first batch, as the run's
    saved = np.load(tmp_path / capture_worker.FEED)
    np.testing.assert_array_equal(saved[keys["IteratorGetNext:1"]], ROWS[:5, :1] * 2)


def test_iterator_outputs_the_run_feeds_are_not_evaluated_again():
    with tf.Graph().as_default() as graph:
        train = _iterator_program()
        features, labels = graph.get_tensor_by_name("IteratorGetNext:0"), graph.get_tensor_by_name("IteratorGetNext:1")
        with tf.Session(graph=graph) as session:
            session.run(tf.global_variables_initializer())
            fed = {features: ROWS[5:8], labels: ROWS[5:8, :1]}
            assert capture_worker.iterator_batch(session_lib.BaseSession.run, session, train, fed) == {}
            # The iterator was not advanced: its next batch is still the first.
            np.testing.assert_array_equal(session.run(features), ROWS[:5])
