"""modern_keras/tf1_optimizers.py: RMSPropTF1 and FtrlTF1 step as TF1's RMSPropOptimizer and
FtrlOptimizer on the same weights and gradients (a real TF1 graph and session), within float32
rounding; Keras' own RMSprop does not (the mean square it starts at 0, TF1 at 1)."""

import keras
import numpy as np
import pytest

import legacy_tf1.compat as tf
from modern_keras import optimizers, tf1_optimizers

STEPS, SHAPE = 6, (7, 5)
# Float32 rounding: the two sides evaluate the same kernel formula, not always in the same
# fused form (Eigen vs keras.ops); a few ulps of the weights' magnitude.
ULPS = 8 * np.finfo(np.float32).eps


def problem(seed=0, scale=1e-2):
    """Initial weights and STEPS gradients (small ones: where RMSProp's ms=1 start matters)."""
    random = np.random.default_rng(seed)
    initial = random.normal(size=SHAPE).astype(np.float32)
    gradients = (random.normal(size=(STEPS, *SHAPE)) * scale).astype(np.float32)
    return initial, gradients


def tf1_steps(make_optimizer, initial, gradients):
    """The weights after each TF1 apply_gradients of the given gradients."""
    with tf.Graph().as_default():
        weights = tf.get_variable("w", initializer=initial)
        gradient = tf.placeholder(tf.float32, SHAPE)
        train = make_optimizer().apply_gradients([(gradient, weights)])
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            steps = []
            for value in gradients:  # the read after the update: one run would not order them
                session.run(train, {gradient: value})
                steps.append(session.run(weights))
            return steps


def keras_steps(optimizer, initial, gradients):
    """The weights after each Keras optimizer.apply of the same gradients."""
    weights = keras.Variable(initial, name="w")
    steps = []
    for value in gradients:
        optimizer.apply([keras.ops.convert_to_tensor(value)], [weights])
        steps.append(keras.ops.convert_to_numpy(weights))
    return steps


def largest_difference(tf1, keras_side):
    """max |TF1 - Keras| over the steps, in units of the weights' float32 rounding."""
    return max(float(np.max(np.abs(a - b) / (ULPS * np.maximum(np.abs(a), 1.0)))) for a, b in zip(tf1, keras_side))


CASES = {
    "rmsprop": (lambda: tf.train.RMSPropOptimizer(0.01),
                lambda: tf1_optimizers.RMSPropTF1(0.01)),
    "rmsprop_momentum": (lambda: tf.train.RMSPropOptimizer(0.05, decay=0.8, momentum=0.9, epsilon=1e-6),
                         lambda: tf1_optimizers.RMSPropTF1(0.05, decay=0.8, momentum=0.9, epsilon=1e-6)),
    "rmsprop_centered": (lambda: tf.train.RMSPropOptimizer(0.02, momentum=0.5, centered=True),
                         lambda: tf1_optimizers.RMSPropTF1(0.02, momentum=0.5, centered=True)),
    "ftrl": (lambda: tf.train.FtrlOptimizer(0.5),
             lambda: tf1_optimizers.FtrlTF1(0.5)),
    "ftrl_regularised": (
        lambda: tf.train.FtrlOptimizer(0.3, learning_rate_power=-0.7, initial_accumulator_value=0.2,
                                       l1_regularization_strength=0.001, l2_regularization_strength=0.01,
                                       l2_shrinkage_regularization_strength=0.02),
        lambda: tf1_optimizers.FtrlTF1(0.3, learning_rate_power=-0.7, initial_accumulator_value=0.2,
                                       l1_regularization_strength=0.001, l2_regularization_strength=0.01,
                                       l2_shrinkage_regularization_strength=0.02)),
}


@pytest.mark.parametrize("case", list(CASES))
def test_twin_steps_like_tf1_within_float32_rounding(case):
    make_tf1, make_keras = CASES[case]
    initial, gradients = problem(scale=1e-2 if case.startswith("rmsprop") else 1.0)
    tf1 = tf1_steps(make_tf1, initial, gradients)
    assert largest_difference(tf1, keras_steps(make_keras(), initial, gradients)) <= 1.0
    assert not np.allclose(tf1[-1], initial)  # it trained


def test_ftrl_l1_zeroes_weights_as_tf1_does():
    initial, gradients = problem(seed=1, scale=0.1)
    tf1 = tf1_steps(lambda: tf.train.FtrlOptimizer(0.5, l1_regularization_strength=0.5), initial, gradients)
    keras_side = keras_steps(tf1_optimizers.FtrlTF1(0.5, l1_regularization_strength=0.5), initial, gradients)
    assert np.count_nonzero(tf1[-1] == 0) > 0
    np.testing.assert_array_equal(tf1[-1] == 0, keras_side[-1] == 0)


def test_keras_rmsprop_does_not_step_like_tf1():
    initial, gradients = problem()
    tf1 = tf1_steps(lambda: tf.train.RMSPropOptimizer(0.01), initial, gradients)
    keras_own = keras_steps(keras.optimizers.RMSprop(0.01, rho=0.9, epsilon=1e-10), initial, gradients)
    assert largest_difference(tf1, keras_own) > 1e4  # ms from 0: the first step ~lr*sqrt(10), not lr*g


@pytest.mark.parametrize("make", [lambda: tf1_optimizers.RMSPropTF1(0.02, decay=0.8, momentum=0.5, centered=True),
                                  lambda: tf1_optimizers.FtrlTF1(0.1, l1_regularization_strength=0.01)])
def test_twins_are_registered_serialisable_and_kit_importable(make):
    optimizer = make()
    restored = keras.optimizers.deserialize(keras.optimizers.serialize(optimizer))
    assert type(restored) is type(optimizer) and restored.get_config() == optimizer.get_config()
    assert getattr(optimizers, type(optimizer).__name__) is type(optimizer)


def test_module_needs_nothing_but_keras():
    """port copies it beside model.py: a ported model must not need the kit."""
    source = open(tf1_optimizers.__file__, encoding="utf-8").read()
    imports = [line for line in source.splitlines() if line.startswith(("import ", "from "))]
    assert imports == ["import keras"]
