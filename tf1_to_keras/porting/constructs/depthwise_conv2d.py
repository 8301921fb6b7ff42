"""Construct: depthwise and depthwise-separable 2-D convolutions (NHWC).

`tf.nn.depthwise_conv2d` / slim's `separable_conv2d(x, None, ...)` (a DepthwiseConv2dNative)
(+ bias) (+ activation) -> DepthwiseConv2D(kernel_size, depth_multiplier, strides, padding).
`tf.nn.separable_conv2d` / slim's `separable_conv2d(x, num_outputs, ...)` (the depthwise op,
then a 1x1 VALID Conv2D over its output) -> SeparableConv2D: one layer, as a person writes it,
and as slim declares it (one scope holding depthwise_weights and pointwise_weights).
"""

from tf1_to_keras.porting import graph_ops, specs
from tf1_to_keras.porting.constructs import pattern


def _depthwise_config(op, context, variable):
    """kernel_size, depth_multiplier, padding, strides, dilation_rate of a DepthwiseConv2dNative."""
    height, width, _, multiplier = context.variable_shapes[variable]
    config = {"kernel_size": (int(height), int(width)),
              "padding": graph_ops.PADDING[op.get_attr("padding")]}
    if multiplier != 1:
        config["depth_multiplier"] = int(multiplier)
    strides = tuple(op.get_attr("strides")[1:3])
    if strides != (1, 1):
        config["strides"] = strides
    dilations = tuple(op.get_attr("dilations")[1:3])
    if dilations != (1, 1):
        config["dilation_rate"] = dilations
    return config


def _rename_initializer(config, slot):
    """Keras names these layers' kernel initializers by slot, not `kernel_initializer`."""
    if "kernel_initializer" in config:
        config[slot] = config.pop("kernel_initializer")


def _initializer(context, slot, variable):
    """{"<slot>_initializer": ...} of a variable, as graph_ops reads a kernel's."""
    found = graph_ops.initializer_config(context, "kernel", variable)
    return {f"{slot}_initializer": value for value in found.values()}


def _depthwise_op(tensor, context):
    """The DepthwiseConv2dNative (NHWC, with a variable filter, on the model path) behind `tensor`."""
    op = context.producer(tensor, "DepthwiseConv2dNative")
    if (op is None or op.get_attr("data_format") not in graph_ops.NHWC
            or context.variable_of(op.inputs[1]) is None or not context.on_path(op.inputs[0])):
        return None
    return op


@pattern(55, "before Conv2D: a 1x1 Conv2D over a depthwise op is a SeparableConv2D's pointwise part")
def match_separable_conv2d(tensor, context):
    """Conv2D(DepthwiseConv2dNative(x, D), P 1x1 VALID)(+b)(+act) -> SeparableConv2D."""
    found = graph_ops.weighted_layer(tensor, context, ("Conv2D",))
    if found is None:
        return None
    activation, bias, pointwise_op = found
    depthwise_op = _depthwise_op(pointwise_op.inputs[0], context)
    pointwise = context.variable_of(pointwise_op.inputs[1])
    if (depthwise_op is None or pointwise_op.get_attr("data_format") not in graph_ops.NHWC
            or context.variable_shapes[pointwise][:2] != (1, 1)
            or tuple(pointwise_op.get_attr("strides")[1:3]) != (1, 1)):
        return None
    depthwise = context.variable_of(depthwise_op.inputs[1])
    config = {"filters": int(context.variable_shapes[pointwise][3]),
              **_depthwise_config(depthwise_op, context, depthwise)}
    sources = [specs.WeightSource("depthwise_kernel", depthwise),
               specs.WeightSource("pointwise_kernel", pointwise)]
    spec = graph_ops.weighted_spec(tensor, context, "SeparableConv2D", pointwise_op,
                                   (sources[1], bias), activation, config)
    spec.weights[0] = sources[0]  # named by the pointwise kernel's scope, weights in Keras' order
    _rename_initializer(spec.config, "pointwise_initializer")  # the one weighted_spec read
    spec.config.update(_initializer(context, "depthwise", depthwise))
    spec.weights.insert(1, sources[1])
    return spec, depthwise_op.inputs[0]


@pattern(50, "before merges and lone activations: claims its bias Add and its activation")
def match_depthwise_conv2d(tensor, context):
    """DepthwiseConv2dNative(x, D)(+b)(+activation) -> DepthwiseConv2D."""
    found = graph_ops.weighted_layer(tensor, context, ("DepthwiseConv2dNative",))
    if found is None or _depthwise_op(found[2].outputs[0], context) is None:
        return None
    activation, bias, op = found
    variable = context.variable_of(op.inputs[1])
    kernel = specs.WeightSource("kernel", variable)  # Keras 3 names it so
    spec = graph_ops.weighted_spec(tensor, context, "DepthwiseConv2D", op, (kernel, bias),
                                   activation, _depthwise_config(op, context, variable))
    _rename_initializer(spec.config, "depthwise_initializer")
    return spec, op.inputs[0]
