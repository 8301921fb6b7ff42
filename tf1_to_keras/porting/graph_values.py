"""Values a TF1 graph holds fixed, read without running it: a tensor's source behind
Identity/Cast, the scalar a constant (or constant arithmetic) always gives, the variable a
tensor reads. optimizer_reading, schedule_reading and regularization_reading share these.
"""

import numpy as np
import tensorflow as tf

PASS_THROUGH = ("Identity", "Cast", "Snapshot")

ARITHMETIC = {"Add": np.add, "AddV2": np.add, "Sub": np.subtract, "Mul": np.multiply, "RealDiv": np.divide,
              "Maximum": np.maximum, "Minimum": np.minimum}


def source(tensor):
    """The tensor behind Identity/Cast/Snapshot ops (a cast to the variable's dtype is no-op)."""
    while tensor.op.type in PASS_THROUGH and tensor.op.inputs:
        tensor = tensor.op.inputs[0]
    return tensor


def float32_literal(value):
    """A float32 value as the shortest Python float that rounds back to it (0.001, not 0.0010000000474)."""
    return float(str(np.float32(value)))


def constant_value(tensor):
    """The scalar a tensor always holds (Const, or a Fill of one), else None."""
    tensor = source(tensor)
    op = tensor.op
    if op.type == "Fill":
        return constant_value(op.inputs[1])
    if op.type in ARITHMETIC:  # Ftrl's l2 + beta / (2 * lr): folded in float32, as the graph would
        values = [constant_value(tensor) for tensor in op.inputs]
        return None if None in values else float32_literal(ARITHMETIC[op.type](*map(np.float32, values)))
    if op.type != "Const":
        return None
    value = tf.make_ndarray(op.get_attr("value"))
    if value.size == 0 or not np.all(value == value.flat[0]):
        return None
    return float32_literal(value.flat[0]) if value.dtype == np.float32 else float(value.flat[0])


def variable_op(tensor):
    """The variable op a tensor reads (VariableV2, or VarHandleOp through ReadVariableOp), else None."""
    op = source(tensor).op
    if op.type == "ReadVariableOp":
        op = source(op.inputs[0]).op
    return op if op.type in ("VariableV2", "VarHandleOp") else None
