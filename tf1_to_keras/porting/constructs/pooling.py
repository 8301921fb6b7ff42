"""Construct: 2-D pooling, `tf.nn.max_pool` / `avg_pool` (NHWC) -> MaxPooling2D / AveragePooling2D."""

from tf1_to_keras.porting import graph_ops, specs
from tf1_to_keras.porting.constructs import pattern


@pattern(40, "its own op types: no other construct reads MaxPool or AvgPool")
def match_pooling(tensor, context):
    """MaxPool/AvgPool (NHWC) -> MaxPooling2D/AveragePooling2D(pool_size, strides, padding)."""
    op = context.producer(tensor, "MaxPool", "AvgPool")
    if op is None or op.get_attr("data_format") not in graph_ops.NHWC:
        return None
    keras_class = "MaxPooling2D" if op.type == "MaxPool" else "AveragePooling2D"
    config = {"pool_size": tuple(op.get_attr("ksize")[1:3]),
              "strides": tuple(op.get_attr("strides")[1:3]),
              "padding": graph_ops.PADDING[op.get_attr("padding")]}
    return specs.LayerSpec(name=graph_ops.short_scope(context, op.name),
                           keras_class=keras_class, config=config,
                           tf1_output=tensor.name), op.inputs[0]
