"""Construct: two or more model tensors combined -> Add, Subtract, Multiply, Maximum, Minimum,
Concatenate (a residual `x + f(x)`, branches joined by `tf.concat`): the model is then functional."""

from tf1_to_keras.porting import graph_ops, specs
from tf1_to_keras.porting.constructs import pattern

MERGES = {"Add": "Add", "AddV2": "Add", "Sub": "Subtract", "Mul": "Multiply",
          "Maximum": "Maximum", "Minimum": "Minimum"}


@pattern(30, "after every construct built of Add/Mul (bias adds, dropout, batch norm)")
def match_merge(tensor, context):
    """x + y, x - y, x * y, max/min of two model tensors -> Add, Subtract, Multiply, ... (functional)."""
    op = context.producer(tensor, *MERGES)
    if op is None or len(op.inputs) != 2 or not all(context.on_path(each) for each in op.inputs):
        return None
    return specs.LayerSpec(name=graph_ops.op_layer_name(context, op), keras_class=MERGES[op.type],
                           tf1_output=tensor.name), list(op.inputs)


@pattern(30, "its own op type: after the constructs that hold a ConcatV2 (RNN cells)")
def match_concatenate(tensor, context):
    """tf.concat of model tensors on a constant axis -> Concatenate(axis) (functional)."""
    op = context.producer(tensor, "ConcatV2")
    if op is None or not all(context.on_path(each) for each in op.inputs[:-1]):
        return None
    axis = context.constant_value(op.inputs[-1])
    if axis is None or axis.size != 1 or tensor.shape.rank is None:
        return None
    axis = int(axis) - tensor.shape.rank if int(axis) >= 0 else int(axis)  # Keras counts from the end
    if axis == -tensor.shape.rank:
        return None  # the batch axis: no Keras layer concatenates examples
    config = {} if axis == -1 else {"axis": axis}
    return specs.LayerSpec(name=graph_ops.op_layer_name(context, op), keras_class="Concatenate",
                           config=config, tf1_output=tensor.name), list(op.inputs[:-1])
