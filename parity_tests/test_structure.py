"""Parity layer 1: structure. Same layer names, output shapes and parameter counts.

Measured by the public harness's check (harness.check_structure, through proof_checks)."""

import dataclasses
import functools

import pytest

from conftest import PARITY_CASE_IDS, PARITY_CASES
from mnist_parity import proof_checks, registry
from tf1_to_keras.harness import structure

# Hand-computed, so a bug shared by both sides is still caught:
# kernel_h * kernel_w * in_channels * filters + filters; inputs * units + units.
EXPECTED_LAYER_PARAMETERS = {
    "softmax_regression": {"linear": 784 * 10 + 10},  # 7,850
    "deep_cnn": {
        "conv1": 5 * 5 * 1 * 32 + 32,         # 832
        "conv2": 5 * 5 * 32 * 64 + 64,        # 51,264
        "fc1": 7 * 7 * 64 * 1024 + 1024,      # 3,212,288
        "fc2": 1024 * 10 + 10,                # 10,250
    },
    "layers_cnn": {
        "conv2d": 5 * 5 * 1 * 32 + 32,        # 832
        "conv2d_1": 5 * 5 * 32 * 64 + 64,     # 51,264
        "dense": 7 * 7 * 64 * 1024 + 1024,    # 3,212,288
        "dense_1": 1024 * 10 + 10,            # 10,250
    },
    "lenet5": {
        "conv2d": 5 * 5 * 1 * 6 + 6,          # 156
        "conv2d_1": 5 * 5 * 6 * 16 + 16,      # 2,416
        "dense": 5 * 5 * 16 * 120 + 120,      # 48,120
        "dense_1": 120 * 84 + 84,             # 10,164
        "dense_2": 84 * 10 + 10,              # 850
    },
    "core_convnet": {
        "c1": 3 * 3 * 1 * 16 + 16,            # 160
        "c2": 3 * 3 * 16 * 16 + 16,           # 2,320
        "c3": 3 * 3 * 16 * 32 + 32,           # 4,640
        "c4": 3 * 3 * 32 * 32 + 32,           # 9,248
        "d1": 7 * 7 * 32 * 128 + 128,         # 200,832
        "out": 128 * 10 + 10,                 # 1,290
    },
}
EXPECTED_TOTAL_PARAMETERS = {"softmax_regression": 7_850, "deep_cnn": 3_274_634,
                             "layers_cnn": 3_274_634, "lenet5": 61_706, "core_convnet": 218_490}
EXPECTED_OUTPUT_SHAPES = {
    "softmax_regression": {"linear": (None, 10)},
    "deep_cnn": {
        "reshape": (None, 28, 28, 1), "conv1": (None, 28, 28, 32), "pool1": (None, 14, 14, 32),
        "conv2": (None, 14, 14, 64), "pool2": (None, 7, 7, 64), "flatten": (None, 3136),
        "fc1": (None, 1024), "dropout": (None, 1024), "fc2": (None, 10),
    },
    "layers_cnn": {
        "reshape": (None, 28, 28, 1), "conv2d": (None, 28, 28, 32),
        "max_pooling2d": (None, 14, 14, 32), "conv2d_1": (None, 14, 14, 64),
        "max_pooling2d_1": (None, 7, 7, 64), "flatten": (None, 3136), "dense": (None, 1024),
        "dropout": (None, 1024), "dense_1": (None, 10),
    },
    "lenet5": {  # 'valid' second conv: 14 -> 10; pools are 'valid' (tf.layers default)
        "reshape": (None, 28, 28, 1), "conv2d": (None, 28, 28, 6),
        "max_pooling2d": (None, 14, 14, 6), "conv2d_1": (None, 10, 10, 16),
        "max_pooling2d_1": (None, 5, 5, 16), "flatten": (None, 400), "dense": (None, 120),
        "dense_1": (None, 84), "dense_2": (None, 10),
    },
    "core_convnet": {
        "c1": (None, 28, 28, 16), "c2": (None, 28, 28, 16), "pool1": (None, 14, 14, 16),
        "c3": (None, 14, 14, 32), "c4": (None, 14, 14, 32), "pool2": (None, 7, 7, 32),
        "flatten": (None, 1568), "d1": (None, 128), "dropout": (None, 128), "out": (None, 10),
    },
}


@functools.lru_cache(maxsize=None)
def structure_of(key, variant, functional=False):
    """check_structure, built once per case for this module's tests (it builds a graph and a model)."""
    return proof_checks.check_structure(key, functional=functional, variant=variant)


@pytest.mark.parametrize("functional", [False, True], ids=["sequential", "functional"])
@pytest.mark.parametrize("key, variant", PARITY_CASES, ids=PARITY_CASE_IDS)
def test_layers_match_between_sides(key, variant, functional):
    result = structure_of(key, variant, functional)
    assert result.differences == []
    assert result.checked.passed and result.checked.shapes_match


def test_a_tap_the_twin_lacks_is_a_difference():
    # The harness compares the layers both sides name; the kit's programs tap every layer,
    # so an extra (or reordered) TF1 tap must still be reported.
    result = structure_of("lenet5", "lenet5")
    extra = dataclasses.replace(result, legacy=[*result.legacy, structure.LayerSummary("softmax", (None, 10), 0)])
    assert extra.differences == [
        f"layer names differ: TF1 {[layer.name for layer in extra.legacy]} vs Keras "
        f"{[layer.name for layer in result.keras]}"]
    reordered = dataclasses.replace(result, legacy=result.legacy[::-1])
    assert len(reordered.differences) == 1 and reordered.differences[0].startswith("layer names differ")


@pytest.mark.parametrize("key, variant", PARITY_CASES, ids=PARITY_CASE_IDS)
def test_totals_equal_hand_computed_literal(key, variant):
    result = structure_of(key, variant)
    assert sum(EXPECTED_LAYER_PARAMETERS[key].values()) == EXPECTED_TOTAL_PARAMETERS[key]
    assert result.parameters == {"tf1": EXPECTED_TOTAL_PARAMETERS[key],
                                 "keras": EXPECTED_TOTAL_PARAMETERS[key]}


@pytest.mark.parametrize("key, variant", PARITY_CASES, ids=PARITY_CASE_IDS)
def test_each_layer_matches_hand_computed_values(key, variant):
    result = structure_of(key, variant)
    for side in (result.legacy, result.keras):
        shapes = {layer.name: layer.output_shape for layer in side}
        parameters = {layer.name: layer.parameter_count for layer in side if layer.parameter_count}
        assert shapes == EXPECTED_OUTPUT_SHAPES[key]
        assert parameters == EXPECTED_LAYER_PARAMETERS[key]


@pytest.mark.parametrize("key, variant", PARITY_CASES, ids=PARITY_CASE_IDS)
def test_both_sides_read_one_recipe(key, variant):
    legacy_recipe = registry.legacy_module(key, variant).RECIPE
    keras_recipe = registry.keras_module(key).RECIPE
    assert legacy_recipe == keras_recipe
    assert legacy_recipe.key == key
