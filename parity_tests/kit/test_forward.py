"""Parity layer 2: forward. TF1 weights copied into Keras by name give the same outputs.

The TF1 and Keras sides are the public harness's models (proof_checks.harness_models),
the weights go through its automatic name map, and the per-layer check is
harness.check_forward, as `compare` runs it.
"""

import re

import pytest

import legacy_tf1.compat as tf
from conftest import PARITY_CASE_IDS, PARITY_CASES, PARITY_MODELS
from mnist_core import recipes, training_data
from tf1_to_keras.harness import closeness, tolerances
from tf1_to_keras import harness
from mnist_parity import proof_checks
from model_facts import EXPECTED_OUTPUT_SHAPES


@pytest.mark.parametrize("functional", [False, True], ids=["sequential", "functional"])
@pytest.mark.parametrize("key, variant", PARITY_CASES, ids=PARITY_CASE_IDS)
def test_logits_match_after_weight_transfer(key, variant, functional):
    tf1_logits, keras_logits = proof_checks.forward_logits(key, functional=functional, variant=variant)
    assert tf1_logits.shape == (tolerances.FORWARD_IMAGES, 10)
    closeness.assert_close(keras_logits, tf1_logits, name=f"{key} logits",
                            atol=tolerances.FORWARD_ATOL, rtol=tolerances.FORWARD_RTOL)


@pytest.mark.parametrize("key, variant", PARITY_CASES, ids=PARITY_CASE_IDS)
def test_every_layer_output_matches(key, variant):
    result = proof_checks.check_forward(key, functional=True, count=100, variant=variant)
    assert list(result.layers) == list(EXPECTED_OUTPUT_SHAPES[key])  # every layer, in order
    for name, comparison in [*result.layers.items(), ("logits", result.outputs)]:
        assert (comparison.atol, comparison.rtol) == (tolerances.FORWARD_ATOL, tolerances.FORWARD_RTOL)
        assert comparison.passed, f"{key} layer {name}: {comparison.message}"
    result.raise_if_failed()


@pytest.mark.parametrize("key", PARITY_MODELS)
def test_forward_check_catches_one_perturbed_weight(key):
    # Guards the tests above: a 1e-3 change in one transferred kernel must be seen, at the
    # layer that holds it and in the logits.
    images = training_data.load_training_data(recipes.get_recipe(key)).test_images[:100]
    with proof_checks.harness_models(key) as (tf1, keras_side):
        first_kernel = next(iter(keras_side.weights()))
        nudged = harness.NameMap(transforms={re.escape(first_kernel): lambda kernel: kernel + 1e-3})
        with pytest.raises(harness.ParityError) as error:
            harness.assert_forward(tf1, keras_side, images, name_map=nudged)
        first_layer = keras_side.weight_layers()[first_kernel]
    assert f"forward: layer {first_layer!r} output: max abs diff" in str(error.value)
    assert "forward: outputs: max abs diff" in str(error.value)


def test_twins_run_as_a_graph_like_tf1():
    # proof_checks' twins are harness.KerasModel(graph=True): in a tf.function Keras fuses
    # MatMul + BiasAdd as TF1's graph does, so lenet5's logits are bitwise TF1's; eagerly
    # (the harness's default) its dense layers round apart (2.2e-7 measured).
    images = training_data.load_training_data(recipes.LENET5).test_images[:tolerances.FORWARD_IMAGES]
    with proof_checks.harness_models("lenet5") as (tf1, twin):
        proof_checks.load_tf1_weights(twin, tf1.variables(), tf1.variable_layers())
        tf1_logits = tf1.predict(images)
        assert closeness.max_abs_diff(twin.predict(images), tf1_logits) == 0.0
        eager = harness.KerasModel(twin.model)
        assert closeness.max_abs_diff(eager.predict(images), tf1_logits) > 0.0


def test_graph_code_leaves_eager_on():
    with tf.Graph().as_default():
        assert not tf.executing_eagerly()
    assert tf.executing_eagerly()
