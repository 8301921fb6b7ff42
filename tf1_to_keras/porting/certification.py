"""The staged port held to the captured TF1 graph: the harness's checks, and what they need.

    with verification.tf1_model(captured, recognised) as tf1:
        result, keras_side = verification.verify(staging, recognised, tf1, values, seed, x)

* `tf1_model`: the captured graph restored from its checkpoint (harness.TF1Model), with the
  recognised layers' outputs as taps, the captured run's scalar feeds as the training feed,
  and an inference feed that turns dropout off: keep_prob-like floats 1.0, bools
  (is_training) False, and a constant-rate dropout (an Estimator's TRAIN-mode graph drops
  on every run) fed rate 0 and scale 1; for the forward check, that graph's training-mode
  batch norms run on their moving statistics (inference_view).
* `verify`: the staged model.py imported by path into a namespace of its own, built, its
  weights file loaded and compared bitwise with the converted TF1 variables, then the
  harness's `check_structure` and `check_forward` through the specs' name map.
* `training_check`: the harness's training-step check (training_parity) when the
  program's optimizer has a Keras twin, its scalar loss (`scalar_loss`) and labels known,
  run with the staged model.py's own `training_setup()` (optimizer and loss): what the
  user runs is what was checked.
"""

import dataclasses
import importlib.util
import os
import re
import sys

import keras
import numpy as np
import tensorflow as tf

from tf1_to_keras import harness
from tf1_to_keras.harness import data, tolerances
from tf1_to_keras.porting import forward_chunks, inference_view, training_codegen, training_parity, weights
from tf1_to_keras.porting.constructs import batch_norm

MODEL, WEIGHTS = "model.py", "model.weights.h5"
TRAINING_BATCH_SIZE = 32  # the training-step check's batches, unless the input fixes one or x is fewer
GRADIENT_SCOPE = re.compile(r"^(?:.*/)?gradients(?:_\d+)?/(?P<op>.+)_grad/")  # tf.gradients' ops
GRADIENT_OP = re.compile(r"(?:^|/)gradients(?:_\d+)?/")


def scalar_loss(graph, loss):
    """The scalar the program minimises, from the loss tensor recognition found (a per-example
    cross-entropy): the last scalar downstream of it that gradients flow back through (an op
    with a `gradients/OP_grad/` scope), itself when it is that scalar; "" when none."""
    differentiated = {match["op"] for match in map(GRADIENT_SCOPE.match, (op.name for op in
                                                                          graph.get_operations())) if match}
    queue, seen, found = [graph.get_tensor_by_name(loss)], set(), ""
    while queue:
        tensor = queue.pop(0)
        if tensor.shape.ndims == 0 and tensor.dtype.is_floating and tensor.op.name in differentiated:
            found = tensor.name
        for op in tensor.consumers():
            if op.name not in seen and not GRADIENT_OP.search(op.name):
                seen.add(op.name)
                queue.extend(op.outputs)
    return found


@dataclasses.dataclass
class Verification:
    """What checking the staged model found: the harness's results, the weights-file check."""

    structure: object
    forward: object
    weight_failures: list

    @property
    def failures(self):
        return [*self.weight_failures, *self.structure.failures, *self.forward.failures]


def load_model_module(path):
    """The module at `path`, executed in a namespace of its own (not in sys.modules); the files
    beside it (tf1_optimizers.py) importable while it loads, as when a person runs it there."""
    spec = importlib.util.spec_from_file_location(f"ported_model_{id(path)}", path)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    sys.modules.pop(training_codegen.TWINS_MODULE, None)  # another port's copy: not this one
    registered = dict(keras.saving.get_custom_objects())  # the copy re-registers the kit's names
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.pop(0)
        sys.modules.pop(training_codegen.TWINS_MODULE, None)
        keras.saving.get_custom_objects().update(registered)
    return module


def build_staged(staging, seed):
    """The staged model.py's `build_model()`, as a person would call it."""
    keras.utils.set_random_seed(seed)
    return load_model_module(os.path.join(staging, MODEL)).build_model()


def feeds(captured):
    """(training feed, inference feed) by tensor name: the captured run's scalar feeds, and
    for inference keep_prob-like floats at 1.0 and bools (is_training) False."""
    inference = {name: (False if isinstance(value, bool) else 1.0)
                 for name, value in captured.feeds.items() if isinstance(value, (bool, float))}
    return dict(captured.feeds), inference


def constant_dropout_feed(graph, recognised):
    """{tensor: value} that make each constant-rate dropout of the graph the identity, as
    Keras' Dropout is at inference: an Estimator's TRAIN-mode graph (the one captured)
    drops units on every run. `SelectV2(uniform >= rate, x * scale, 0)`: the rate fed 0
    keeps every unit, the scale fed 1 leaves them as they are. Dropouts a placeholder
    controls (keep_prob, is_training) are left to the inference feed."""
    feed = {}
    for layer in [layer for layer in recognised.layers if layer.keras_class == "Dropout"]:
        ops = {op.type: op for op in map(graph.get_operation_by_name, layer.tf1_ops)}
        select = ops.get("SelectV2") or ops.get("Select")  # its mask's GreaterEqual is off the path
        compare, multiply = ops.get("GreaterEqual") or (select and select.inputs[0].op), ops.get("Mul")
        if (compare is None or compare.type != "GreaterEqual" or multiply is None
                or compare.inputs[1].op.type != "Const"):
            continue
        feed[compare.inputs[1]] = 0.0
        feed.update({tensor: 1.0 for tensor in multiply.inputs if tensor.op.type == "Const"})
    return feed


def noise_off_feed(graph, recognised):
    """{tensor: 0.0} for the constant factors of each GaussianNoise layer's noise (`x + 0.2 *
    random_normal(...)`: TF1 adds it on every run), so TF1 computes what Keras' GaussianNoise
    does at inference (and in the training-step check, where Keras' stddev is 0 too)."""
    feed = {}
    for layer in [layer for layer in recognised.layers if layer.keras_class == "GaussianNoise"]:
        for op in map(graph.get_operation_by_name, layer.tf1_ops):
            if op.type == "Mul":
                feed.update({tensor: 0.0 for tensor in op.inputs if tensor.op.type == "Const"})
    return feed


def tf1_model(captured, recognised, training=False):
    """The captured graph restored from its checkpoint, with the layers' taps and feeds (and
    with `training`, the loss and labels the training check needs)."""
    training_feed, inference_feed = feeds(captured)
    inputs = (recognised.inputs[0].tf1_tensor if len(recognised.inputs) == 1
              else {spec.name: spec.tf1_tensor for spec in recognised.inputs})
    loss_and_labels = {"labels": recognised.labels, "loss": recognised.loss} if training else {}
    meta_graph = captured.meta_graph
    if not training:  # batch norm on its moving statistics, as at inference (inference_view)
        meta_graph, switched = inference_view.inference_meta_graph(meta_graph, captured.directory)
        recognised.notes += [inference_view.note(switched)] if switched else []
    tf1 = harness.TF1Model.from_checkpoint(
        captured.checkpoint, inputs, recognised.output, meta_graph=meta_graph,
        layers={layer.name: layer.tf1_output for layer in recognised.layers if layer.tf1_output},
        training_feed=training_feed, inference_feed=inference_feed, **loss_and_labels)
    tf1.endpoints.inference_feed.update(constant_dropout_feed(tf1.graph, recognised))
    tf1.endpoints.inference_feed.update(noise_off_feed(tf1.graph, recognised))
    tf1.endpoints.inference_feed.update(training_flag_defaults(tf1.graph, inference_feed))
    tf1.leave_out(set(tf1.variable_shapes()) - weights.read_variables(recognised, tf1.variable_shapes()))  # port.json lists them
    return tf1


def training_flag_defaults(graph, fed):
    """{tensor: False} for each bool flag that defaults to True and the program never fed
    (`is_training = tf.placeholder_with_default(True, [])`, slim's batch norm and dropout
    under it): inference turns it off, as the program's own evaluation would."""
    flags = {}
    for op in graph.get_operations():
        if op.type != "PlaceholderWithDefault" or op.get_attr("dtype") != tf.bool:
            continue
        default = op.inputs[0].op
        if (op.outputs[0].name not in fed and default.type == "Const"
                and default.get_attr("value").bool_val == [True]):
            flags[op.outputs[0]] = False
    return flags


def fixed_batch(tf1):
    """The batch size the TF1 input placeholder is built for ([100, 784]), or None: any."""
    inputs = tf1.endpoints.inputs
    tensor = next(iter(inputs.values())) if isinstance(inputs, dict) else inputs
    return tensor.shape[0] if tensor.shape.ndims else None


def batched(x, size):
    """(x cut to whole batches of `size`, the batch size for the harness: `size` or 1000)."""
    if size is None:
        return x, 1000
    if len(x) < size:
        raise ValueError(f"the TF1 input takes batches of exactly {size} examples; the data has "
                         f"{len(x)}: give more with --data FILE.npz")
    return x[:len(x) // size * size], size


def verify(staging, recognised, tf1, values, seed, x):
    """The staged model.py and weights file held to the captured graph (see the docstring)."""
    x, batch_size = batched(x, fixed_batch(tf1))
    model = build_staged(staging, seed)
    model.load_weights(os.path.join(staging, WEIGHTS))
    keras_side = harness.KerasModel(model)
    mapping = weights.resolve(recognised, keras_side, values)
    weight_failures = weights.differences(mapping, values, keras_side.weights())
    name_map = weights.name_map(recognised, keras_side.weight_layers())
    structure = harness.check_structure(tf1, keras_side, name_map=name_map)
    forward = forward_chunks.chunked_forward(tf1, keras_side, x, name_map=name_map, batch_size=batch_size,
                                             fixed_batch=fixed_batch(tf1),  # memory flat on large inputs
                                             tolerances=forward_tolerances(recognised))
    return Verification(structure, forward, weight_failures), keras_side


# Deep nets with batch norm (ResNet-50's 53): the table's DEEP_BATCH_NORM_* entry says why.
DEEP_BATCH_NORM_FORWARD = harness.Tolerances.default().override(
    "a deep net's batch norms: Keras' x*inv + (beta - mean*inv) and TF1's fused (x - mean)*inv + beta "
    "round apart by ulps of |x*inv|, compounding over the layers; measured on slim's ResNet-50 v1 up "
    "to 898 float32 ulps of a tap's largest |value|, so 4096",
    forward_magnitude_rtol=tolerances.DEEP_BATCH_NORM_FORWARD_MAGNITUDE_RTOL)


def forward_tolerances(recognised):
    """The forward check's bars: the kit's, or DEEP_BATCH_NORM_FORWARD from
    tolerances.DEEP_BATCH_NORM_LAYERS batch norms on."""
    count = sum(map(batch_norm.is_batch_norm, recognised.layers))
    return DEEP_BATCH_NORM_FORWARD if count >= tolerances.DEEP_BATCH_NORM_LAYERS else None


def labels_for(tf1, y):
    """`y` (class indices) as the TF1 labels placeholder takes them: one-hot when it is (N, C)."""
    return labels_as(tf1.endpoints.labels, y)


def labels_as(labels, y):
    """`y` shaped for the TF1 `labels` tensor: one-hot when it is (N, C) and y class indices."""
    shape = labels.shape
    if np.ndim(y) == 1 and shape.ndims == 2 and shape[1] is not None:
        return np.eye(int(shape[1]), dtype=labels.dtype.as_numpy_dtype)[y]
    return y


# Batch norm in training mode: the table's BATCH_NORM_* bars (harness/tolerances.py says why;
# measured on parity_tests/library/porting/programs/layers_estimator_batch_norm.py, 5 ports). The
# forward check (inference, moving statistics) keeps the kit's bar.
BATCH_NORM_TRAINING = harness.Tolerances.default().override(
    "batch statistics and their gradients come from different kernels (TF1 FusedBatchNormV3, "
    "Keras tf.nn.moments): measured up to 1.4e-4 apart by step 2, compounding; 3 steps at 1e-3, "
    "then 5% relative",
    early_steps=tolerances.BATCH_NORM_EARLY_STEPS, early_loss_atol=tolerances.BATCH_NORM_EARLY_LOSS_ATOL)


def training_tolerances(recognised):
    """The bars of the training-step check: the kit's, or BATCH_NORM_TRAINING with a batch norm."""
    if any(map(batch_norm.is_batch_norm, recognised.layers)):
        return BATCH_NORM_TRAINING
    return None


def training_batch_size(fixed, x):
    """The training-step check's batch: the input's fixed batch, else TRAINING_BATCH_SIZE or the
    examples there are, when fewer (a small fed batch; x an array or {input name: array})."""
    return fixed or min(TRAINING_BATCH_SIZE, data.count(x))


def _chosen(optimizer, change):
    return change(optimizer) if change is not None else optimizer


def training_check(captured, recognised, keras_side, x, y, seed, staging, keras_optimizer=None):
    """(the training-step check's result or None, notes): run with the staged model.py's
    training_setup() when it has one (a faithful optimizer, a Keras loss) and the loss and
    labels were found; the notes say why it did not run. `keras_optimizer(optimizer)`, when
    given, returns the one to train with instead (a sabotaged one, in measurements and tests)."""
    optimizer = recognised.optimizer
    if optimizer is None or optimizer.keras is None:
        return None, ["training steps: not checked (no optimizer with a faithful Keras twin)"]
    if not recognised.loss or not recognised.labels:
        return None, ["training steps: not checked (the program's loss or labels were not found)"]
    module = load_model_module(os.path.join(staging, MODEL))
    if not hasattr(module, "training_setup"):
        return None, ["training steps: not checked (model.py has no training_setup(); see its comment)"]
    try:
        with tf1_model(captured, recognised, training=True) as tf1:
            return training_parity.check_ported_training(
                tf1, keras_side, recognised, x, labels_for(tf1, y), seed=seed,
                keras_optimizer_function=lambda: _chosen(module.training_setup()[0], keras_optimizer),
                keras_loss=module.training_setup()[1],
                batch_size=training_batch_size(fixed_batch(tf1), x),
                name_map=weights.name_map(recognised, keras_side.weight_layers()),
                tolerances=training_tolerances(recognised)), []
    except ValueError as error:  # no Keras loss or optimizer to train with; a loss it cannot train
        return None, [f"training steps: not checked ({str(error).rpartition('): ')[2]})"]
