"""Which side a path is: the Keras file names a conversion reads and writes, the direction
two paths say, and what a Keras file holds that a TF1 checkpoint has no place for."""

KERAS_SUFFIXES = (".keras", ".weights.h5")


def is_keras_path(path):
    """True for the Keras file names a conversion writes and reads."""
    return str(path).endswith(KERAS_SUFFIXES)


def direction(source, destination):
    """"to_keras" (a checkpoint -> a Keras file) or "to_checkpoint"; ValueError when the
    suffixes say neither."""
    if is_keras_path(destination) and not is_keras_path(source):
        return "to_keras"
    if is_keras_path(source) and not is_keras_path(destination):
        return "to_checkpoint"
    raise ValueError(
        f"cannot tell the direction from {source!r} -> {destination!r}: expected either a TF1 "
        f"checkpoint prefix or model_dir -> a file ending in {' or '.join(KERAS_SUFFIXES)}, "
        f"or such a Keras file -> a TF1 checkpoint prefix")


def keras_training_state(model):
    """Paths of a loaded model's optimizer variables (a compiled `.keras` keeps them): a TF1
    checkpoint of the model's graph has no place for them, so they are skipped."""
    optimizer = getattr(model, "optimizer", None)
    return [variable.path for variable in optimizer.variables] if optimizer is not None else []
