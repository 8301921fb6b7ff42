"""Parity layer 1: structure. Same layer names, output shapes and parameter counts.

Measured by the public harness's check (harness.check_structure, through proof_checks), against
the hand-computed values of model_facts.py."""

import dataclasses
import functools

import pytest

from conftest import PARITY_CASE_IDS, PARITY_CASES
from model_facts import EXPECTED_LAYER_PARAMETERS, EXPECTED_OUTPUT_SHAPES, EXPECTED_TOTAL_PARAMETERS
from mnist_parity import proof_checks, registry
from tf1_to_keras.harness import structure


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
