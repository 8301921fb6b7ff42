"""What a layer matcher may ask about a captured TF1 graph: variables, scopes, initial values, feeds.

Every matcher (a construct's `@pattern`, tf1_to_keras/porting/constructs/) has one signature,
`match(tensor, context) -> (specs.LayerSpec, input_tensor) | None`: the layer whose output
is `tensor` and the tensor feeding it (a list of tensors for a layer with several inputs).
`RecognitionContext` is the `context`: read-only views of the graph that matchers share.
"""

import dataclasses
import math

import numpy as np
import tensorflow as tf

from tf1_to_keras.porting import constant_folding, specs
from tf1_to_keras.porting.graph_ops import PASS_THROUGH_TYPES, VARIABLE_TYPES  # noqa: F401 (model_finding reads them here)


@dataclasses.dataclass
class RecognitionContext:
    """The graph being recognised and what is known about it.

    `feeds`: the captured training run's scalar/bool feeds ({"keep_prob:0": 0.5});
    `input_tensors`: names of the model inputs, where the backward walk stops;
    `variable_shapes`: {variable name without ":0": shape tuple} of every global variable;
    `path_ops`: names of the ops on the paths from the inputs to the output.
    """

    graph: tf.Graph
    feeds: dict = dataclasses.field(default_factory=dict)
    input_tensors: set = dataclasses.field(default_factory=set)
    variable_shapes: dict = dataclasses.field(default_factory=dict)
    path_ops: set = dataclasses.field(default_factory=set)

    def on_path(self, tensor):
        """True when `tensor` depends on a model input and feeds the output."""
        return tensor.name in self.input_tensors or tensor.op.name in self.path_ops

    def ops_between(self, output, inputs):
        """Names of the ops computing `output` from `inputs` (a tensor or a list): those on
        the model path that are not before the inputs; the layer a matcher found stands for them."""
        inputs = inputs if isinstance(inputs, (list, tuple)) else [inputs]
        stop = {tensor.op.name for tensor in inputs}
        found, pending = set(), [output.op]
        while pending:
            op = pending.pop()
            if op.name in found or op.name in stop or op.name not in self.path_ops:
                continue
            found.add(op.name)
            pending.extend(tensor.op for tensor in op.inputs)
            pending.extend(op.control_inputs)
        return found

    def variable_of(self, tensor):
        """The variable name when `tensor` reads a variable (through Identity/Enter/Switch), else None."""
        op = tensor.op
        while op.type in PASS_THROUGH_TYPES and op.inputs:
            op = op.inputs[0].op
        return op.name if op.type in VARIABLE_TYPES else None

    def producer(self, tensor, *types):
        """The op making `tensor` (Identity ops skipped) when its type is one of `types`."""
        op = tensor.op
        while op.type == "Identity" and op.inputs:
            op = op.inputs[0].op
        return op if op.type in types else None

    def scope_of(self, name):
        """The name scope of an op or variable: "conv1/weights" -> "conv1", "Relu" -> ""."""
        return name.rpartition("/")[0]

    def constant_value(self, tensor):
        """The NumPy value of `tensor` when it depends on constants only (`1 - 0.99`), else None."""
        op = self.producer(tensor, "Const")
        if op is not None:
            return tf.make_ndarray(op.get_attr("value"))
        if not _constant_only(tensor):
            return None
        return constant_folding.evaluate(tensor)  # no Session: one per read copies the whole graph

    def feed_value(self, tensor):
        """The captured training feed of a placeholder tensor, else None."""
        return self.feeds.get(tensor.name)

    def initializer_of(self, variable):
        """A KerasObject for the variable's initial value (Zeros, Constant, TruncatedNormal,
        GlorotUniform, ...) read from its initializer subgraph, or None when not recognised."""
        value = _initial_value(self.graph, variable)
        if value is None:
            return None
        shape = self.variable_shapes.get(variable, ())
        for reader in (_filled, _truncated_normal, _random_uniform, _random_normal):
            found = reader(self, value, shape)
            if found is not None:
                return found
        return None


def clean_float(value):
    """A float32 number as written in the program (0.1, not 0.10000000149011612)."""
    return float(str(np.float32(value)))


_CONSTANT_OPS = frozenset((
    "Const", "Identity", "Add", "AddV2", "Sub", "Mul", "RealDiv", "Neg", "Cast", "Sqrt", "Fill",
    "Pack", "Reshape", "Maximum", "Minimum"))


def _constant_only(tensor, limit=32):
    """True when `tensor` is computed from Const ops by a few arithmetic ops."""
    pending, seen = [tensor.op], set()
    while pending:
        op = pending.pop()
        if op.type not in _CONSTANT_OPS or len(seen) > limit:
            return False
        seen.add(op.name)
        pending.extend(t.op for t in op.inputs if t.op.name not in seen)
    return True


def _initial_value(graph, variable):
    """The tensor the variable's initializer assigns (`var/Assign`'s value: the first assignment
    made, by op id, among the variable's consumers, not a scan of the graph per variable), or None."""
    try:
        handle = graph.get_operation_by_name(variable)
    except KeyError:
        return None
    assignments = [op for tensor in handle.outputs for op in tensor.consumers()
                   if op.type in ("Assign", "AssignVariableOp") and op.inputs[0].op is handle]
    return min(assignments, key=lambda op: op._id).inputs[1] if assignments else None  # pylint: disable=protected-access


def _filled(context, tensor, shape):
    """Const or Fill(dims, value) of one value: Zeros, Ones or Constant(value)."""
    op = context.producer(tensor, "Const", "Fill")
    if op is None:
        return None
    values = context.constant_value(op.outputs[0] if op.type == "Const" else op.inputs[1])
    if values is None or values.size == 0 or not np.all(values == values.flat[0]):
        return None
    value = clean_float(values.flat[0])
    if value == 0:
        return specs.KerasObject("keras.initializers.Zeros")
    if value == 1:
        return specs.KerasObject("keras.initializers.Ones")
    return specs.KerasObject("keras.initializers.Constant", {"value": value})


def _scaled(context, tensor, sampler_type):
    """(sampler op, scale, offset) of `sampler * scale + offset` (TF1's random initializers)."""
    add = context.producer(tensor, "Add", "AddV2")
    if add is None:
        return None
    offset = context.constant_value(add.inputs[1])
    mul = context.producer(add.inputs[0], "Mul")
    if offset is None or mul is None:
        return None
    scale = context.constant_value(mul.inputs[1])
    sampler = context.producer(mul.inputs[0], sampler_type)
    if sampler is None or scale is None:
        return None
    return sampler, float(scale), float(offset)


def _normal(context, tensor, sampler_type, keras_class):
    """sampler * stddev + mean as keras.initializers.<keras_class>(mean=..., stddev=...)."""
    found = _scaled(context, tensor, sampler_type)
    if found is None:
        return None
    _, stddev, mean = found
    kwargs = {"mean": clean_float(mean), "stddev": clean_float(stddev)} if mean else {
        "stddev": clean_float(stddev)}
    return specs.KerasObject(f"keras.initializers.{keras_class}", kwargs)


def _truncated_normal(context, tensor, shape):
    return _normal(context, tensor, "TruncatedNormal", "TruncatedNormal")


def _random_normal(context, tensor, shape):
    return _normal(context, tensor, "RandomStandardNormal", "RandomNormal")


def _fans(shape):
    """(fan_in, fan_out) as TF1's and Keras' Glorot initializers count them: a 1-D shape (a bias
    made by get_variable's default initializer) is its own fan in and out."""
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
    return shape[-2] * receptive, shape[-1] * receptive


def _random_uniform(context, tensor, shape):
    """RandomUniform * (max - min) + min; GlorotUniform when the limit is Glorot's for `shape`."""
    found = _scaled(context, tensor, "RandomUniform")
    if found is None:
        return None
    _, width, minval = found
    if shape and math.isclose(-minval, width / 2, rel_tol=1e-6):
        fan_in, fan_out = _fans(shape)
        if math.isclose(-minval, math.sqrt(6.0 / (fan_in + fan_out)), rel_tol=1e-5):
            return specs.KerasObject("keras.initializers.GlorotUniform")
    return specs.KerasObject("keras.initializers.RandomUniform",
                             {"minval": clean_float(minval), "maxval": clean_float(minval + width)})
