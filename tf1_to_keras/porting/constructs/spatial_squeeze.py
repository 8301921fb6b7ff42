"""Construct: `tf.squeeze(x, [1, 2])` of size-1 axes, keeping the batch -> Flatten or Reshape.

Slim's classification nets end in convolutions ("fc8" as a 1x1 Conv2D) and squeeze the spatial
axes away (`spatial_squeeze=True`: alexnet_v2, vgg_16, `fc8/squeezed`). To rank 2 that is a
Flatten, else a Reshape to the kept axes. Named after the op in its scope ("fc8_squeezed"):
the scope's own name belongs to the convolution.
"""

from tf1_to_keras.porting import graph_ops, specs
from tf1_to_keras.porting.constructs import pattern


def _name(context, op):
    """"fc8_squeezed" for `.../fc8/squeezed`; the scope alone for an unnamed `Squeeze`."""
    scope, last = graph_ops.short_scope(context, op.name), op.name.rpartition("/")[2]
    if last.startswith("Squeeze"):
        return scope
    return f"{scope}_{last}" if scope else last


@pattern(40, "its own op type: no other construct reads Squeeze")
def match_spatial_squeeze(tensor, context):
    """Squeeze of known size-1 non-batch axes -> Flatten (to rank 2) or Reshape(kept shape)."""
    op = context.producer(tensor, "Squeeze")
    source = op.inputs[0].shape if op is not None else None
    if op is None or not context.on_path(op.inputs[0]) or not source.rank or None in source[1:]:
        return None
    axes = [axis % source.rank for axis in op.get_attr("squeeze_dims")] or [
        axis for axis in range(source.rank) if source[axis] == 1]  # a static batch of 1 goes too
    if 0 in axes or any(source[axis] != 1 for axis in axes):
        return None  # the batch axis, or an axis the graph does not know to be 1
    kept = tuple(int(size) for axis, size in enumerate(source) if axis and axis not in axes)
    if len(kept) == 1:
        return specs.LayerSpec(name=_name(context, op), keras_class="Flatten", tf1_output=tensor.name), op.inputs[0]
    return specs.LayerSpec(name=_name(context, op), keras_class="Reshape", config={"target_shape": kept},
                           tf1_output=tensor.name), op.inputs[0]
