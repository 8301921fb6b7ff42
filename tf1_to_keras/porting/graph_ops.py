"""The op-type sets and graph helpers that recognition's constructs share (one home for them).

A construct (tf1_to_keras/porting/constructs/) reads a TF1 subgraph through these: which op
types are activations, bias adds, kernels; the layer name a variable or an op's scope implies;
`act(kernel_op(x, W) + b)` peeled into its parts and written as a weighted LayerSpec.
"""

import re

from tf1_to_keras.porting import specs

# Ops that carry a value on unchanged: not layers, not "unrecognised".
TRANSPARENT = ("Identity", "StopGradient", "Snapshot")
VARIABLE_TYPES = ("VariableV2", "Variable", "VarHandleOp")
# Ops that hand a variable's value on unchanged (Enter: a variable read inside a while loop;
# Switch: inside a v1 tf.cond).
PASS_THROUGH_TYPES = ("Identity", "ReadVariableOp", "Enter", "Switch", "RefSwitch", "RefEnter")
INPUT_TYPES = ("Placeholder", "PlaceholderWithDefault", "IteratorGetNext")
ACTIVATIONS = {"Relu": "relu", "Relu6": "relu6", "Tanh": "tanh", "Sigmoid": "sigmoid",
               "Elu": "elu", "Selu": "selu", "Softplus": "softplus", "Softsign": "softsign",
               "Softmax": "softmax"}
BIAS_ADDS = ("BiasAdd", "Add", "AddV2")
ADDS = ("Add", "AddV2")
# Keras' default initializer per weight; a recognised one equal to it is left out.
DEFAULT_INITIALIZERS = {"kernel": "keras.initializers.GlorotUniform",
                        "bias": "keras.initializers.Zeros"}
KERNEL_TYPES = ("MatMul", "Conv2D")  # ops that make a layer's scope its own
PADDING = {b"SAME": "same", b"VALID": "valid", "SAME": "same", "VALID": "valid"}
NHWC = (b"NHWC", "NHWC")


def short_scope(context, name):
    """The last component of an op's name scope: "conv1/Relu" -> "conv1", "Relu" -> ""."""
    return context.scope_of(name).rpartition("/")[2]


def own_name(op):
    """The op's name when the program chose it (`tf.nn.relu(x, name="relu1")`), else ""."""
    return "" if re.match(rf"^{op.type}(_\d+)?$", op.name) else op.name


def op_layer_name(context, op):
    """An op-only layer's name: its scope's last component, else the name the program gave it."""
    return short_scope(context, op.name) or own_name(op)


def initializer_config(context, slot, variable):
    """{"<slot>_initializer": KerasObject} unless the variable's initializer is Keras' default."""
    found = context.initializer_of(variable)
    if found is None or found.path == DEFAULT_INITIALIZERS.get(slot):
        return {}
    return {f"{slot}_initializer": found}


def layer_name(context, variable):
    """The layer name a variable implies: the last component of its scope ("" at the root);
    a partitioned variable's "/part_0" is not a scope ("dnn/hiddenlayer_0/kernel/part_0")."""
    return context.scope_of(re.sub(r"/part_\d+$", "", variable)).rpartition("/")[2]


def op_scope_name(context, op):
    """The last component of a kernel op's name scope when that scope holds no other kernel op
    (`with tf.name_scope("fc1"): tf.matmul(x, W)`, W made at the root): the layer's name in the
    graph. "" when the op has no scope, or shares it with other layers (an outer "model" scope)."""
    scope = context.scope_of(op.name)
    if not scope:
        return ""
    kernels = [other for other in context.graph.get_operations()
               if other.type in KERNEL_TYPES and other.name.startswith(scope + "/")]
    return scope.rpartition("/")[2] if len(kernels) == 1 else ""


def peel_activation(tensor, context):
    """(activation name or None, the tensor before it)."""
    op = context.producer(tensor, *ACTIVATIONS)
    return (ACTIVATIONS[op.type], op.inputs[0]) if op is not None else (None, tensor)


def peel_bias(tensor, context):
    """(bias variable or None, the tensor before the bias add)."""
    op = context.producer(tensor, *BIAS_ADDS)
    if op is None:
        return None, tensor
    for data, bias in ((0, 1), (1, 0)):
        variable = context.variable_of(op.inputs[bias])
        if variable and len(context.variable_shapes.get(variable, ())) == 1:
            return variable, op.inputs[data]
    return None, tensor


def weighted_layer(tensor, context, kernel_types, kernel_input=1, data_input=0):
    """(activation, bias variable, kernel op) of `act(kernel_op(x, W) + b)`, else None."""
    activation, before = peel_activation(tensor, context)
    bias, before = peel_bias(before, context)
    op = context.producer(before, *kernel_types)
    if (op is None or context.variable_of(op.inputs[kernel_input]) is None
            or not context.on_path(op.inputs[data_input])):
        return None
    return activation, bias, op


def weighted_spec(tensor, context, keras_class, kernel_op, sources, activation, config):
    """The LayerSpec of a kernel(+bias)(+activation) layer; `sources`: (kernel WeightSource, bias
    variable or None). Named by the kernel variable's scope, else by the kernel op's (op_scope_name)."""
    kernel, bias = sources
    config = dict(config)
    if activation:
        config["activation"] = activation
    if bias is None:
        config["use_bias"] = False
    config.update(initializer_config(context, "kernel", kernel.tf1_variable))
    weights = [kernel]
    if bias is not None:
        config.update(initializer_config(context, "bias", bias))
        weights.append(specs.WeightSource("bias", bias))
    name = layer_name(context, kernel.tf1_variable) or op_scope_name(context, kernel_op)
    return specs.LayerSpec(name=name, keras_class=keras_class, config=config, weights=weights,
                           tf1_output=tensor.name)
