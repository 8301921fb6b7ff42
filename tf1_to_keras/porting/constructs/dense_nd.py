"""Construct: a fully connected layer on the last axis of a 3-D (or higher) input -> Dense(units).

TF1 wrote it as reshape-matmul-reshape, by hand (`tf.reshape(tf.matmul(tf.reshape(x, [-1, F]),
W), [-1, T, units])`) or through `tf.tensordot(x, W, [[2], [0]])`, which tf.layers.dense
builds for such inputs (an identity Transpose first); + b and an activation as for Dense, after
the outer reshape or before it (`tf.reshape(tf.layers.dense(tf.reshape(x, [-1, F]), units), [-1, T, units])`).
Keras' Dense applies its kernel to the last axis of any input, as TimeDistributed(Dense) would.
"""

from tf1_to_keras.porting import graph_ops, specs
from tf1_to_keras.porting.constructs import pattern


def _permutation(tensor, context):
    """A Transpose's permutation: a constant, or tensordot's concat of constants; else None."""
    value = context.constant_value(tensor)
    concat = None if value is not None else context.producer(tensor, "ConcatV2")
    if concat is not None:
        parts = [context.constant_value(part) for part in concat.inputs[:-1]]
        value = None if any(part is None for part in parts) else [int(v) for part in parts for v in part.reshape(-1)]
    return None if value is None else [int(v) for v in value]


def _flattened_input(tensor, context, features):
    """x of `reshape(transpose?(x, identity), [-1, features])`, x of rank >= 3 and `features` its
    last axis, else None (tensordot's target shape is computed: its static shape may be unknown)."""
    reshape = context.producer(tensor, "Reshape")
    if reshape is None:
        return None
    x = reshape.inputs[0]
    transpose = context.producer(x, "Transpose")
    if transpose is not None:  # tensordot's identity transpose; another one (dynamic_rnn's) is x itself
        perm = _permutation(transpose.inputs[1], context)
        x = transpose.inputs[0] if perm is not None and perm == list(range(len(perm))) else x
    flat, shape = reshape.outputs[0].shape, x.shape
    if shape.rank is None or shape.rank < 3 or shape[-1] != features:
        return None
    if flat.rank != 2 or flat[1] not in (None, features):
        return None
    return x


@pattern(52, "before Dense and Reshape: the MatMul and both Reshapes are this layer's")
def match_dense_nd(tensor, context):
    """act(reshape(matmul(reshape(x, [-1, F]), W), [-1, ..., units]) + b), or the bias and activation
    inside the outer reshape (tf.layers.dense of the flattened rows) -> Dense(units)."""
    activation, before = graph_ops.peel_activation(tensor, context)
    bias, before = graph_ops.peel_bias(before, context)
    outer = context.producer(before, "Reshape")
    inside = outer and outer.inputs[0]
    if outer is not None and activation is None and bias is None:  # tf.layers.dense on the flat rows
        activation, inside = graph_ops.peel_activation(inside, context)
        bias, inside = graph_ops.peel_bias(inside, context)
    matmul = outer and context.producer(inside, "MatMul")
    if matmul is None or matmul.get_attr("transpose_a") or matmul.get_attr("transpose_b"):
        return None
    variable = context.variable_of(matmul.inputs[1])
    features, units = context.variable_shapes[variable] if variable else (None, None)
    x = variable and _flattened_input(matmul.inputs[0], context, features)
    if x is None or not context.on_path(x):
        return None
    if outer.outputs[0].shape.as_list()[1:] != [*x.shape.as_list()[1:-1], units]:
        return None  # the outer reshape must give back x's leading axes
    kernel = specs.WeightSource("kernel", variable)
    return graph_ops.weighted_spec(tensor, context, "Dense", matmul, (kernel, bias), activation,
                                   {"units": int(units)}), x
