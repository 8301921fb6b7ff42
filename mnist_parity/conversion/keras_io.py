"""The Keras twin's files, `.keras` and `.weights.h5`: read, load into the twin, write.

A `.keras` file loads in safe mode through the kit's one loader
(modern_keras.keras_files); a `.weights.h5` loads into the twin of the model key,
after its layout has been checked against the twin, so that a file of another
model fails with the full list of misfits rather than Keras' first one.
"""

import os
import re

import h5py
import numpy as np

from mnist_core import recipes
from mnist_parity import registry, transfer
from modern_keras import keras_files
from tf1_to_keras.conversion.file_kinds import KERAS_SUFFIXES


def build_twin(key):
    """The Keras twin of `key` (Sequential, uncompiled)."""
    return registry.keras_module(key).build_model(recipes.get_recipe(key))


def weights_file_groups(model):
    """{layer name: its group under `layers/` in a `.weights.h5` of `model`}.

    Keras 3 names the groups by class, not by layer name: the class in snake case,
    numbered per class in layer order (saving_lib._save_container_state), so a file
    maps onto a model by position and class.
    """
    counts, groups = {}, {}
    for layer in model.layers:
        group = re.sub("([a-z])([A-Z])", r"\1_\2",
                       re.sub("(.)([A-Z][a-z]+)", r"\1_\2", type(layer).__name__)).lower()
        counts[group] = counts.get(group, -1) + 1
        groups[layer.name] = group if counts[group] == 0 else f"{group}_{counts[group]}"
    return groups


def weights_file_shapes(path, groups):
    """{layer: [stand-ins of each weight's shape]} of a Keras 3 `.weights.h5`, by the
    layer names of `groups` (weights_file_groups); groups no layer maps to appear as
    `layers/GROUP`. None when the file is laid out otherwise; ValueError for no HDF5 file."""
    names = {group: layer for layer, group in groups.items()}
    try:
        with h5py.File(path, "r") as weights_file:
            if not isinstance(weights_file.get("layers"), h5py.Group):
                return None
            shapes = {}
            for group, contents in weights_file["layers"].items():
                variables = contents.get("vars", {})
                if len(variables):
                    # broadcast_to: an array of the right shape that allocates nothing, for
                    # transfer.check_weights, which reads only `.shape`.
                    shapes[names.get(group, f"layers/{group}")] = [
                        np.broadcast_to(np.float32(0), variables[str(index)].shape)
                        for index in range(len(variables))]
            return shapes
    except OSError as error:
        raise ValueError(f"{path}: not a Keras .weights.h5 file: {error}") from error


def load_checked_twin(key, path):
    """The Keras model in `path` (a `.keras`, safe mode; or `.weights.h5` into the twin),
    checked against the twin of `key` layer by layer (WeightTransferError lists misfits)."""
    if not os.path.isfile(path):
        raise ValueError(f"{path}: no such file; expected a {' or '.join(KERAS_SUFFIXES)} file")
    twin = build_twin(key)
    expected_shapes = transfer.keras_weight_shapes(twin)
    target = f"the {key} Keras twin ({path})"
    if path.endswith(".weights.h5"):
        # Checked before loading: Keras' own error names one layer and prints its values.
        shapes = weights_file_shapes(path, weights_file_groups(twin))
        if shapes is not None:
            transfer.check_weights(expected_shapes, shapes, target)
        try:
            twin.load_weights(path)
        except (ValueError, TypeError, OSError, KeyError) as error:
            raise ValueError(f"{path}: cannot load it as the {key} Keras twin: {error}") from error
        model = twin
    else:
        model = keras_files.load_keras_model(path)  # the kit's one safe-mode loader
    transfer.check_weights(expected_shapes, transfer.keras_weights(model), target)
    return model


def keras_weight_names(model):
    """{layer: ["layer/weight", ...]}, parallel to transfer.keras_weights(model)."""
    return {layer.name: [f"{layer.name}/{weight.name}" for weight in layer.weights]
            for layer in model.layers if layer.weights}


def write_keras_file(key, model, path):
    """Saves `model` as `path` (`.keras`: the whole model; `.weights.h5`: its weights) and
    returns what a user would load back from it."""
    if path.endswith(".weights.h5"):
        model.save_weights(path)
        written = build_twin(key)
        written.load_weights(path)
        return written
    model.save(path)
    return keras_files.load_keras_model(path)  # safe mode, as a user would load it
