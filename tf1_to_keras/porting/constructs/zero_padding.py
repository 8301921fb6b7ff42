"""Construct: zero padding of height and width, `tf.pad(x, [[0, 0], [t, b], [l, r], [0, 0]])`
(NHWC) -> ZeroPadding2D. Slim's `conv2d_same` (ResNet's strided convolutions) pads explicitly
this way before a VALID convolution."""

from tf1_to_keras.porting import graph_ops, specs
from tf1_to_keras.porting.constructs import pattern


def padding_setting(paddings):
    """ZeroPadding2D's `padding` for ((t, b), (l, r)): an int, (rows, cols) or the pairs as given."""
    (top, bottom), (left, right) = paddings
    if top == bottom and left == right:
        return top if top == left else (top, left)
    return ((top, bottom), (left, right))


@pattern(40, "its own op types: no other construct reads a model tensor's Pad")
def match_zero_padding(tensor, context):
    """Pad (or PadV2 with 0) of a 4-D model tensor, batch and channels unpadded -> ZeroPadding2D."""
    op = context.producer(tensor, "Pad", "PadV2")
    if op is None or op.inputs[0].shape.rank != 4 or not context.on_path(op.inputs[0]):
        return None
    paddings = context.constant_value(op.inputs[1])
    if paddings is None or paddings.shape != (4, 2) or paddings[0].any() or paddings[3].any():
        return None
    if op.type == "PadV2":
        value = context.constant_value(op.inputs[2])
        if value is None or float(value) != 0.0:
            return None
    pairs = tuple(tuple(int(size) for size in row) for row in paddings[1:3])
    return specs.LayerSpec(name=graph_ops.op_layer_name(context, op), keras_class="ZeroPadding2D",
                           config={"padding": padding_setting(pairs)}, tf1_output=tensor.name), op.inputs[0]
