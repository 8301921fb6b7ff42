"""TF1 checkpoints of the kit's programs (by model key): read and write.

Reading maps a checkpoint's variables onto the legacy graph of a model key by their
TF1 names and reports what is not model weights (optimizer slots, global_step...);
writing saves weights as a Saver checkpoint of that graph. Resolving a checkpoint, telling
training state apart and moving staged files into place are the library's, for any model
(tf1_to_keras.conversion.checkpoint_files).
"""

import contextlib
import dataclasses

import legacy_tf1.compat as tf
from mnist_core import recipes
from mnist_parity import registry, transfer
from tf1_to_keras.conversion import checkpoint_files


@dataclasses.dataclass
class CheckpointWeights:
    """What `read_checkpoint_weights` found: weights by layer, and what it left out."""

    path: str  # the checkpoint prefix read
    weights: dict  # {layer: [arrays]} in Keras weight order
    names: dict  # {layer: [TF1 variable names]}, parallel to `weights`
    skipped: list  # checkpoint entries that are not model weights


# --- Reading ------------------------------------------------------------------------------

def expected_variables(endpoints):
    """{layer: [(TF1 name, shape, dtype)]} of a legacy graph's GraphEndpoints."""
    return {layer: [(variable.op.name, tuple(variable.shape.as_list()), variable.dtype.base_dtype)
                    for variable in variables]
            for layer, variables in endpoints.variables.items()}


def checkpoint_problems(expected, found_shapes, found_dtypes):
    """Each missing, extra, shape- or dtype-mismatched variable, as one line."""
    wanted = {name: (shape, dtype) for entries in expected.values() for name, shape, dtype in entries}

    def dtype_mismatch(name):
        dtype = wanted[name][1]
        if found_dtypes[name] != dtype:
            return f"dtype mismatch {name}: expected {dtype.name}, found {found_dtypes[name].name}"
        return None

    # Training state is no extra variable: it is skipped (and reported) instead.
    skipped = checkpoint_files.non_model_names(found_shapes)
    return transfer.fit_problems({name: shape for name, (shape, _) in wanted.items()}, found_shapes,
                                 "shape", "is not a variable of the graph",
                                 counts_as_extra=lambda name: name not in skipped,
                                 other_mismatch=dtype_mismatch)


def read_checkpoint_weights(key, source, endpoints=None):
    """Reads the model weights of `key` from a Saver prefix or model_dir; CheckpointWeights.

    The names and shapes expected come from the legacy graph (`endpoints`, or one built
    here and thrown away). WeightTransferError lists every misfit; ValueError when
    `source` is no checkpoint.
    """
    checkpoint = checkpoint_files.resolve_checkpoint(source)
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
    skipped = sorted(checkpoint_files.non_model_names(found_shapes))
    return CheckpointWeights(checkpoint, weights, names, skipped)


# --- The TF1 graph, and writing ---------------------------------------------------------

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
