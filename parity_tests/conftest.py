"""Shared pytest setup: which models the parity layers cover, and isolation."""

import keras
import pytest

# Model keys every parity layer is parametrized over (later issues add the other four).
PARITY_MODELS = ("softmax_regression", "deep_cnn", "core_convnet")


@pytest.fixture(autouse=True)
def fresh_keras_session():
    """Each test starts from a clean Keras state (layer-name counters, seeds)."""
    keras.backend.clear_session()
    yield
    keras.backend.clear_session()
