"""Construct: `tf.nn.embedding_lookup(params, ids)` of a 2-D variable -> Embedding(input_dim, output_dim).

TF1 builds a GatherV2 of the variable's value on axis 0 (ResourceGather for a resource
variable); its ids are the model input (int32/int64), the variable is the Keras `embeddings`.
"""

from tf1_to_keras.porting import graph_ops, specs
from tf1_to_keras.porting.constructs import pattern


@pattern(40, "its own op types: no other construct reads GatherV2 or ResourceGather")
def match_embedding(tensor, context):
    """GatherV2(embeddings, ids, axis 0) of a [vocabulary, dimension] variable -> Embedding."""
    op = context.producer(tensor, "GatherV2", "ResourceGather")
    if op is None:
        return None
    if op.type == "GatherV2":
        axis = context.constant_value(op.inputs[2])
        if axis is None or int(axis) != 0 or op.get_attr("batch_dims") != 0:
            return None
    variable, ids = context.variable_of(op.inputs[0]), op.inputs[1]
    shape = context.variable_shapes.get(variable) if variable else None
    if shape is None or len(shape) != 2 or not ids.dtype.is_integer or not context.on_path(ids):
        return None
    config = {"input_dim": int(shape[0]), "output_dim": int(shape[1])}
    name = graph_ops.layer_name(context, variable) or graph_ops.op_layer_name(context, op)
    return specs.LayerSpec(name=name, keras_class="Embedding", config=config,
                           weights=[specs.WeightSource("embeddings", variable)], tf1_output=tensor.name), ids
