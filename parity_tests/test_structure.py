"""Parity layer 1: structure. Same layer names, output shapes and parameter counts."""

import pytest

from conftest import PARITY_MODELS
from mnist_parity import checks, registry

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
                             "core_convnet": 218_490}
EXPECTED_OUTPUT_SHAPES = {
    "softmax_regression": {"linear": (None, 10)},
    "deep_cnn": {
        "reshape": (None, 28, 28, 1), "conv1": (None, 28, 28, 32), "pool1": (None, 14, 14, 32),
        "conv2": (None, 14, 14, 64), "pool2": (None, 7, 7, 64), "flatten": (None, 3136),
        "fc1": (None, 1024), "dropout": (None, 1024), "fc2": (None, 10),
    },
    "core_convnet": {
        "c1": (None, 28, 28, 16), "c2": (None, 28, 28, 16), "pool1": (None, 14, 14, 16),
        "c3": (None, 14, 14, 32), "c4": (None, 14, 14, 32), "pool2": (None, 7, 7, 32),
        "flatten": (None, 1568), "d1": (None, 128), "dropout": (None, 128), "out": (None, 10),
    },
}


@pytest.mark.parametrize("functional", [False, True], ids=["sequential", "functional"])
@pytest.mark.parametrize("key", PARITY_MODELS)
def test_layers_match_between_sides(key, functional):
    result = checks.check_structure(key, functional=functional)
    assert result.differences == []


@pytest.mark.parametrize("key", PARITY_MODELS)
def test_totals_equal_hand_computed_literal(key):
    result = checks.check_structure(key)
    assert sum(EXPECTED_LAYER_PARAMETERS[key].values()) == EXPECTED_TOTAL_PARAMETERS[key]
    assert result.parameters == {"tf1": EXPECTED_TOTAL_PARAMETERS[key],
                                 "keras": EXPECTED_TOTAL_PARAMETERS[key]}


@pytest.mark.parametrize("key", PARITY_MODELS)
def test_each_layer_matches_hand_computed_values(key):
    result = checks.check_structure(key)
    for side in (result.legacy, result.keras):
        shapes = {layer.name: layer.output_shape for layer in side}
        parameters = {layer.name: layer.parameter_count for layer in side if layer.parameter_count}
        assert shapes == EXPECTED_OUTPUT_SHAPES[key]
        assert parameters == EXPECTED_LAYER_PARAMETERS[key]


@pytest.mark.parametrize("key", PARITY_MODELS)
def test_both_sides_read_one_recipe(key):
    legacy_recipe = registry.legacy_module(key).RECIPE
    keras_recipe = registry.keras_module(key).RECIPE
    assert legacy_recipe == keras_recipe
    assert legacy_recipe.key == key
