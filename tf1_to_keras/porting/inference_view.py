"""A captured TRAIN-mode graph as its program computes inference: batch norm on its moving
statistics.

An Estimator's `model_fn` called with mode TRAIN builds `tf.layers.batch_normalization`
with `training=True` as a Python bool: the captured graph holds only the training branch,
`FusedBatchNormV3(x, gamma, beta, moving_mean, moving_variance, is_training=True)`, which
normalises with the batch's statistics. The same `model_fn` in EVAL or PREDICT mode builds
the same op with `is_training=False` on the same inputs, normalising with the moving
statistics, which is what Keras' BatchNormalization does at inference. The forward check
compares inference, so it runs a copy of the meta graph with that one attribute switched.
Only ops whose mean and variance inputs are variables are switched (TF1's own
`tf.nn.fused_batch_norm(is_training=True)` feeds empty constants there: no inference form).
The training-step check keeps the captured graph as it is.
"""

import os

from tensorflow.core.protobuf import meta_graph_pb2

FUSED_BATCH_NORMS = ("FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3")
VARIABLE_READS = ("ReadVariableOp", "Identity")
VARIABLES = ("VarHandleOp", "VariableV2", "Variable")


def _node_name(input_name):
    return input_name.lstrip("^").split(":")[0]


def _reads_a_variable(nodes, input_name):
    """True when the input is a variable's read (ReadVariableOp/Identity of a variable)."""
    node = nodes.get(_node_name(input_name))
    if node is None or node.op not in VARIABLE_READS or not node.input:
        return False
    source = nodes.get(_node_name(node.input[0]))
    return source is not None and source.op in VARIABLES


def switch_to_inference(graph_def):
    """Sets is_training=False on each training-mode fused batch norm whose mean and variance
    inputs are variables, in place; the names of the ops switched."""
    nodes = {node.name: node for node in graph_def.node}
    switched = []
    for node in graph_def.node:
        if (node.op in FUSED_BATCH_NORMS and node.attr["is_training"].b and len(node.input) >= 5
                and all(_reads_a_variable(nodes, name) for name in node.input[3:5])):
            node.attr["is_training"].b = False
            switched.append(node.name)
    return switched


def inference_meta_graph(meta_graph, directory):
    """(path of the inference copy of `meta_graph` written into `directory`, [ops switched]),
    or (meta_graph, []) when nothing needs switching."""
    meta = meta_graph_pb2.MetaGraphDef()
    with open(meta_graph, "rb") as stream:
        meta.ParseFromString(stream.read())
    switched = switch_to_inference(meta.graph_def)
    if not switched:
        return meta_graph, []
    path = os.path.join(directory, "inference.meta")
    with open(path, "wb") as stream:
        stream.write(meta.SerializeToString())
    return path, switched


def note(switched):
    """What port.json says about the switch, naming the ops."""
    return ("forward check: the captured graph is a TRAIN-mode graph; its batch norm op(s) "
            f"{', '.join(switched)} run with is_training=False (the moving statistics), as the "
            "program's EVAL/PREDICT graph runs them and as Keras' BatchNormalization does at inference")
