"""Model key -> the legacy program module and its Keras twin (same module name on both sides)."""

import importlib
import importlib.util

from mnist_parity import recipes


def legacy_module(key):
    """legacy_tf1.models.<key> (build_graph, the TF1 program)."""
    recipes.get_recipe(key)
    return importlib.import_module(f"legacy_tf1.models.{key}")


def keras_module(key):
    """modern_keras.models.<key> (build_model, build_functional_model)."""
    recipes.get_recipe(key)
    return importlib.import_module(f"modern_keras.models.{key}")


def available_models():
    """The model keys whose two sides are both present, in canonical order."""
    return [
        key for key in recipes.MODEL_KEYS
        if importlib.util.find_spec(f"legacy_tf1.models.{key}") is not None
        and importlib.util.find_spec(f"modern_keras.models.{key}") is not None
    ]
