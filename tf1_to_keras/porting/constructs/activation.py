"""Construct: an activation no weighted layer took -> ReLU or Activation(name)."""

from tf1_to_keras.porting import graph_ops, specs
from tf1_to_keras.porting.constructs import pattern


@pattern(30, "after Dense/Conv2D, which take the activation that follows them")
def match_activation(tensor, context):
    """A lone Relu -> ReLU; another activation -> Activation(name)."""
    op = context.producer(tensor, *graph_ops.ACTIVATIONS)
    if op is None:
        return None
    name = graph_ops.op_layer_name(context, op)
    if op.type == "Relu":
        return specs.LayerSpec(name=name, keras_class="ReLU", tf1_output=tensor.name), op.inputs[0]
    return specs.LayerSpec(name=name, keras_class="Activation",
                           config={"activation": graph_ops.ACTIVATIONS[op.type]},
                           tf1_output=tensor.name), op.inputs[0]
