"""Checkpoint conversion: a TF1 checkpoint to its Keras twin's file, and back.

`convert(key, source, destination)` picks the direction from the suffixes:
- TF1 -> Keras: SOURCE a `Saver` checkpoint prefix or an Estimator `model_dir`
  (its latest checkpoint); DESTINATION a `.keras` file or `.weights.h5`.
- Keras -> TF1: SOURCE a `.keras` or `.weights.h5` of the twin; DESTINATION a
  `Saver` checkpoint prefix (or an existing directory: `DIR/model.ckpt-0`, as an
  Estimator's model_dir names it).

Variables map by name: each legacy graph's variables, by their TF1 names, are
the Keras layers' weights in order (kernel, bias). Optimizer state (Adam's m and
v, beta powers, Momentum and other slots; a compiled `.keras`'s optimizer
variables), `global_step` and `OptimizeLoss/...` are not model weights: they are
skipped and reported. Anything else that does not fit (a missing, extra or
shape-mismatched variable) fails with the full list.

What is written is verified before it is put in place: it is read back, and the
TF1 graph and the Keras model run on 1,000 real test images; a max logit difference
above tolerances.FORWARD_ATOL fails (VerificationError) and DESTINATION is left as it
was. Writes go to a temporary directory next to DESTINATION, then `os.replace`.
"""

import contextlib
import dataclasses
import os
import re
import shutil
import tempfile

import h5py
import keras
import numpy as np

import legacy_tf1.compat as tf
from legacy_tf1 import session_loop
from mnist_core import recipes, training_data
from mnist_parity import closeness, registry, tolerances, transfer
from modern_keras import keras_files, training

KERAS_SUFFIXES = (".keras", ".weights.h5")
# The name an Estimator gives the checkpoint of step 0 (a directory DESTINATION gets it).
ESTIMATOR_CHECKPOINT_NAME = "model.ckpt-0"
# Checkpoint entries that are training state, not model weights: skipped, and reported.
NON_MODEL_PATTERNS = tuple(re.compile(pattern) for pattern in (
    r"(.*/)?global_step",
    r"(.*/)?beta[12]_power(_\d+)?",  # Adam's running beta powers
    r".+/(Adam|Momentum|RMSProp|Adagrad|AdagradDA|Adadelta|Ftrl|ExponentialMovingAverage)(_\d+)?",
    r"OptimizeLoss/.+",  # contrib.layers.optimize_loss's learning_rate variable
    r"_CHECKPOINTABLE_OBJECT_GRAPH",  # object-graph metadata of TF2-style checkpoints
))


class VerificationError(Exception):
    """The converted model's logits differ from the source's by more than the tolerance.

    Not a ValueError: the input was fine, the result was not (the CLI exits 1, not 2).
    """

    def __init__(self, message, result):
        super().__init__(message)
        self.result = result


@dataclasses.dataclass
class CheckpointWeights:
    """What `read_checkpoint_weights` found: weights by layer, and what it left out."""

    path: str  # the checkpoint prefix read
    weights: dict  # {layer: [arrays]} in Keras weight order
    names: dict  # {layer: [TF1 variable names]}, parallel to `weights`
    skipped: list  # checkpoint entries that are not model weights


@dataclasses.dataclass
class ConversionResult:
    """One conversion: what went where, what was left out, and the verified difference."""

    key: str
    source: str
    destination: str
    mapped: list  # (TF1 variable name, Keras weight "layer/name", shape)
    skipped: list
    max_difference: float
    images: int

    @property
    def passed(self):
        # `<=` so that NaN logits fail too.
        return self.max_difference <= tolerances.FORWARD_ATOL


def is_keras_path(path):
    """True for the Keras file names this module writes and reads."""
    return str(path).endswith(KERAS_SUFFIXES)


def convert(key, source, destination):
    """Converts in the direction the suffixes say; returns the ConversionResult."""
    recipes.get_recipe(key)  # ValueError naming the known keys
    source, destination = os.fspath(source), os.fspath(destination)
    if is_keras_path(destination) and not is_keras_path(source):
        return checkpoint_to_keras(key, source, destination)
    if is_keras_path(source) and not is_keras_path(destination):
        return keras_to_checkpoint(key, source, destination)
    raise ValueError(
        f"cannot tell the direction from {source!r} -> {destination!r}: expected either a TF1 "
        f"checkpoint prefix or model_dir -> a file ending in {' or '.join(KERAS_SUFFIXES)}, or "
        f"such a Keras file -> a TF1 checkpoint prefix")


# --- Reading a TF1 checkpoint -----------------------------------------------------------

def resolve_checkpoint(source):
    """The checkpoint prefix of a Saver prefix or a model_dir; ValueError naming `source`."""
    expected = "expected a TF1 Saver checkpoint prefix (PREFIX.index exists) or an Estimator model_dir"
    if os.path.isdir(source):
        checkpoint = tf.train.latest_checkpoint(source)
        if checkpoint is None:
            raise ValueError(f"{source}: directory holds no checkpoint (no 'checkpoint' state "
                             f"file naming an existing one); {expected}")
        return checkpoint
    prefix = source[:-len(".index")] if source.endswith(".index") else source
    if not os.path.isfile(prefix + ".index"):
        raise ValueError(f"{source}: no such checkpoint ({prefix}.index not found); {expected}")
    return prefix


def expected_variables(endpoints):
    """{layer: [(TF1 name, shape, dtype)]} of a legacy graph's GraphEndpoints."""
    return {layer: [(variable.op.name, tuple(variable.shape.as_list()), variable.dtype.base_dtype)
                    for variable in variables]
            for layer, variables in endpoints.variables.items()}


def is_model_variable_name(name):
    """False for optimizer slots, beta powers, global_step and optimize_loss's state."""
    return not any(pattern.fullmatch(name) for pattern in NON_MODEL_PATTERNS)


def checkpoint_problems(expected, found_shapes, found_dtypes):
    """Each missing, extra, shape- or dtype-mismatched variable, as one line."""
    wanted = {name: (shape, dtype) for entries in expected.values() for name, shape, dtype in entries}
    problems = [f"missing {name}: expected shape {shape}, found nothing"
                for name, (shape, _) in sorted(wanted.items()) if name not in found_shapes]
    problems += [f"extra {name}: shape {shape} is not a variable of the graph"
                 for name, shape in sorted(found_shapes.items())
                 if name not in wanted and is_model_variable_name(name)]
    for name in sorted(set(wanted) & set(found_shapes)):
        shape, dtype = wanted[name]
        if found_shapes[name] != shape:
            problems.append(f"shape mismatch {name}: expected {shape}, found {found_shapes[name]}")
        elif found_dtypes[name] != dtype:
            problems.append(f"dtype mismatch {name}: expected {dtype.name}, found {found_dtypes[name].name}")
    return problems


def read_checkpoint_weights(key, source, endpoints=None):
    """Reads the model weights of `key` from a Saver prefix or model_dir; CheckpointWeights.

    The names and shapes expected come from the legacy graph (`endpoints`, or one built
    here and thrown away). WeightTransferError lists every misfit; ValueError when
    `source` is no checkpoint.
    """
    checkpoint = resolve_checkpoint(source)
    if endpoints is None:
        with tf.Graph().as_default():
            endpoints = registry.legacy_module(key).build_graph(recipes.get_recipe(key))
    expected = expected_variables(endpoints)
    try:
        reader = tf.train.load_checkpoint(checkpoint)
        found_shapes = {name: tuple(shape) for name, shape in reader.get_variable_to_shape_map().items()}
        problems = checkpoint_problems(expected, found_shapes, reader.get_variable_to_dtype_map())
        if problems:
            raise transfer.WeightTransferError(
                f"checkpoint {checkpoint} does not fit the {key} TF1 graph (a checkpoint of "
                f"another model?):\n  " + "\n  ".join(problems))
        weights = {layer: [reader.get_tensor(name) for name, _, _ in entries]
                   for layer, entries in expected.items()}
    # A corrupt index raises an OpError; a truncated data file an IndexError ("Read less bytes").
    except (tf.errors.OpError, IndexError) as error:
        raise ValueError(f"{source}: not a readable TF1 checkpoint: {error}") from error
    names = {layer: [name for name, _, _ in entries] for layer, entries in expected.items()}
    skipped = sorted(name for name in found_shapes if not is_model_variable_name(name))
    return CheckpointWeights(checkpoint, weights, names, skipped)


# --- The TF1 graph: restore, run, save --------------------------------------------------

@contextlib.contextmanager
def legacy_session(key):
    """The legacy graph of `key` in a fresh tf.Graph, with a session; yields (session, endpoints)."""
    graph = tf.Graph()
    with graph.as_default():
        endpoints = registry.legacy_module(key).build_graph(recipes.get_recipe(key))
        with tf.Session(graph=graph) as session:
            yield session, endpoints


def model_variables(endpoints):
    """The graph's model variables, flat, in layer order."""
    return [variable for variables in endpoints.variables.values() for variable in variables]


def restored_logits(session, endpoints, checkpoint, images):
    """Logits of a legacy graph (inside legacy_session) restored from `checkpoint` by a Saver."""
    # Only the model's variables: the checkpoint may hold optimizer state too.
    tf.train.Saver(var_list=model_variables(endpoints)).restore(session, checkpoint)
    return session_loop.predict_logits(session, endpoints, images)


def write_checkpoint(session, endpoints, weights, prefix):
    """Saves `{layer: [arrays]}` as a Saver checkpoint of a legacy graph (inside
    legacy_session), with global_step 0, which an Estimator restores with the model;
    returns {layer: [TF1 names]}."""
    global_step = tf.train.get_or_create_global_step()
    session.run(global_step.initializer)  # set_legacy_weights initializes the others
    transfer.set_legacy_weights(session, endpoints, weights)
    saver = tf.train.Saver(var_list=[*model_variables(endpoints), global_step])
    # write_state=False: the state file is written once the files are in place.
    saver.save(session, prefix, write_state=False)
    return {layer: [variable.op.name for variable in variables]
            for layer, variables in endpoints.variables.items()}


# --- The Keras side -----------------------------------------------------------------------

def build_twin(key):
    """The Keras twin of `key` (Sequential, uncompiled)."""
    return registry.keras_module(key).build_model(recipes.get_recipe(key))


def keras_logits(model, images):
    """Logits of a Keras model, with XLA off as for the parity checks (TF1's kernels)."""
    model.jit_compile = False
    return training.predict_logits(model, images)


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


def load_keras_model(key, path):
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
    if path.endswith(".weights.h5"):
        try:
            twin.load_weights(path)
        except (ValueError, TypeError, OSError, KeyError) as error:
            raise ValueError(f"{path}: cannot load it as the {key} Keras twin: {error}") from error
        model = twin
    else:
        model = keras_files.load_keras_model(path)  # the kit's one safe-mode loader
    transfer.check_weights(expected_shapes, transfer.keras_weights(model), target)
    return model


def keras_training_state(model):
    """Paths of a loaded model's optimizer variables (a compiled `.keras` keeps them): a TF1
    checkpoint of the legacy graph has no place for them, so they are skipped."""
    optimizer = getattr(model, "optimizer", None)
    return [variable.path for variable in optimizer.variables] if optimizer is not None else []


def keras_weight_names(model):
    """{layer: ["layer/weight", ...]}, parallel to transfer.keras_weights(model)."""
    return {layer.name: [f"{layer.name}/{weight.name}" for weight in layer.weights]
            for layer in model.layers if layer.weights}


def mapping(tf1_names, keras_names, weights):
    """(TF1 name, Keras name, shape) of each mapped variable, in layer order."""
    return [(tf1_name, keras_name, tuple(array.shape))
            for layer in tf1_names
            for tf1_name, keras_name, array in zip(tf1_names[layer], keras_names[layer], weights[layer])]


# --- Writing next to DESTINATION, then moving into place ----------------------------------

@contextlib.contextmanager
def staging_directory(destination):
    """A temporary directory beside `destination`, removed on exit whatever happens.

    Same directory, so the final os.replace is a rename on one file system.
    """
    directory = os.path.dirname(os.path.abspath(destination))
    if not os.path.isdir(directory):
        raise OSError(f"cannot write {destination}: directory {directory} does not exist "
                      "(or is not a directory)")
    try:
        staging = tempfile.mkdtemp(dir=directory, prefix=".tmp-convert-")
    except OSError as error:
        raise OSError(f"cannot write {destination}: directory {directory} is not writable "
                      f"({error.strerror})") from error
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def require_verified(result):
    """Raises VerificationError unless the result's logits agree within FORWARD_ATOL."""
    if not result.passed:
        raise VerificationError(
            f"{result.destination} not written: max logit difference {result.max_difference:.3e} on "
            f"{result.images} test images exceeds {tolerances.FORWARD_ATOL:g}", result)


def verification_images(key):
    """The first FORWARD_IMAGES real test images, shaped for the model."""
    return training_data.load_training_data(recipes.get_recipe(key)).test_images[:tolerances.FORWARD_IMAGES]


def write_keras_file(key, model, path):
    """Saves `model` as `path` (`.keras`: the whole model; `.weights.h5`: its weights) and
    returns what a user would load back from it."""
    if path.endswith(".weights.h5"):
        model.save_weights(path)
        written = build_twin(key)
        written.load_weights(path)
        return written
    model.save(path)
    return keras.saving.load_model(path, safe_mode=True)


def checkpoint_to_keras(key, source, destination):
    """TF1 checkpoint (prefix or model_dir) -> `.keras` / `.weights.h5`; ConversionResult."""
    images = verification_images(key)
    with staging_directory(destination) as staging:  # first: an unwritable DST fails fast
        with legacy_session(key) as (session, endpoints):
            checkpoint = read_checkpoint_weights(key, source, endpoints)
            expected = restored_logits(session, endpoints, checkpoint.path, images)
        model = build_twin(key)
        transfer.set_keras_weights(model, checkpoint.weights)
        staged = os.path.join(staging, os.path.basename(destination))  # Keras checks the suffix
        written = write_keras_file(key, model, staged)
        result = ConversionResult(
            key, checkpoint.path, destination,
            mapping(checkpoint.names, keras_weight_names(model), checkpoint.weights),
            checkpoint.skipped, closeness.max_abs_diff(keras_logits(written, images), expected),
            len(images))
        require_verified(result)
        os.replace(staged, destination)
    return result


def checkpoint_prefix(destination):
    """DESTINATION as a Saver prefix: an existing directory gets ESTIMATOR_CHECKPOINT_NAME."""
    if os.path.isdir(destination):
        return os.path.join(destination, ESTIMATOR_CHECKPOINT_NAME)
    name = os.path.basename(destination)
    if not name or name.endswith((".index", ".meta")) or ".data-" in name:
        raise ValueError(f"{destination}: expected a checkpoint prefix (e.g. DIR/model.ckpt) or an "
                         "existing directory, not one of a checkpoint's files")
    return destination


def move_checkpoint(staged_prefix, prefix):
    """Moves a Saver checkpoint's files into place and points the `checkpoint` state file at it.

    Each file is replaced atomically; the set is not, so the order keeps readers safe: the
    data and meta files first, the index (what makes the prefix a checkpoint) after them,
    the state file (what latest_checkpoint reads) last. A crash part-way leaves no state
    file naming a half-moved new checkpoint; over an old one at the same prefix, an old
    index beside new data fails its checksums when read rather than loading wrong values.
    """
    staging = os.path.dirname(staged_prefix)
    stem = os.path.basename(staged_prefix)
    files = sorted(os.listdir(staging), key=lambda name: name.endswith(".index"))
    for name in files:
        if name.startswith(stem + "."):
            os.replace(os.path.join(staging, name), prefix + name[len(stem):])
    directory = os.path.dirname(os.path.abspath(prefix))
    state = tf.train.get_checkpoint_state(directory)
    earlier = [path for path in (state.all_model_checkpoint_paths if state else [])
               if os.path.abspath(os.path.join(directory, path)) != os.path.abspath(prefix)]
    # A path relative to the directory, so the directory can move (TF reads it either way).
    tf.train.update_checkpoint_state(directory, os.path.basename(prefix),
                                     all_model_checkpoint_paths=[*earlier, os.path.basename(prefix)])


def keras_to_checkpoint(key, source, destination):
    """`.keras` / `.weights.h5` of the twin -> TF1 Saver checkpoint; ConversionResult."""
    prefix = checkpoint_prefix(destination)
    images = verification_images(key)
    with staging_directory(prefix) as staging:  # first: an unwritable DST fails fast
        model = load_keras_model(key, source)
        weights = transfer.keras_weights(model)
        expected = keras_logits(model, images)
        staged = os.path.join(staging, os.path.basename(prefix))
        with legacy_session(key) as (session, endpoints):
            tf1_names = write_checkpoint(session, endpoints, weights, staged)
            # Read back from disk: restoring assigns every model variable from the written files.
            tf1_logits = restored_logits(session, endpoints, staged, images)
        result = ConversionResult(
            key, source, prefix, mapping(tf1_names, keras_weight_names(model), weights),
            keras_training_state(model), closeness.max_abs_diff(tf1_logits, expected), len(images))
        require_verified(result)
        move_checkpoint(staged, prefix)
    return result
