"""Conversion of any model: a team's TF1 builder and Keras function (FILE.py:FUNCTION) instead
of a model key, variables mapped through the harness's name map (tf1_to_keras/harness).

- TF1 -> Keras: the builder's graph restores SOURCE by variable name (TF1Model.restore;
  the checkpoint's training state is skipped and listed), the name map converts each
  variable (transforms applied) into the Keras function's model, which is written as a
  `.keras` or `.weights.h5`.
- Keras -> TF1: the Keras file is loaded (`.keras` in safe mode; `.weights.h5` into the
  Keras function's model), the name map runs backwards (each transform's inverse:
  harness/inverses.py; a map with a Python function has none and is refused), and the
  builder's graph is saved as a Saver checkpoint: the model variables converted, any
  training state the graph has (global_step, slots) at its initial values.

Either way it is staged (staging), read back and verified (readback_check): both sides'
outputs on the examples of `data` (an .npz's x; by default the MNIST test images, for a
model that takes them) within the forward bar, the first FORWARD_IMAGES of them, before
anything is moved into place.
"""

import dataclasses
import os

import legacy_tf1.compat as tf
from tf1_to_keras import example_data, harness
from tf1_to_keras.conversion import checkpoint_files, file_kinds, readback_check, staging
from tf1_to_keras.harness import tolerances
from modern_keras import keras_files


@dataclasses.dataclass
class Models:
    """What a generic conversion is given: the two functions, the name map, the data, a seed."""

    build_tf1: object
    build_keras: object
    name_map: object = None
    data: str = None
    seed: int = 0

    def tf1(self):
        return harness.TF1Model.from_builder(self.build_tf1, seed=self.seed)

    def examples(self, tf1):
        x = (example_data.load_npz(self.data)[0] if self.data is not None
             else example_data.mnist_test_examples(tf1.input_shape())[0])
        return x[:tolerances.FORWARD_IMAGES]

    def resolve(self, tf1, keras_side):
        return (self.name_map or harness.NameMap()).resolve(
            tf1.variables(), keras_side.weights(), tf1.variable_layers(), tf1.skipped())


def convert_model(models, source, destination):
    """Converts in the direction the suffixes say (file_kinds.direction); the ConversionResult."""
    source, destination = os.fspath(source), os.fspath(destination)
    if file_kinds.direction(source, destination) == "to_keras":
        return checkpoint_to_keras(models, source, destination)
    return keras_to_checkpoint(models, source, destination)


def mapped(mapping, keras_weights):
    """(TF1 name(s), Keras path, shape) of each Keras weight, in the Keras model's order."""
    sources = mapping.sources()
    return [(", ".join(sources[path]), path, tuple(array.shape)) for path, array in keras_weights.items()
            if path in sources]


def _result(models, source, destination, mapping_rows, skipped, actual, expected):
    return readback_check.ConversionResult(
        getattr(models.build_keras, "__name__", "model"), source, destination, mapping_rows, skipped,
        readback_check.compare_outputs(actual, expected), len(expected), inputs="examples")


def _written_keras(path, build_keras):
    """What a user loads back from a written (or given) Keras file, as a harness.KerasModel."""
    if path.endswith(".weights.h5"):
        model = harness.KerasModel(build_keras).model
        try:
            model.load_weights(path)
        except (ValueError, TypeError, OSError, KeyError) as error:
            raise ValueError(f"{path}: cannot load it into the --keras model: {error}") from error
        return harness.KerasModel(model)
    return harness.KerasModel(keras_files.load_keras_model(path))  # safe mode


def checkpoint_to_keras(models, source, destination):
    """TF1 checkpoint (prefix or model_dir) -> `.keras` / `.weights.h5`; ConversionResult."""
    checkpoint = checkpoint_files.resolve_checkpoint(source)
    with staging.staging_directory(destination) as directory:  # first: an unwritable DST fails fast
        with models.tf1() as tf1:
            skipped = tf1.restore(checkpoint)
            x = models.examples(tf1)
            expected = tf1.predict(x)
            keras_side = harness.KerasModel(models.build_keras, seed=models.seed)
            mapping = models.resolve(tf1, keras_side)
            keras_side.assign(mapping.convert(tf1.variables()))
        staged = staging.staged_path(directory, destination)
        if staged.endswith(".weights.h5"):
            keras_side.model.save_weights(staged)
        else:
            keras_side.model.save(staged)
        written = _written_keras(staged, models.build_keras)
        result = _result(models, checkpoint, destination, mapped(mapping, keras_side.weights()), skipped,
                         written.predict(x), expected)
        readback_check.require_verified(result)
        os.replace(staged, destination)
    return result


def _save_checkpoint(tf1, prefix):
    """Every global variable of the TF1 graph (model variables and training state) as a Saver
    checkpoint at `prefix`, without the state file (move_checkpoint writes it)."""
    with tf1.graph.as_default():  # outside its graph, a Saver takes the eager path
        tf.train.Saver(var_list=tf.global_variables()).save(tf1.session, prefix, write_state=False)


def keras_to_checkpoint(models, source, destination):
    """`.keras` / `.weights.h5` -> TF1 Saver checkpoint of the builder's graph; ConversionResult."""
    if not os.path.isfile(source):
        raise ValueError(f"{source}: no such file; expected a {' or '.join(file_kinds.KERAS_SUFFIXES)} file")
    prefix = checkpoint_files.checkpoint_prefix(destination)
    with staging.staging_directory(prefix) as directory:  # first: an unwritable DST fails fast
        keras_side = _written_keras(source, models.build_keras)
        staged = staging.staged_path(directory, prefix)
        with models.tf1() as tf1:
            x = models.examples(tf1)
            mapping = models.resolve(tf1, keras_side)
            tf1.assign(mapping.invert(keras_side.weights(), tf1.variable_shapes()))
            _save_checkpoint(tf1, staged)
        with models.tf1() as restored:  # read back from disk, by name, into a fresh graph
            restored.restore(staged)
            actual = restored.predict(x)
        result = _result(models, source, prefix, mapped(mapping, keras_side.weights()),
                         file_kinds.keras_training_state(keras_side.model), actual, keras_side.predict(x))
        readback_check.require_verified(result)
        checkpoint_files.move_checkpoint(staged, prefix)
    return result
