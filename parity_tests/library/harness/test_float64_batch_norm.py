"""The step check's float64 reference (harness/float64_batch_norm.py, harness/tf1_copies.py):
TF1's training-mode fused batch norms rewired to the same mathematics in float64, on a copy
of TF1's graph that trains as the original does and leaves it untouched.

End to end (slow, test_slim_ports.py): slim LeNet from a trained checkpoint, where TF1's fused
kernel parts from float64 beyond the strict bar and the port is held to the float64 graph.
"""

import numpy as np
import pytest

import legacy_tf1.compat as tf
from tf1_to_keras import harness
from tf1_to_keras.harness import float64_batch_norm, tf1_copies

SHAPE = (16, 28, 28, 4)
SCALE, OFFSET = np.linspace(0.5, 2.0, 4).astype(np.float32), np.linspace(-1.0, 1.0, 4).astype(np.float32)
RUNNING_MEAN, RUNNING_VARIANCE = np.full(4, 3.0, np.float32), np.full(4, 2.0, np.float32)


def batch_norm_graph(factor):
    """A graph with one training-mode fused batch norm (exponential_avg_factor `factor`) and one
    in inference mode; {name: tensor} of their outputs."""
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [None, *SHAPE[1:]], name="x")
        running = {"mean": RUNNING_MEAN, "variance": RUNNING_VARIANCE} if factor != 1.0 else {}
        y, mean, variance = tf.nn.fused_batch_norm(x, SCALE, OFFSET, epsilon=1e-3, is_training=True,
                                                   exponential_avg_factor=factor, **running)[:3]
        frozen = tf.nn.fused_batch_norm(x, SCALE, OFFSET, RUNNING_MEAN, RUNNING_VARIANCE, is_training=False)[0]
        outputs = {name: tf.identity(tensor, name=name)
                   for name, tensor in {"y": y, "mean": mean, "variance": variance, "frozen": frozen}.items()}
    return graph, outputs


def run(graph, outputs, x):
    with tf.Session(graph=graph) as session:
        return session.run(outputs, {graph.get_tensor_by_name("x:0"): x})


def exact(x, factor):
    """The same mathematics in float64 with NumPy: y, and the statistics the op hands on."""
    x = x.astype(np.float64)
    mean, variance = x.mean((0, 1, 2)), x.var((0, 1, 2))
    count = x.size // x.shape[-1]
    y = (x - mean) / np.sqrt(variance + 1e-3) * SCALE + OFFSET
    corrected = variance * count / (count - 1)
    return y, factor * mean + (1 - factor) * RUNNING_MEAN, factor * corrected + (1 - factor) * RUNNING_VARIANCE


@pytest.mark.parametrize("factor", [1.0, 0.3])
def test_rewired_batch_norms_compute_the_same_mathematics_in_float64(factor):
    x = (100.0 + np.random.RandomState(0).rand(*SHAPE)).astype(np.float32)  # a large mean: the fused kernel's error
    graph, outputs = batch_norm_graph(factor)
    fused = run(graph, outputs, x)
    assert float64_batch_norm.rewire(graph) == ["FusedBatchNormV3"]  # the inference-mode one is left alone
    rewired = run(graph, outputs, x)
    y, mean, variance = exact(x, factor)
    error = np.abs(rewired["y"] - y).max()
    assert error <= 1e-6 and np.abs(fused["y"] - y).max() > 10 * error  # TF1's kernel, not float32, is the gap
    np.testing.assert_allclose(rewired["mean"], mean, rtol=1e-7)
    np.testing.assert_allclose(rewired["variance"], variance, rtol=1e-6)  # n / (n - 1), as TF1's kernel
    np.testing.assert_allclose(fused["variance"], variance, rtol=1e-4)
    np.testing.assert_array_equal(rewired["frozen"], fused["frozen"])


# --- a copy of TF1's graph trains as the original does ----------------------------------------------

def build_net():
    x = tf.placeholder(tf.float32, [None, 8, 8, 1], name="x")
    y = tf.placeholder(tf.int64, [None], name="y")
    net = tf.layers.conv2d(x, 4, 3, padding="same", use_bias=False, name="conv")
    net = tf.nn.relu(tf.layers.batch_normalization(net, training=True, name="bn"))
    logits = tf.layers.dense(tf.layers.flatten(net), 3, name="logits")
    return {"inputs": x, "outputs": logits, "labels": y, "loss": tf.losses.sparse_softmax_cross_entropy(y, logits)}


def batches():
    random = np.random.RandomState(0)
    return harness.make_batches(random.rand(32, 8, 8, 1).astype(np.float32), random.randint(0, 3, 32), 8, 4)


def adam():
    return tf.train.AdamOptimizer(0.01)  # named "Adam" each time: the copy already holds `conv/kernel/Adam`


def test_a_copy_trains_as_the_original_and_leaves_it_untouched():
    with harness.TF1Model.from_builder(build_net, seed=0) as tf1:
        losses = tf1.train_steps(batches(), adam)
        with tf1_copies.copy_of(tf1, tf1.training_start()) as twin:
            assert twin.variable_shapes() == tf1.variable_shapes()
            np.testing.assert_allclose(twin.train_steps(batches(), adam), losses, rtol=1e-6)
        with tf1_copies.copy_of(tf1, tf1.training_start(), rewrite=float64_batch_norm.rewire) as twin:
            rewired = twin.train_steps(batches(), adam)
        np.testing.assert_allclose(rewired, losses, rtol=1e-4)  # the same mathematics
        np.testing.assert_allclose(tf1.train_steps_again(batches()), losses, rtol=1e-6)  # the original still runs
        assert len(float64_batch_norm.training_batch_norms(tf1.graph)) == 1  # and keeps its kernel
        assert len(float64_batch_norm.rerun(tf1, batches(), adam, stop=lambda so_far: len(so_far) == 2)) == 2


def build_dense():
    x = tf.placeholder(tf.float32, [None, 8, 8, 1], name="x")
    y = tf.placeholder(tf.int64, [None], name="y")
    logits = tf.layers.dense(tf.layers.flatten(x), 3, name="logits")
    return {"inputs": x, "outputs": logits, "labels": y, "loss": tf.losses.sparse_softmax_cross_entropy(y, logits)}


def test_a_graph_without_training_batch_norms_has_no_float64_reference():
    with harness.TF1Model.from_builder(build_dense, seed=0) as tf1:
        tf1.train_steps(batches(), adam)
        assert float64_batch_norm.rerun(tf1, batches(), adam) is None
