"""The compatibility layer's TF 1.x pieces: tf.layers, tf.contrib.{layers,framework}, tf.compat.

Every graph is built inside its own `tf.Graph().as_default()`; the process stays
in eager mode (nothing here may switch TF1 behaviour on globally).
"""

import importlib
import importlib.util
import math
import re

import numpy as np
import pytest

import legacy_tf1.compat as tf
from graph_runs import run_in_session, variable_shapes

OPTIMIZER_NAMES = ("SGD", "Adam", "Adagrad", "Momentum", "RMSProp")
TRAINING_STEPS = 20


# --- tf.layers -------------------------------------------------------------------------------

def test_layer_functions_create_tf1_variable_names_and_shapes():
    graph = tf.Graph()
    with graph.as_default():
        images = tf.placeholder(tf.float32, [None, 28, 28, 1])
        conv1 = tf.layers.conv2d(images, 32, [5, 5], padding="same", activation=tf.nn.relu)
        pool1 = tf.layers.max_pooling2d(conv1, [2, 2], strides=2)
        conv2 = tf.layers.conv2d(pool1, 64, [5, 5], padding="same", activation=tf.nn.relu)
        pool2 = tf.layers.average_pooling2d(conv2, [2, 2], strides=2)
        dense = tf.layers.dense(tf.layers.flatten(pool2), 1024, activation=tf.nn.relu)
        logits = tf.layers.dense(tf.layers.dropout(dense, rate=0.4, training=False), 10)
    assert variable_shapes(graph) == {
        "conv2d/kernel:0": (5, 5, 1, 32), "conv2d/bias:0": (32,),
        "conv2d_1/kernel:0": (5, 5, 32, 64), "conv2d_1/bias:0": (64,),
        "dense/kernel:0": (7 * 7 * 64, 1024), "dense/bias:0": (1024,),
        "dense_1/kernel:0": (1024, 10), "dense_1/bias:0": (10,),
    }
    assert pool1.shape.as_list() == [None, 14, 14, 32]
    assert pool2.shape.as_list() == [None, 7, 7, 64]
    assert logits.shape.as_list() == [None, 10]
    with graph.as_default():
        assert len(tf.trainable_variables()) == 8


def test_layer_classes_use_their_names_as_variable_scopes():
    graph = tf.Graph()
    with graph.as_default():
        images = tf.placeholder(tf.float32, [None, 8, 8, 1])
        features = tf.layers.Conv2D(4, 3, padding="same", name="features")(images)
        pooled = tf.layers.MaxPooling2D(2, 2)(features)
        flat = tf.layers.Flatten()(pooled)
        logits_layer = tf.layers.Dense(10, name="logits")
        logits = logits_layer(tf.layers.Dropout(0.5)(flat))
    assert variable_shapes(graph) == {
        "features/kernel:0": (3, 3, 1, 4), "features/bias:0": (4,),
        "logits/kernel:0": (4 * 4 * 4, 10), "logits/bias:0": (10,),
    }
    assert issubclass(tf.layers.Dense, tf.layers.Layer)
    assert [weight.name for weight in logits_layer.trainable_weights] == ["logits/kernel:0", "logits/bias:0"]
    assert logits.shape.as_list() == [None, 10]


def test_dropout_follows_the_training_tensor():
    graph = tf.Graph()
    with graph.as_default():
        training = tf.placeholder_with_default(False, [])
        dropped = tf.layers.dropout(tf.ones([100, 100]), rate=0.5, training=training, seed=1)
    with tf.Session(graph=graph) as session:
        inference = session.run(dropped)
        train = session.run(dropped, feed_dict={training: True})
    np.testing.assert_array_equal(inference, np.ones((100, 100)))
    assert set(np.unique(train)) == {0.0, 2.0}  # kept units are scaled by 1 / (1 - rate)
    assert 0.4 < np.mean(train == 0.0) < 0.6


def test_batch_normalization_registers_update_ops():
    graph = tf.Graph()
    with graph.as_default():
        inputs = tf.placeholder(tf.float32, [None, 3])
        tf.layers.batch_normalization(inputs, training=True)
        update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    assert list(variable_shapes(graph)) == [
        "batch_normalization/gamma:0", "batch_normalization/beta:0",
        "batch_normalization/moving_mean:0", "batch_normalization/moving_variance:0"]
    assert len(update_ops) == 2  # moving mean and moving variance


def test_missing_layer_name_is_named():
    with pytest.raises(AttributeError, match=r"tf\.layers\.fully_connected"):
        tf.layers.fully_connected  # noqa: B018 - the access is the test


# --- tf.contrib.layers initializers and regularizer --------------------------------------------

def sample_initializer(initializer, shape):
    """Values of a get_variable initialized by `initializer` (TF1's calling convention)."""
    graph = tf.Graph()
    with graph.as_default():
        variable = tf.get_variable("sampled", shape, initializer=initializer)
    return run_in_session(graph, variable)


@pytest.mark.parametrize("shape, fan_in, fan_out", [
    ((300, 200), 300, 200),
    ((3, 3, 16, 32), 3 * 3 * 16, 3 * 3 * 32),  # conv: receptive field times channels
], ids=["dense", "conv2d"])
def test_xavier_uniform_fills_its_range(shape, fan_in, fan_out):
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    values = sample_initializer(tf.contrib.layers.xavier_initializer(seed=3), shape)
    assert np.max(np.abs(values)) <= limit
    assert np.max(values) > 0.98 * limit and np.min(values) < -0.98 * limit
    assert abs(np.mean(values)) < 0.05 * limit


def test_xavier_normal_is_truncated_at_two_deviations():
    fan_in, fan_out = 400, 600
    standard_deviation = math.sqrt(1.3 * 2.0 / (fan_in + fan_out))
    values = sample_initializer(tf.contrib.layers.xavier_initializer(uniform=False, seed=3),
                                (fan_in, fan_out))
    assert np.max(np.abs(values)) <= 2.0 * standard_deviation
    # A normal truncated at +-2 sigma keeps 0.8796 of its standard deviation.
    assert np.std(values) == pytest.approx(0.8796 * standard_deviation, rel=0.02)


def test_xavier_conv2d_is_xavier():
    assert tf.contrib.layers.xavier_initializer_conv2d is tf.contrib.layers.xavier_initializer


def test_variance_scaling_rejects_unknown_mode():
    with pytest.raises(ValueError, match="FAN_MAX"):
        tf.contrib.layers.variance_scaling_initializer(mode="FAN_MAX")


def test_l2_regularizer_is_half_the_scaled_sum_of_squares():
    graph = tf.Graph()
    with graph.as_default():
        penalty = tf.contrib.layers.l2_regularizer(0.1)(tf.constant([1.0, 2.0, 3.0]))
    assert run_in_session(graph, penalty) == pytest.approx(0.1 * (1 + 4 + 9) / 2)
    with pytest.raises(ValueError, match="-1"):
        tf.contrib.layers.l2_regularizer(-1.0)


# --- tf.contrib.layers.optimize_loss -------------------------------------------------------------

def quadratic_problem():
    """A graph with loss = sum((w - [1, 2, 3])^2), w starting at zero, and a global step."""
    graph = tf.Graph()
    with graph.as_default():
        weights = tf.get_variable("w", [3], initializer=tf.zeros_initializer())
        loss = tf.reduce_sum(tf.square(weights - tf.constant([1.0, 2.0, 3.0])))
        global_step = tf.contrib.framework.get_or_create_global_step()
    return graph, weights, loss, global_step


def train_steps(graph, train_op, fetches, steps=TRAINING_STEPS):
    """Runs `train_op` `steps` times; returns `fetches` before and after."""
    with tf.Session(graph=graph) as session:
        session.run(tf.global_variables_initializer())
        before = session.run(fetches)
        for _ in range(steps):
            session.run(train_op)
        return before, session.run(fetches)


OPTIMIZER_FORMS = {
    **{name: name for name in OPTIMIZER_NAMES},
    "class": lambda: tf.train.AdamOptimizer,
    "instance": lambda: tf.train.GradientDescentOptimizer(0.1),
    "factory": lambda: (lambda rate: tf.train.MomentumOptimizer(rate, momentum=0.5)),
}


@pytest.mark.parametrize("form", list(OPTIMIZER_FORMS))
def test_optimize_loss_decreases_loss_and_counts_steps(form):
    graph, _, loss, global_step = quadratic_problem()
    with graph.as_default():
        optimizer = OPTIMIZER_FORMS[form]
        optimizer = optimizer if isinstance(optimizer, str) else optimizer()
        train_op = tf.contrib.layers.optimize_loss(loss, global_step, learning_rate=0.1,
                                                   optimizer=optimizer)
        summary_names = [op.name for op in tf.get_collection(tf.GraphKeys.SUMMARIES)]
    (loss_before, step_before), (loss_after, step_after) = train_steps(graph, train_op, [loss, global_step])
    assert loss_before == pytest.approx(14.0)
    assert loss_after < 0.9 * loss_before, f"{form}: loss {loss_before} -> {loss_after}"
    assert (step_before, step_after) == (0, TRAINING_STEPS)
    assert "OptimizeLoss/loss:0" in summary_names
    assert any("learning_rate" in name for name in summary_names), summary_names


def test_momentum_by_name_uses_momentum_0_9():
    graph = tf.Graph()
    with graph.as_default():
        weights = tf.get_variable("w", [], initializer=tf.zeros_initializer())
        global_step = tf.train.get_or_create_global_step()
        train_op = tf.contrib.layers.optimize_loss(weights, global_step, 0.1, "Momentum")
    # Gradient 1 each step: accumulator 1 then 0.9 * 1 + 1 = 1.9, so w = -0.1 - 0.19.
    _, weights_after = train_steps(graph, train_op, weights, steps=2)
    assert weights_after == pytest.approx(-0.29)


def test_optimize_loss_clips_the_global_gradient_norm():
    graph, weights, loss, global_step = quadratic_problem()
    with graph.as_default():
        train_op = tf.contrib.layers.optimize_loss(loss, global_step, 1.0, "SGD", clip_gradients=0.5)
    before, after = train_steps(graph, train_op, weights, steps=1)
    # The unclipped gradient at zero is [-2, -4, -6]; clipped to norm 0.5 with rate 1.
    assert np.linalg.norm(after - before) == pytest.approx(0.5, rel=1e-5)


def test_optimize_loss_rejects_unknown_optimizer_name():
    graph, _, loss, global_step = quadratic_problem()
    with graph.as_default(), pytest.raises(ValueError, match="Adamax"):
        tf.contrib.layers.optimize_loss(loss, global_step, 0.1, "Adamax")


# --- tf.contrib and tf.contrib.framework ----------------------------------------------------------

@pytest.mark.parametrize("path", ["contrib.tensor_forest", "contrib.layers.layer_norm",
                                  "contrib.framework.assign_from_checkpoint_fn"])
def test_unprovided_contrib_name_is_named(path):
    parent = tf
    *parents, name = path.split(".")
    for part in parents:
        parent = getattr(parent, part)
    with pytest.raises(AttributeError, match=re.escape(f"tf.{path}")):
        getattr(parent, name)


def test_contrib_learn_is_the_learn_subpackage():
    module_name = "legacy_tf1.compat.contrib.learn"
    if importlib.util.find_spec(module_name) is None:
        with pytest.raises(AttributeError, match=r"tf\.contrib\.learn"):
            tf.contrib.learn  # noqa: B018
    else:
        assert tf.contrib.learn is importlib.import_module(module_name)


def test_global_step_helpers():
    graph = tf.Graph()
    with graph.as_default():
        assert tf.contrib.framework.get_global_step() is None
        created = tf.contrib.framework.get_or_create_global_step()
        assert tf.contrib.framework.get_or_create_global_step() is created
        assert tf.contrib.framework.get_global_step() is created
    assert created.name == "global_step:0" and created.dtype.base_dtype == tf.int64


# --- tf.compat and global state --------------------------------------------------------------------

def test_compat_v1_is_the_layer():
    import legacy_tf1.compat.compat.v1 as compat_v1

    assert tf.compat.v1 is tf and compat_v1 is tf
    assert tf.compat.v1.layers is tf.layers
    assert tf.compat.v2.constant is importlib.import_module("tensorflow").compat.v2.constant


def test_importing_the_layer_keeps_eager_execution():
    for module_name in ("legacy_tf1.compat", "legacy_tf1.compat.layers", "legacy_tf1.compat.contrib",
                        "legacy_tf1.compat.contrib.layers", "legacy_tf1.compat.contrib.framework",
                        "legacy_tf1.runner"):
        importlib.import_module(module_name)
    assert tf.executing_eagerly()


def _seeded_tf_layers_kernels(seed, scope_initializer=None):
    with tf.Graph().as_default():
        tf.set_random_seed(seed)
        images = tf.placeholder(tf.float32, [None, 28, 28, 1])
        with tf.variable_scope("model", initializer=scope_initializer):
            hidden = tf.layers.conv2d(images, 4, [5, 5])
            tf.layers.Dense(3)(tf.layers.flatten(hidden))
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            return session.run([v for v in tf.trainable_variables() if "kernel" in v.name])


def test_tf_layers_kernels_follow_the_graph_seed():
    # TF1 behaviour: same graph seed, same kernels; tf_keras' TF2 default would draw its own seed.
    first, again, other = (_seeded_tf_layers_kernels(seed) for seed in (0, 0, 1))
    for kernel, kernel_again, kernel_other in zip(first, again, other):
        np.testing.assert_array_equal(kernel, kernel_again)
        assert not np.array_equal(kernel, kernel_other)


def test_tf_layers_kernels_take_the_variable_scope_initializer():
    kernels = _seeded_tf_layers_kernels(0, scope_initializer=tf.constant_initializer(0.25))
    assert all(np.all(kernel == 0.25) for kernel in kernels)
