"""optimizer_reading.recognise_optimizer: each TF1 optimizer read from its update ops with its settings,
its Keras equivalent proven by stepping both sides (harness training-steps check), and the
optimizers and set-ups that must get no Keras optimizer (with a note) instead of a wrong one."""

import keras
import numpy as np
import pytest

import legacy_tf1.compat as tf
from tf1_to_keras import harness
from tf1_to_keras.porting import optimizer_reading, specs, training_parity

FEATURES, CLASSES = 12, 4


def tiny_graph(make_optimizer, clip=None):
    """A builder: a dense softmax classifier trained by make_optimizer() (the program's train op),
    its gradients through clip(gradients) when given."""
    def build():
        x = tf.placeholder(tf.float32, [None, FEATURES], name="x")
        labels = tf.placeholder(tf.int64, [None], name="labels")
        logits = tf.layers.dense(x, CLASSES, name="dense")
        loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
        optimizer = make_optimizer()
        if clip:
            gradients, variables = zip(*optimizer.compute_gradients(loss))
            optimizer.apply_gradients(zip(clip(gradients), variables),
                                      global_step=tf.train.get_or_create_global_step())
        else:
            optimizer.minimize(loss)
        return {"inputs": x, "outputs": logits, "labels": labels, "loss": loss}
    return build


def learning_rate_variable(decay=False):
    """A learning rate held in a non-trainable variable, as optimize_loss makes it; with `decay`,
    the program also assigns it (a hand-made schedule)."""
    variable = tf.get_variable("learning_rate", [], trainable=False, initializer=tf.constant_initializer(0.5))
    if decay:
        tf.assign(variable, variable * 0.9, name="decay_learning_rate")
    return variable


def recognised(make_optimizer, **arguments):
    with harness.TF1Model.from_builder(tiny_graph(make_optimizer, **arguments), seed=0) as tf1:
        return optimizer_reading.recognise_optimizer(tf1.graph, feeds={"learning_rate:0": 0.25})


ADAM_BETAS = {"beta_1": float(np.float32(0.9)), "beta_2": float(np.float32(0.999))}
MAPPED = {
    "adam": (lambda: tf.train.AdamOptimizer(1e-3), "AdamOptimizer",
             {"learning_rate": 0.001, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8},
             "keras.optimizers.Adam", {"learning_rate": 0.001, **ADAM_BETAS, "epsilon": 1e-8}),
    "sgd": (lambda: tf.train.GradientDescentOptimizer(0.5), "GradientDescentOptimizer", {"learning_rate": 0.5},
            "keras.optimizers.SGD", {"learning_rate": 0.5}),
    "momentum": (lambda: tf.train.MomentumOptimizer(0.1, 0.9), "MomentumOptimizer",
                 {"learning_rate": 0.1, "momentum": 0.9, "use_nesterov": False},
                 "keras.optimizers.SGD", {"learning_rate": 0.1, "momentum": 0.9}),
    "nesterov": (lambda: tf.train.MomentumOptimizer(0.1, 0.8, use_nesterov=True), "MomentumOptimizer",
                 {"learning_rate": 0.1, "momentum": 0.8, "use_nesterov": True},
                 "keras.optimizers.SGD", {"learning_rate": 0.1, "momentum": 0.8, "nesterov": True}),
    "adagrad": (lambda: tf.train.AdagradOptimizer(0.3, initial_accumulator_value=0.2), "AdagradOptimizer",
                {"learning_rate": 0.3, "initial_accumulator_value": 0.2},
                "keras.optimizers.Adagrad", {"learning_rate": 0.3, "initial_accumulator_value": 0.2, "epsilon": 0.0}),
    "adadelta": (lambda: tf.train.AdadeltaOptimizer(1.0), "AdadeltaOptimizer",
                 {"learning_rate": 1.0, "rho": 0.95, "epsilon": 1e-8},
                 "keras.optimizers.Adadelta", {"learning_rate": 1.0, "rho": 0.95, "epsilon": 1e-8}),
    # contrib.layers.optimize_loss's: a non-trainable variable that only its initializer assigns.
    "variable_learning_rate": (lambda: tf.train.GradientDescentOptimizer(learning_rate_variable()),
                               "GradientDescentOptimizer", {"learning_rate": 0.5},
                               "keras.optimizers.SGD", {"learning_rate": 0.5}),
    "fed_learning_rate": (lambda: tf.train.GradientDescentOptimizer(tf.placeholder(tf.float32, [], "learning_rate")),
                          "GradientDescentOptimizer", {"learning_rate": 0.25},
                          "keras.optimizers.SGD", {"learning_rate": 0.25}),
}


@pytest.mark.parametrize("case", list(MAPPED))
def test_optimizer_recognised_with_its_settings(case):
    make_optimizer, tf1, settings, keras_path, keras_kwargs = MAPPED[case]
    spec = recognised(make_optimizer)
    assert (spec.tf1, spec.settings) == (tf1, settings)
    assert spec.keras == specs.KerasObject(keras_path, keras_kwargs)


def steps_alike(spec, keras_optimizer=None, steps=5):
    """harness.check_training_steps of the tiny model: TF1 rebuilt from spec, Keras from spec.keras."""
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(256, FEATURES)).astype(np.float32), rng.integers(0, CLASSES, 256)
    def keras_model():
        return keras.Sequential([keras.Input((FEATURES,)), keras.layers.Dense(CLASSES, name="dense")])
    with harness.TF1Model.from_builder(tiny_graph(lambda: tf.train.GradientDescentOptimizer(0.1)), seed=0) as tf1:
        return harness.check_training_steps(
            tf1, harness.KerasModel(keras_model, seed=0), harness.make_batches(x, y, 32, steps, seed=0),
            training_parity.tf1_optimizer(spec), keras_optimizer or training_parity.keras_optimizer(spec),
            keras.losses.SparseCategoricalCrossentropy(from_logits=True))


@pytest.mark.parametrize("case", ["adam", "momentum", "nesterov", "adagrad", "adadelta"])
def test_keras_equivalent_steps_like_tf1(case):
    result = steps_alike(recognised(MAPPED[case][0]))
    assert result.passed, result.failures


def test_rmsprop_gets_its_tf1_twin_and_keras_own_rmsprop_steps_differently():
    spec = recognised(lambda: tf.train.RMSPropOptimizer(0.01, momentum=0.5, centered=True))
    settings = {"learning_rate": 0.01, "decay": 0.9, "momentum": 0.5, "epsilon": 1e-10, "centered": True}
    assert (spec.tf1, spec.settings) == ("RMSPropOptimizer", settings)
    assert spec.keras == specs.KerasObject("tf1_optimizers.RMSPropTF1", settings)
    assert "starts each mean-square slot at 1.0" in spec.notes[0]
    assert steps_alike(spec).passed
    def nearest():
        return keras.optimizers.RMSprop(0.01, rho=0.9, momentum=0.5, epsilon=1e-10, centered=True)
    result = steps_alike(spec, keras_optimizer=nearest)
    assert not result.passed and result.first_failing_step == 2  # the first update already differs


def exponential_decay():
    return tf.train.exponential_decay(0.5, tf.train.get_or_create_global_step(), 2, 0.5, staircase=True)


def piecewise_constant():
    return tf.train.piecewise_constant(tf.train.get_or_create_global_step(), [1, 3], [0.5, 0.2, 0.05])


TRAINING_SETUPS = {  # optimizer, clip, (setting, value) read, the Keras optimizer's kwargs that say so
    "ftrl": (lambda: tf.train.FtrlOptimizer(0.3, l1_regularization_strength=0.01,
                                            l2_shrinkage_regularization_strength=0.02), None,
             ("l2_shrinkage_regularization_strength", 0.02), {"l1_regularization_strength": 0.01}),
    "exponential_decay": (lambda: tf.train.GradientDescentOptimizer(exponential_decay()), lambda g: g,
                          ("learning_rate", {"schedule": "exponential_decay", "learning_rate": 0.5,
                                             "decay_steps": 2, "decay_rate": 0.5, "staircase": True}),
                          {"learning_rate": specs.KerasObject("keras.optimizers.schedules.ExponentialDecay", {
                              "initial_learning_rate": 0.5, "decay_steps": 2, "decay_rate": 0.5,
                              "staircase": True})}),
    "piecewise_constant": (lambda: tf.train.AdamOptimizer(piecewise_constant()), lambda g: g,
                           ("learning_rate", {"schedule": "piecewise_constant", "boundaries": [1, 3],
                                              "values": [0.5, 0.2, 0.05]}),
                           {"learning_rate": specs.KerasObject("keras.optimizers.schedules.PiecewiseConstantDecay",
                                                               {"boundaries": [1, 3], "values": [0.5, 0.2, 0.05]})}),
    "clip_by_global_norm": (lambda: tf.train.AdamOptimizer(0.1), lambda g: tf.clip_by_global_norm(g, 0.05)[0],
                            ("gradient_clipping", {"clip_by_global_norm": 0.05}), {"global_clipnorm": 0.05}),
    "clip_by_value": (lambda: tf.train.GradientDescentOptimizer(1.0),
                      lambda g: [tf.clip_by_value(each, -0.01, 0.01) for each in g],
                      ("gradient_clipping", {"clip_by_value": [-0.01, 0.01]}), {"clipvalue": 0.01}),
}


@pytest.mark.parametrize("case", list(TRAINING_SETUPS))
def test_training_setup_read_and_stepping_like_tf1(case):
    make_optimizer, clip, (setting, value), keras_kwargs = TRAINING_SETUPS[case]
    spec = recognised(make_optimizer, clip=clip)
    assert spec.settings[setting] == value
    assert spec.keras is not None and keras_kwargs.items() <= spec.keras.kwargs.items(), spec.keras
    result = steps_alike(spec, steps=6)
    assert result.passed, result.failures


@pytest.mark.parametrize("case", ["exponential_decay", "clip_by_global_norm"])
def test_a_keras_optimizer_without_the_schedule_or_clipping_steps_differently(case):
    spec = recognised(TRAINING_SETUPS[case][0], clip=TRAINING_SETUPS[case][1])
    kwargs = {key: value for key, value in spec.keras.kwargs.items() if key not in TRAINING_SETUPS[case][3]}
    plain = specs.KerasObject(spec.keras.path, {"learning_rate": 0.5, **kwargs})
    result = steps_alike(spec, keras_optimizer=lambda: training_parity.instantiate(plain), steps=6)
    assert not result.passed


NOT_MAPPED = {
    "schedule": (lambda: tf.train.AdamOptimizer(tf.train.polynomial_decay(
        0.1, tf.train.get_or_create_global_step(), 100, 0.01)), {}, "learning_rate is not a constant"),
    "assigned_learning_rate_variable": (lambda: tf.train.GradientDescentOptimizer(learning_rate_variable(decay=True)),
                                        {}, "learning_rate is not a constant"),
    "clipped_gradients": (lambda: tf.train.AdamOptimizer(1e-3),
                          {"clip": lambda g: [tf.clip_by_norm(each, 1.0) for each in g]},
                          "not straight from tf.gradients"),
    "asymmetric_clip": (lambda: tf.train.AdamOptimizer(1e-3),
                        {"clip": lambda g: [tf.clip_by_value(each, -1.0, 0.5) for each in g]},
                        "clipvalue clips to [-v, v] only"),
    "momentum_schedule": (lambda: tf.train.MomentumOptimizer(piecewise_constant(), 0.5), {},
                          "differs once the learning rate changes"),
    "proximal_adagrad": (lambda: tf.train.ProximalAdagradOptimizer(0.1), {},
                         "ProximalAdagradOptimizer has no Keras optimizer"),
}


@pytest.mark.parametrize("case", list(NOT_MAPPED))
def test_optimizer_without_a_faithful_keras_twin_gets_a_note(case):
    make_optimizer, arguments, note = NOT_MAPPED[case]
    spec = recognised(make_optimizer, **arguments)
    assert spec.keras is None and any(note in line for line in spec.notes), spec.notes
    with pytest.raises(ValueError, match="no Keras equivalent"):
        training_parity.keras_optimizer(spec)


def test_graph_without_update_ops_has_no_optimizer():
    graph = tf.Graph()
    with graph.as_default():
        tf.layers.dense(tf.placeholder(tf.float32, [None, 3]), 2)
    assert optimizer_reading.recognise_optimizer(graph) is None
