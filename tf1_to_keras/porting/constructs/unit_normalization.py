"""Construct: `tf.nn.l2_normalize(x, axis)` -> UnitNormalization(axis).

TF1's graph: `x * rsqrt(maximum(reduce_sum(square(x), axis, keepdims), epsilon))`. Keras'
UnitNormalization computes `x * min(rsqrt(sum), 1e12)`: the same for any vector whose squared
norm is at least TF1's epsilon (1e-12 by default); the note says where they part.
"""

from tf1_to_keras.porting import graph_ops, specs
from tf1_to_keras.porting.constructs import pattern


def _inverse_norm_of(tensor, context):
    """(x, axes, epsilon) when `tensor` is rsqrt(maximum(sum(square(x), axes, keepdims), eps)), else None."""
    rsqrt = context.producer(tensor, "Rsqrt")
    maximum = rsqrt and context.producer(rsqrt.inputs[0], "Maximum")
    summed = maximum and context.producer(maximum.inputs[0], "Sum")
    square = summed and context.producer(summed.inputs[0], "Square")
    epsilon = maximum and context.constant_value(maximum.inputs[1])
    axes = summed and context.constant_value(summed.inputs[1])
    if square is None or epsilon is None or axes is None or not summed.get_attr("keep_dims"):
        return None
    return square.inputs[0], [int(axis) for axis in axes.reshape(-1)], float(epsilon)


@pattern(45, "before merges: the Mul of x and its inverse norm joins two model tensors")
def match_l2_normalize(tensor, context):
    """x * rsqrt(max(sum(x^2, axis), eps)) -> UnitNormalization(axis)."""
    op = context.producer(tensor, "Mul")
    if op is None:
        return None
    for data, norm in ((0, 1), (1, 0)):
        found = _inverse_norm_of(op.inputs[norm], context)
        if found is None or found[0].name != op.inputs[data].name:
            continue
        x, axes, epsilon = found
        rank = x.shape.rank
        if rank is None or 0 in [axis % rank for axis in axes]:
            return None  # across the batch: no Keras layer normalizes over examples
        axis = [axis % rank - rank for axis in axes]  # Keras counts from the end
        notes = [f"TF1's epsilon {epsilon:g} floors the squared norm, Keras' 1e-24: outputs differ only for "
                 "vectors of squared norm below it"]
        return specs.LayerSpec(name=graph_ops.op_layer_name(context, op), keras_class="UnitNormalization",
                               config={} if axis == [-1] else {"axis": axis[0] if len(axis) == 1 else axis},
                               tf1_output=tensor.name, notes=notes), x
    return None
