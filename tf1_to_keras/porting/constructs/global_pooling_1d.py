"""Construct: a mean over the sequence axis, `tf.reduce_mean(embedded, axis=1)` of a 3-D
[batch, steps, features] tensor (a bag of embeddings averaged) -> GlobalAveragePooling1D
(keepdims read from the op)."""

from tf1_to_keras.porting import graph_ops, specs
from tf1_to_keras.porting.constructs import pattern


@pattern(40, "its own op type: no other construct reads a 3-D model tensor's Mean")
def match_global_average_pooling_1d(tensor, context):
    """Mean over axis 1 of a 3-D model tensor -> GlobalAveragePooling1D(keepdims)."""
    op = context.producer(tensor, "Mean")
    if op is None or op.inputs[0].shape.rank != 3 or not context.on_path(op.inputs[0]):
        return None
    axes = context.constant_value(op.inputs[1])
    if axes is None or sorted(int(axis) % 3 for axis in axes.reshape(-1)) != [1]:
        return None
    config = {"keepdims": True} if op.get_attr("keep_dims") else {}
    return specs.LayerSpec(name=graph_ops.op_layer_name(context, op), keras_class="GlobalAveragePooling1D",
                           config=config, tf1_output=tensor.name), op.inputs[0]
