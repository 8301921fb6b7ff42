"""Construct: global average pooling, `tf.reduce_mean(x, [1, 2])` of an NHWC tensor ->
GlobalAveragePooling2D (keepdims read from the op)."""

from tf1_to_keras.porting import graph_ops, specs
from tf1_to_keras.porting.constructs import pattern


@pattern(40, "its own op type: no other construct reads a model tensor's Mean")
def match_global_average_pooling(tensor, context):
    """Mean over axes {1, 2} of a 4-D model tensor -> GlobalAveragePooling2D(keepdims)."""
    op = context.producer(tensor, "Mean")
    if op is None or op.inputs[0].shape.rank != 4 or not context.on_path(op.inputs[0]):
        return None
    axes = context.constant_value(op.inputs[1])
    if axes is None or sorted(int(axis) % 4 for axis in axes.reshape(-1)) != [1, 2]:
        return None
    config = {"keepdims": True} if op.get_attr("keep_dims") else {}
    return specs.LayerSpec(name=graph_ops.op_layer_name(context, op), keras_class="GlobalAveragePooling2D",
                           config=config, tf1_output=tensor.name), op.inputs[0]
