"""TF1 checkpoints as files, for any graph: resolve a Saver prefix or model_dir, tell model
weights from training state, name a DESTINATION's prefix, and move staged files into place."""

import os

import legacy_tf1.compat as tf
from tf1_to_keras.harness import training_state

# The name an Estimator gives the checkpoint of step 0 (a directory DESTINATION gets it).
ESTIMATOR_CHECKPOINT_NAME = "model.ckpt-0"
# TF2-style checkpoints' object-graph metadata: no variable at all, skipped like training state.
OBJECT_GRAPH = "_CHECKPOINTABLE_OBJECT_GRAPH"


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


def non_model_names(names):
    """The checkpoint entries among `names` that are not model weights: training state as the
    harness knows it (harness.training_state: optimizer slots, global_step, Adam's beta
    powers, optimize_loss's learning rate) and TF2-style object-graph metadata."""
    names = list(names)
    return set(training_state.split_training_state(names)[1]) | ({OBJECT_GRAPH} & set(names))


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
