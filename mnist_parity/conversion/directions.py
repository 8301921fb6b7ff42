"""The two directions of a conversion by model key, and `convert`, which picks one from the
suffixes (the library's file_kinds.direction).

Each direction reads its source, writes the other side's format into a staging
directory beside DESTINATION (the library's staging), verifies what it wrote by reading
it back (the library's readback_check), and only then moves it into place.
"""

import os

from mnist_core import recipes
from mnist_parity import transfer
from mnist_parity.conversion import checkpoint_io, keras_io, twin_logits
from tf1_to_keras.conversion import checkpoint_files, file_kinds, readback_check, staging


def convert(key, source, destination):
    """Converts in the direction the suffixes say; returns the ConversionResult."""
    recipes.get_recipe(key)  # ValueError naming the known keys
    source, destination = os.fspath(source), os.fspath(destination)
    if file_kinds.direction(source, destination) == "to_keras":
        return checkpoint_to_keras(key, source, destination)
    return keras_to_checkpoint(key, source, destination)


def mapping(tf1_names, keras_names, weights):
    """(TF1 name, Keras name, shape) of each mapped variable, in layer order."""
    return [(tf1_name, keras_name, tuple(array.shape))
            for layer in tf1_names
            for tf1_name, keras_name, array in zip(tf1_names[layer], keras_names[layer], weights[layer])]


def checkpoint_to_keras(key, source, destination):
    """TF1 checkpoint (prefix or model_dir) -> `.keras` / `.weights.h5`; ConversionResult."""
    images = twin_logits.verification_images(key)
    with staging.staging_directory(destination) as directory:  # first: an unwritable DST fails fast
        with checkpoint_io.legacy_session(key) as (session, endpoints):
            checkpoint = checkpoint_io.read_checkpoint_weights(key, source, endpoints)
            expected = twin_logits.restored_logits(session, endpoints, checkpoint.path, images)
        model = keras_io.build_twin(key)
        transfer.set_keras_weights(model, checkpoint.weights)
        staged = staging.staged_path(directory, destination)
        written = keras_io.write_keras_file(key, model, staged)
        result = readback_check.ConversionResult(
            key, checkpoint.path, destination,
            mapping(checkpoint.names, keras_io.keras_weight_names(model), checkpoint.weights),
            checkpoint.skipped,
            readback_check.compare_outputs(twin_logits.keras_logits(written, images), expected), len(images))
        readback_check.require_verified(result)
        os.replace(staged, destination)
    return result


def keras_to_checkpoint(key, source, destination):
    """`.keras` / `.weights.h5` of the twin -> TF1 Saver checkpoint; ConversionResult."""
    prefix = checkpoint_files.checkpoint_prefix(destination)
    images = twin_logits.verification_images(key)
    with staging.staging_directory(prefix) as directory:  # first: an unwritable DST fails fast
        model = keras_io.load_checked_twin(key, source)
        weights = transfer.keras_weights(model)
        expected = twin_logits.keras_logits(model, images)
        staged = staging.staged_path(directory, prefix)
        with checkpoint_io.legacy_session(key) as (session, endpoints):
            tf1_names = checkpoint_io.write_checkpoint(session, endpoints, weights, staged)
            # Read back from disk: restoring assigns every model variable from the written files.
            tf1_logits = twin_logits.restored_logits(session, endpoints, staged, images)
        result = readback_check.ConversionResult(
            key, source, prefix, mapping(tf1_names, keras_io.keras_weight_names(model), weights),
            file_kinds.keras_training_state(model), readback_check.compare_outputs(tf1_logits, expected),
            len(images))
        readback_check.require_verified(result)
        checkpoint_files.move_checkpoint(staged, prefix)
    return result
