"""The value of a small constant subgraph (`1 - 0.99`, `sqrt(2 / fan_in)`), in NumPy.

Recognition reads settings a program computed from constants (a batch norm's momentum, an
initializer's scale) many times per graph. A Session made for each read copies the whole
graph into the runtime each time: a ResNet-50's 5,000 ops, a thousand reads, minutes. The
ops recognition_context._constant_only admits are a handful of elementwise ones, computed
here in the tensor's own dtype (IEEE float32 like TF's CPU kernels, so the same numbers).
"""

import numpy as np
import tensorflow as tf

_BINARY = {"Add": np.add, "AddV2": np.add, "Sub": np.subtract, "Mul": np.multiply,
           "RealDiv": np.divide, "Maximum": np.maximum, "Minimum": np.minimum}
_UNARY = {"Identity": lambda value: value, "Neg": np.negative, "Sqrt": np.sqrt}


def evaluate(tensor):
    """The NumPy value of `tensor`, computed from Const ops by the ops above; ValueError
    naming an op of another type."""
    values = {}
    return _value(tensor, values)


def _value(tensor, values):
    op = tensor.op
    if op.name in values:
        return values[op.name]
    inputs = [_value(operand, values) for operand in op.inputs]
    dtype = tensor.dtype.as_numpy_dtype
    with np.errstate(all="ignore"):  # 1/0 is inf in TF too
        result = _compute(op, inputs, dtype)
    values[op.name] = np.asarray(result, dtype=dtype)
    return values[op.name]


def _compute(op, inputs, dtype):
    if op.type == "Const":
        return tf.make_ndarray(op.get_attr("value"))
    if op.type in _BINARY:
        return _BINARY[op.type](inputs[0].astype(dtype), inputs[1].astype(dtype))
    if op.type in _UNARY:
        return _UNARY[op.type](inputs[0])
    if op.type == "Cast":
        return inputs[0].astype(dtype)
    if op.type == "Fill":
        return np.full(tuple(inputs[0].tolist()), inputs[1], dtype)
    if op.type == "Pack":
        return np.stack(inputs, axis=op.get_attr("axis"))
    if op.type == "Reshape":
        return np.reshape(inputs[0], tuple(inputs[1].tolist()))
    raise ValueError(f"constant_folding: op {op.name} of type {op.type} is not folded here")
