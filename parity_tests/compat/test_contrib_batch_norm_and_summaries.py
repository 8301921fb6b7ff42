"""tf.contrib.layers' batch_norm and summaries against TF 1.x (see test_contrib_layers.py).

batch_norm has TF1's three code paths (fused, the tf.layers class, tf.nn.moments), which
give different numbers; each is checked against NumPy, moving averages included.
"""

import numpy as np
import pytest

import legacy_tf1.compat as tf
from graph_runs import run_in_session, variable_shapes

layers = tf.contrib.layers
RANDOM = np.random.RandomState(0)
BATCH_NORM_EPSILON = 0.001  # contrib's default
BATCH_NORM_DECAY = 0.999  # contrib's default


# --- batch_norm -------------------------------------------------------------------------------------

def test_batch_norm_has_no_gamma_unless_scaled():
    graph = tf.Graph()
    with graph.as_default():
        layers.batch_norm(tf.ones([4, 3]))
        layers.batch_norm(tf.ones([4, 3]), scale=True)
        assert len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)) == 4
        assert {v.name for v in tf.trainable_variables()} == {
            "BatchNorm/beta:0", "BatchNorm_1/beta:0", "BatchNorm_1/gamma:0"}
    assert set(variable_shapes(graph)) == {
        "BatchNorm/beta:0", "BatchNorm/moving_mean:0", "BatchNorm/moving_variance:0",
        "BatchNorm_1/beta:0", "BatchNorm_1/gamma:0", "BatchNorm_1/moving_mean:0",
        "BatchNorm_1/moving_variance:0"}


# Which of TF1's routes, and whether its moving variance takes the batch variance with
# Bessel's correction (the fused kernel) or without it (tf.nn.moments).
BATCH_NORM_CASES = {
    "rank2-fused-update-ops": ((16, 3), {}, True),
    "rank4-layer-fused": ((4, 3, 3, 2), {}, True),
    "rank4-layer-unfused": ((4, 3, 3, 2), {"fused": False}, False),
    "rank2-fused-in-place": ((16, 3), {"updates_collections": None}, True),
    "rank4-moments-in-place": ((4, 3, 3, 2), {"fused": False, "updates_collections": None}, False),
}


def batch_norm_graph(shape, arguments):
    """A batch_norm on a placeholder, with an is_training placeholder; returns the pieces."""
    graph = tf.Graph()
    with graph.as_default():
        inputs = tf.placeholder(tf.float32, shape)
        is_training = tf.placeholder(tf.bool, [])
        outputs = layers.batch_norm(inputs, is_training=is_training, **arguments)
        updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        moving = [v for v in tf.global_variables() if "moving" in v.name]
    return graph, inputs, is_training, outputs, updates, moving


@pytest.mark.parametrize("case", list(BATCH_NORM_CASES))
def test_batch_norm_training_inference_and_moving_averages(case):
    shape, arguments, bessel = BATCH_NORM_CASES[case]
    graph, inputs, is_training, outputs, updates, moving = batch_norm_graph(shape, arguments)
    assert bool(updates) == (arguments.get("updates_collections", "") is not None)
    batch = RANDOM.randn(*shape).astype(np.float32) * 3.0 + 1.0
    axes = tuple(range(len(shape) - 1))
    mean, variance = batch.mean(axis=axes), batch.var(axis=axes)
    count = batch.size // shape[-1]
    with tf.Session(graph=graph) as session:
        session.run(tf.global_variables_initializer())
        trained, _ = session.run([outputs, updates], {inputs: batch, is_training: True})
        moving_mean, moving_variance = session.run(moving)
        inferred = session.run(outputs, {inputs: batch, is_training: False})
    # Training normalizes with the batch's own (biased) variance; beta is 0, no gamma.
    np.testing.assert_allclose(trained, (batch - mean) / np.sqrt(variance + BATCH_NORM_EPSILON),
                               atol=1e-4)
    batch_variance = variance * count / (count - 1) if bessel else variance
    np.testing.assert_allclose(moving_mean, (1 - BATCH_NORM_DECAY) * mean, rtol=1e-4)
    expected_variance = BATCH_NORM_DECAY * 1.0 + (1 - BATCH_NORM_DECAY) * batch_variance
    np.testing.assert_allclose(moving_variance, expected_variance, rtol=1e-5)
    np.testing.assert_allclose(
        inferred, (batch - moving_mean) / np.sqrt(moving_variance + BATCH_NORM_EPSILON), atol=1e-4)


def test_batch_norm_inference_runs_no_update():
    graph, inputs, is_training, outputs, updates, moving = batch_norm_graph((8, 2), {})
    with tf.Session(graph=graph) as session:
        session.run(tf.global_variables_initializer())
        session.run([outputs, updates], {inputs: np.full((8, 2), 5.0), is_training: False})
        moving_mean, moving_variance = session.run(moving)
    np.testing.assert_array_equal(moving_mean, [0.0, 0.0])
    np.testing.assert_array_equal(moving_variance, [1.0, 1.0])


# --- summaries ----------------------------------------------------------------------------------------

def summary_values(graph, feed_dict=None):
    """{tag: simple value or 'histogram'} of the graph's merged summaries."""
    with graph.as_default():
        merged = tf.summary.merge_all()
    summary = tf.Summary.FromString(run_in_session(graph, merged, feed_dict))
    return {value.tag: value.simple_value if value.WhichOneof("value") == "simple_value" else "histogram"
            for value in summary.value}


def test_summarize_tensors_writes_scalars_and_histograms():
    graph = tf.Graph()
    with graph.as_default():
        values = tf.constant([1.0, 2.0, 6.0], name="values")
        mean = tf.reduce_mean(values, name="mean")
        summaries = layers.summarize_tensors([mean, values, tf.constant("text")])
        assert summaries[2] is None  # strings are skipped
        assert [op.op.type for op in summaries[:2]] == ["ScalarSummary", "HistogramSummary"]
    assert summary_values(graph) == {"mean_summary": 3.0, "values_summary": "histogram"}


def test_summarize_activation_counts_relu_zeros():
    graph = tf.Graph()
    with graph.as_default():
        activation = tf.nn.relu(tf.constant([-1.0, 2.0, -3.0, 4.0, -5.0]), name="act")
        layers.summarize_activation(activation)
        layers.summarize_tensor(tf.constant(2.5), tag="custom")
    assert summary_values(graph) == {"act/zeros": pytest.approx(0.6), "act/activation": "histogram",
                                     "custom": 2.5}
