"""Construct: `tf.squeeze` of size-1 axes other than the batch -> Flatten (to (batch, n): slim's
`SpatialSqueeze` of a (batch, 1, 1, classes) logits conv) or Reshape(target_shape)."""

from tf1_to_keras.porting import graph_ops, specs
from tf1_to_keras.porting.constructs import pattern


@pattern(40, "its own op type: no other construct reads a model tensor's Squeeze")
def match_squeeze(tensor, context):
    """Squeeze keeping the batch, static shapes -> Flatten when 2-D results, else Reshape."""
    op = context.producer(tensor, "Squeeze")
    source = op.inputs[0].shape if op is not None else None
    if op is None or not context.on_path(op.inputs[0]) or source.rank is None:
        return None
    axes = [int(axis) % source.rank for axis in op.get_attr("squeeze_dims")]
    if not axes or 0 in axes or tensor.shape.rank is None or None in tensor.shape[1:]:
        return None  # all axes (the batch's too, when it is 1) or unknown sizes: no fixed layer
    name = graph_ops.op_layer_name(context, op)
    if tensor.shape.rank == 2:
        return specs.LayerSpec(name=name, keras_class="Flatten", tf1_output=tensor.name), op.inputs[0]
    return specs.LayerSpec(name=name, keras_class="Reshape", tf1_output=tensor.name,
                           config={"target_shape": tuple(tensor.shape[1:])}), op.inputs[0]
