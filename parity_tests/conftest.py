"""Shared pytest setup: which models and legacy programs the parity layers cover."""

import keras
import pytest

from mnist_parity import recipes, registry

PARITY_MODELS = recipes.MODEL_KEYS
# (model key, legacy program): layers_cnn has two TF1 programs, each held to the one Keras twin.
PARITY_CASES = [(key, variant) for key in PARITY_MODELS for variant in registry.legacy_variants(key)]
PARITY_CASE_IDS = [key if variant == key else f"{key}-{variant.removeprefix(key + '_')}"
                   for key, variant in PARITY_CASES]


@pytest.fixture(autouse=True)
def fresh_keras_session():
    """Each test starts from a clean Keras state (layer-name counters, seeds)."""
    keras.backend.clear_session()
    yield
    keras.backend.clear_session()
