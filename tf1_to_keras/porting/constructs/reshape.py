"""Construct: `tf.reshape` keeping the batch -> Flatten (to (batch, -1)) or Reshape(target_shape)."""

import numpy as np

from tf1_to_keras.porting import graph_ops, specs
from tf1_to_keras.porting.constructs import pattern


def target_shape(op, context):
    """The Reshape's target shape as a list (-1 for the batch), or None when not constant."""
    value = context.constant_value(op.inputs[1])
    if value is not None:
        return [int(size) for size in value]
    packed = context.producer(op.inputs[1], "Pack")
    if packed is None:
        return None
    # [tf.shape(x)[0], ...]: the batch size read from the input, the rest constant.
    rest = [context.constant_value(part) for part in packed.inputs[1:]]
    if any(value is None for value in rest):
        return None
    return [-1] + [int(value) for value in rest]


@pattern(40, "after the constructs whose own Reshapes they are (contrib's 2-D batch norm)")
def match_reshape(tensor, context):
    """Reshape to (batch, -1)-flat -> Flatten; another Reshape keeping the batch -> Reshape."""
    op = context.producer(tensor, "Reshape")
    if op is None:
        return None
    target = target_shape(op, context)
    source = op.inputs[0].shape
    if target is None or target[0] not in (-1, None) or -1 in target[1:] and len(target) > 2:
        return None
    flat_size = np.prod(source[1:]) if source.rank and None not in source[1:] else None
    name = graph_ops.short_scope(context, op.name)
    if len(target) == 2 and source.rank and source.rank > 2 and target[1] in (-1, flat_size):
        return specs.LayerSpec(name=name, keras_class="Flatten", tf1_output=tensor.name), op.inputs[0]
    shape = tuple(target[1:])
    return specs.LayerSpec(name=name, keras_class="Reshape", config={"target_shape": shape},
                           tf1_output=tensor.name), op.inputs[0]
