"""Construct: a 2-D convolution, `act(conv2d(x, W) + b)` (NHWC) -> Conv2D.

`tf.nn.conv2d` by hand (+ `b` by Add or BiasAdd) (+ an activation), `tf.layers.conv2d`,
contrib's `conv2d`: filters and kernel size from W's shape, strides, padding, dilations.
"""

from tf1_to_keras.porting import graph_ops, specs
from tf1_to_keras.porting.constructs import pattern


@pattern(50, "before merges and lone activations: claims its bias Add and its activation")
def match_conv2d(tensor, context):
    """Conv2D(x, W)(+b)(+activation) -> Conv2D(filters, kernel_size, strides, padding)."""
    found = graph_ops.weighted_layer(tensor, context, ("Conv2D",))
    if found is None:
        return None
    activation, bias, op = found
    if op.get_attr("data_format") not in graph_ops.NHWC:
        return None
    variable = context.variable_of(op.inputs[1])
    height, width, _, filters = context.variable_shapes[variable]
    config = {"filters": int(filters), "kernel_size": (int(height), int(width)),
              "padding": graph_ops.PADDING[op.get_attr("padding")]}
    strides = tuple(op.get_attr("strides")[1:3])
    if strides != (1, 1):
        config["strides"] = strides
    dilations = tuple(op.get_attr("dilations")[1:3])
    if dilations != (1, 1):
        config["dilation_rate"] = dilations
    kernel = specs.WeightSource("kernel", variable)
    return graph_ops.weighted_spec(tensor, context, "Conv2D", op, (kernel, bias), activation,
                                   config), op.inputs[0]
