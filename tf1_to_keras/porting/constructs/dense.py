"""Construct: a fully connected layer, `act(x @ W + b)` -> Dense(units, activation).

`tf.matmul(x, W)` (+ `b` by Add or BiasAdd) (+ an activation), by hand, `tf.layers.dense` or
contrib's `fully_connected`; a kernel used transposed (`transpose_b`, tied decoders) is
converted through a transpose.
"""

from tf1_to_keras.harness import transforms
from tf1_to_keras.porting import graph_ops, specs
from tf1_to_keras.porting.constructs import pattern


@pattern(50, "before merges and lone activations: claims its bias Add and its activation")
def match_dense(tensor, context):
    """MatMul(x, W)(+b)(+activation) -> Dense(units, activation)."""
    found = graph_ops.weighted_layer(tensor, context, ("MatMul",))
    if found is None:
        return None
    activation, bias, op = found
    if op.get_attr("transpose_a"):
        return None
    variable = context.variable_of(op.inputs[1])
    shape = context.variable_shapes[variable]
    transposed = bool(op.get_attr("transpose_b"))
    transform = transforms.transpose() if transposed else None
    kernel = specs.WeightSource("kernel", variable, transform)
    units = shape[0] if transposed else shape[-1]
    return graph_ops.weighted_spec(tensor, context, "Dense", op, (kernel, bias), activation,
                                   {"units": int(units)}), op.inputs[0]
