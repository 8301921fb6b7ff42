"""The two directions of a conversion, and `convert`, which picks one from the suffixes.

Each direction reads its source, writes the other side's format into a staging
directory beside DESTINATION, verifies what it wrote by reading it back, and only
then moves it into place (see the package's docstring).
"""

import os

from mnist_core import recipes
from tf1_to_keras.harness import closeness
from mnist_parity import transfer
from mnist_parity.conversion import checkpoint_io, keras_io, staging, verification


def convert(key, source, destination):
    """Converts in the direction the suffixes say; returns the ConversionResult."""
    recipes.get_recipe(key)  # ValueError naming the known keys
    source, destination = os.fspath(source), os.fspath(destination)
    if direction(source, destination) == "to_keras":
        return checkpoint_to_keras(key, source, destination)
    return keras_to_checkpoint(key, source, destination)


def direction(source, destination):
    """"to_keras" (a checkpoint -> a Keras file) or "to_checkpoint"; ValueError when the
    suffixes say neither."""
    if keras_io.is_keras_path(destination) and not keras_io.is_keras_path(source):
        return "to_keras"
    if keras_io.is_keras_path(source) and not keras_io.is_keras_path(destination):
        return "to_checkpoint"
    raise ValueError(
        f"cannot tell the direction from {source!r} -> {destination!r}: expected either a TF1 "
        f"checkpoint prefix or model_dir -> a file ending in {' or '.join(keras_io.KERAS_SUFFIXES)}, "
        f"or such a Keras file -> a TF1 checkpoint prefix")


def mapping(tf1_names, keras_names, weights):
    """(TF1 name, Keras name, shape) of each mapped variable, in layer order."""
    return [(tf1_name, keras_name, tuple(array.shape))
            for layer in tf1_names
            for tf1_name, keras_name, array in zip(tf1_names[layer], keras_names[layer], weights[layer])]


def checkpoint_to_keras(key, source, destination):
    """TF1 checkpoint (prefix or model_dir) -> `.keras` / `.weights.h5`; ConversionResult."""
    images = verification.verification_images(key)
    with staging.staging_directory(destination) as directory:  # first: an unwritable DST fails fast
        with checkpoint_io.legacy_session(key) as (session, endpoints):
            checkpoint = checkpoint_io.read_checkpoint_weights(key, source, endpoints)
            expected = verification.restored_logits(session, endpoints, checkpoint.path, images)
        model = keras_io.build_twin(key)
        transfer.set_keras_weights(model, checkpoint.weights)
        staged = staging.staged_path(directory, destination)
        written = keras_io.write_keras_file(key, model, staged)
        result = verification.ConversionResult(
            key, checkpoint.path, destination,
            mapping(checkpoint.names, keras_io.keras_weight_names(model), checkpoint.weights),
            checkpoint.skipped,
            closeness.max_abs_diff(verification.keras_logits(written, images), expected), len(images))
        verification.require_verified(result)
        os.replace(staged, destination)
    return result


def keras_to_checkpoint(key, source, destination):
    """`.keras` / `.weights.h5` of the twin -> TF1 Saver checkpoint; ConversionResult."""
    prefix = checkpoint_io.checkpoint_prefix(destination)
    images = verification.verification_images(key)
    with staging.staging_directory(prefix) as directory:  # first: an unwritable DST fails fast
        model = keras_io.load_checked_twin(key, source)
        weights = transfer.keras_weights(model)
        expected = verification.keras_logits(model, images)
        staged = staging.staged_path(directory, prefix)
        with checkpoint_io.legacy_session(key) as (session, endpoints):
            tf1_names = checkpoint_io.write_checkpoint(session, endpoints, weights, staged)
            # Read back from disk: restoring assigns every model variable from the written files.
            tf1_logits = verification.restored_logits(session, endpoints, staged, images)
        result = verification.ConversionResult(
            key, source, prefix, mapping(tf1_names, keras_io.keras_weight_names(model), weights),
            keras_io.keras_training_state(model), closeness.max_abs_diff(tf1_logits, expected),
            len(images))
        verification.require_verified(result)
        checkpoint_io.move_checkpoint(staged, prefix)
    return result
