"""Parity layer 2: forward. TF1 weights copied into Keras by name give the same outputs."""

import keras
import pytest

import legacy_tf1.compat as tf
from conftest import PARITY_CASE_IDS, PARITY_CASES, PARITY_MODELS
from legacy_tf1 import session_loop
from mnist_core import recipes, training_data
from mnist_parity import proof_checks, closeness, sides, tolerances


@pytest.mark.parametrize("functional", [False, True], ids=["sequential", "functional"])
@pytest.mark.parametrize("key, variant", PARITY_CASES, ids=PARITY_CASE_IDS)
def test_logits_match_after_weight_transfer(key, variant, functional):
    tf1_logits, keras_logits = proof_checks.forward_logits(key, functional=functional, variant=variant)
    assert tf1_logits.shape == (tolerances.FORWARD_IMAGES, 10)
    closeness.assert_close(keras_logits, tf1_logits, name=f"{key} logits",
                            atol=tolerances.FORWARD_ATOL, rtol=tolerances.FORWARD_RTOL)


@pytest.mark.parametrize("key, variant", PARITY_CASES, ids=PARITY_CASE_IDS)
def test_every_layer_output_matches(key, variant):
    images = training_data.load_training_data(recipes.get_recipe(key)).test_images[:100]
    with sides.LegacySide(key, seed=0, variant=variant) as legacy, sides.KerasSide(key, functional=True) as keras_side:
        keras_side.set_weights(legacy.weights())
        tf1_outputs = session_loop.layer_outputs(legacy.session, legacy.endpoints, images)
        model = keras_side.model
        taps = keras.Model(model.inputs, {name: model.get_layer(name).output for name in tf1_outputs})
        keras_outputs = taps([images], training=False)
    for name, tf1_output in tf1_outputs.items():
        closeness.assert_close(keras_outputs[name], tf1_output, name=f"{key} layer {name}",
                                atol=tolerances.FORWARD_ATOL, rtol=tolerances.FORWARD_RTOL)


@pytest.mark.parametrize("key", PARITY_MODELS)
def test_forward_check_catches_one_perturbed_weight(key):
    # Guards the tests above: a 1e-3 change in one transferred kernel must be seen.
    images = training_data.load_training_data(recipes.get_recipe(key)).test_images[:100]
    with sides.LegacySide(key, seed=0) as legacy, sides.KerasSide(key, seed=0) as keras_side:
        weights = legacy.weights()
        first_layer = next(iter(weights))
        weights[first_layer][0] = weights[first_layer][0] + 1e-3
        keras_side.set_weights(weights)
        with pytest.raises(closeness.ParityError, match=f"{key} logits: max abs diff"):
            closeness.assert_close(keras_side.logits(images), legacy.logits(images),
                                    name=f"{key} logits", atol=tolerances.FORWARD_ATOL,
                                    rtol=tolerances.FORWARD_RTOL)


def test_graph_code_leaves_eager_on():
    with tf.Graph().as_default():
        assert not tf.executing_eagerly()
    assert tf.executing_eagerly()
