"""Construct: a transposed convolution, `act(conv2d_transpose(x, W) + b)` (NHWC) -> Conv2DTranspose.

TF1 builds Conv2DBackpropInput(output size, W, x); W is [h, w, filters, input channels], the
layout of Keras' kernel. Keras derives the output size from the input's (`same`: in * stride;
`valid`: in * stride + max(k - stride, 0)); an output of another size (tf.nn.conv2d_transpose
given an output_shape Keras would not choose) is left unrecognised.
"""

from tf1_to_keras.porting import graph_ops, specs
from tf1_to_keras.porting.constructs import pattern


def _keras_size(size, kernel, stride, padding):
    return size * stride if padding == "same" else size * stride + max(kernel - stride, 0)


def _output_size(op, context, axis):
    """The output's size on `axis`: its static shape, else the constant in the output shape
    given (`tf.stack([batch, 10, 10, C])`), else None."""
    size = op.outputs[0].shape[axis] if op.outputs[0].shape.rank == 4 else None
    if size is not None:
        return size
    given = context.constant_value(op.inputs[0])
    if given is not None:
        return int(given[axis])
    packed = context.producer(op.inputs[0], "Pack")
    value = None if packed is None else context.constant_value(packed.inputs[axis])
    return None if value is None else int(value)


def _sizes_fit(op, context, kernel_size, strides, padding):
    """True when the op's output height and width are those Keras would compute."""
    inputs = op.inputs[2].shape
    return inputs.rank == 4 and all(inputs[axis] is not None and _output_size(op, context, axis) == _keras_size(
        inputs[axis], kernel_size[axis - 1], strides[axis - 1], padding) for axis in (1, 2))


@pattern(50, "before merges and lone activations: claims its bias Add and its activation")
def match_conv2d_transpose(tensor, context):
    """Conv2DBackpropInput(size, W, x)(+b)(+activation) -> Conv2DTranspose(filters, kernel_size, ...)."""
    found = graph_ops.weighted_layer(tensor, context, ("Conv2DBackpropInput",), kernel_input=1, data_input=2)
    if found is None:
        return None
    activation, bias, op = found
    if op.get_attr("data_format") not in graph_ops.NHWC or tuple(op.get_attr("dilations")) != (1, 1, 1, 1):
        return None
    variable = context.variable_of(op.inputs[1])
    height, width, filters, _ = context.variable_shapes[variable]
    padding, strides = graph_ops.PADDING[op.get_attr("padding")], tuple(op.get_attr("strides")[1:3])
    if not _sizes_fit(op, context, (height, width), strides, padding):
        return None
    config = {"filters": int(filters), "kernel_size": (int(height), int(width)), "padding": padding}
    if strides != (1, 1):
        config["strides"] = strides
    kernel = specs.WeightSource("kernel", variable)
    return graph_ops.weighted_spec(tensor, context, "Conv2DTranspose", op, (kernel, bias), activation,
                                   config), op.inputs[2]
