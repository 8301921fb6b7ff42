"""Construct: an activation no weighted layer took -> ReLU, LeakyReLU(negative_slope) or Activation(name).

Activation ops (Relu, Relu6, Elu, Selu, Tanh, ...), `tf.nn.leaky_relu` (its alpha read), and
selu / elu written by hand with tf.where: `scale * where(x > 0, x, alpha * (exp(x) - 1))` (or
`alpha * elu(x)`) with selu's constants, or elu's (scale and alpha 1, the Mul may be absent).
"""

import math

from tf1_to_keras.porting import graph_ops, specs
from tf1_to_keras.porting.constructs import pattern

SELU = (1.0507009873554805, 1.6732632423543772)  # (scale, alpha) of tf.nn.selu and Keras' selu
_CLOSE = 1e-6  # float32 literals of the constants


@pattern(30, "after Dense/Conv2D, which take the activation that follows them")
def match_activation(tensor, context):
    """A lone Relu -> ReLU; LeakyRelu -> LeakyReLU(alpha); another activation -> Activation(name)."""
    op = context.producer(tensor, *graph_ops.ACTIVATIONS, "LeakyRelu")
    if op is None:
        return None
    name = graph_ops.op_layer_name(context, op)
    if op.type == "Relu":
        return specs.LayerSpec(name=name, keras_class="ReLU", tf1_output=tensor.name), op.inputs[0]
    if op.type == "LeakyRelu":
        return specs.LayerSpec(name=name, keras_class="LeakyReLU", tf1_output=tensor.name,
                               config={"negative_slope": round(float(op.get_attr("alpha")), 7)}), op.inputs[0]
    return specs.LayerSpec(name=name, keras_class="Activation",
                           config={"activation": graph_ops.ACTIVATIONS[op.type]},
                           tf1_output=tensor.name), op.inputs[0]


def _scaled(tensor, context):
    """(constant, the other operand) of `c * t`, else (1.0, tensor)."""
    op = context.producer(tensor, "Mul")
    for constant, other in ((0, 1), (1, 0)):
        value = None if op is None else context.constant_value(op.inputs[constant])
        if value is not None and value.size == 1:
            return float(value), op.inputs[other]
    return 1.0, tensor


def _exp_minus_one_of(tensor, context):
    """x when `tensor` is exp(x) - 1 or elu(x), else None."""
    elu = context.producer(tensor, "Elu")
    if elu is not None:
        return elu.inputs[0]
    sub = context.producer(tensor, "Sub")
    exp = sub and context.producer(sub.inputs[0], "Exp")
    one = sub and context.constant_value(sub.inputs[1])
    return exp.inputs[0] if exp is not None and one is not None and one.size == 1 and float(one) == 1.0 else None


def _where_of(tensor, context):
    """(x, alpha) of `where(x > 0, x, alpha * (exp(x) - 1))`, else None."""
    select = context.producer(tensor, "Select", "SelectV2")
    greater = select and context.producer(select.inputs[0], "Greater")
    zero = greater and context.constant_value(greater.inputs[1])
    if greater is None or zero is None or zero.size != 1 or float(zero) != 0.0:
        return None
    x = greater.inputs[0]
    alpha, negative = _scaled(select.inputs[2], context)
    if select.inputs[1].name != x.name or getattr(_exp_minus_one_of(negative, context), "name", None) != x.name:
        return None
    return x, alpha


@pattern(35, "before merges and lone activations: the where's Mul and Elu are this activation's")
def match_where_selu(tensor, context):
    """selu or elu written with tf.where -> Activation("selu" / "elu")."""
    scale, inner = _scaled(tensor, context)
    found = _where_of(inner, context)
    if found is None:
        return None
    x, alpha = found
    if all(math.isclose(a, b, rel_tol=_CLOSE) for a, b in zip((scale, alpha), SELU)):
        activation = "selu"
    elif scale == 1.0 and alpha == 1.0:
        activation = "elu"
    else:
        return None
    op = context.producer(tensor, "Mul", "Select", "SelectV2")
    # Named by its scope, else by the activation: the where's op names ("mul_1") say nothing.
    return specs.LayerSpec(name=graph_ops.short_scope(context, op.name) or activation, keras_class="Activation",
                           config={"activation": activation}, tf1_output=tensor.name,
                           notes=[f"{activation} written with tf.where in TF1"]), x
