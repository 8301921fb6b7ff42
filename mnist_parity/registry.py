"""Model key -> the legacy program module and its Keras twin (same module name on both sides)."""

import importlib
import importlib.util

from mnist_core import recipes


# Models with more than one historical TF1 program: each is checked against the one Keras twin.
LEGACY_VARIANTS = {"layers_cnn": ("layers_cnn", "layers_cnn_contrib_learn")}


def legacy_variants(key):
    """Module names of the legacy implementations of `key` (the main one first)."""
    recipes.get_recipe(key)
    return LEGACY_VARIANTS.get(key, (key,))


def legacy_module(key, variant=None):
    """legacy_tf1.models.<variant or key> (build_graph, the TF1 program)."""
    variant = variant or key
    if variant not in legacy_variants(key):
        raise ValueError(f"{variant!r} is not a legacy variant of {key}; expected one of "
                         f"{list(legacy_variants(key))}")
    return importlib.import_module(f"legacy_tf1.models.{variant}")


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
