"""Layer matchers for the op patterns of `tf.nn` by hand, `tf.layers` and `tf.contrib.layers`.

Each matcher is `match(tensor, context) -> (specs.LayerSpec, input_tensor) | None` (see
recognition_context): the layer whose output is `tensor`, and the tensor feeding it.
Here: MatMul(+Add/BiasAdd)(+activation) -> Dense; Conv2D(+BiasAdd/Add)(+activation) ->
Conv2D; MaxPool/AvgPool -> pooling; Reshape -> Flatten or Reshape; a lone activation ->
ReLU/Activation; two model tensors added, multiplied, concatenated... -> Add, Multiply,
Concatenate (the graph is then functional). Dropout and batch norm: `dropout_patterns`,
`normalization_patterns`.
"""

import re

import numpy as np

from tf1_to_keras.harness import transforms
from tf1_to_keras.porting import specs

ACTIVATIONS = {"Relu": "relu", "Relu6": "relu6", "Tanh": "tanh", "Sigmoid": "sigmoid",
               "Elu": "elu", "Selu": "selu", "Softplus": "softplus", "Softsign": "softsign",
               "Softmax": "softmax"}
BIAS_ADDS = ("BiasAdd", "Add", "AddV2")
# Keras' default initializer per weight; a recognised one equal to it is left out.
DEFAULT_INITIALIZERS = {"kernel": "keras.initializers.GlorotUniform",
                        "bias": "keras.initializers.Zeros"}
MERGES = {"Add": "Add", "AddV2": "Add", "Sub": "Subtract", "Mul": "Multiply",
          "Maximum": "Maximum", "Minimum": "Minimum"}
KERNEL_TYPES = ("MatMul", "Conv2D")  # the ops that make a Dense or Conv2D layer's scope its own
_PADDING = {b"SAME": "same", b"VALID": "valid", "SAME": "same", "VALID": "valid"}


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


def _peel_activation(tensor, context):
    """(activation name or None, the tensor before it)."""
    op = context.producer(tensor, *ACTIVATIONS)
    return (ACTIVATIONS[op.type], op.inputs[0]) if op is not None else (None, tensor)


def _peel_bias(tensor, context):
    """(bias variable or None, the tensor before the bias add)."""
    op = context.producer(tensor, *BIAS_ADDS)
    if op is None:
        return None, tensor
    for data, bias in ((0, 1), (1, 0)):
        variable = context.variable_of(op.inputs[bias])
        if variable and len(context.variable_shapes.get(variable, ())) == 1:
            return variable, op.inputs[data]
    return None, tensor


def _weighted_layer(tensor, context, kernel_types):
    """(activation, bias variable, kernel op) of `act(kernel_op(x, W) + b)`, else None."""
    activation, before = _peel_activation(tensor, context)
    bias, before = _peel_bias(before, context)
    op = context.producer(before, *kernel_types)
    if op is None or context.variable_of(op.inputs[1]) is None or not context.on_path(op.inputs[0]):
        return None
    return activation, bias, op


def _weighted_spec(tensor, context, keras_class, kernel_op, sources, activation, config):
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


def match_dense(tensor, context):
    """MatMul(x, W)(+b)(+activation) -> Dense(units, activation)."""
    found = _weighted_layer(tensor, context, ("MatMul",))
    if found is None:
        return None
    activation, bias, op = found
    if op.get_attr("transpose_a"):
        return None
    variable = context.variable_of(op.inputs[1])
    shape = context.variable_shapes[variable]
    transposed = bool(op.get_attr("transpose_b"))
    transform = transforms.transpose() if transposed else None
    kernel = specs.WeightSource("kernel", variable, transform)
    units = shape[0] if transposed else shape[-1]
    return _weighted_spec(tensor, context, "Dense", op, (kernel, bias), activation,
                          {"units": int(units)}), op.inputs[0]


def match_conv2d(tensor, context):
    """Conv2D(x, W)(+b)(+activation) -> Conv2D(filters, kernel_size, strides, padding)."""
    found = _weighted_layer(tensor, context, ("Conv2D",))
    if found is None:
        return None
    activation, bias, op = found
    if op.get_attr("data_format") not in (b"NHWC", "NHWC"):
        return None
    variable = context.variable_of(op.inputs[1])
    height, width, _, filters = context.variable_shapes[variable]
    config = {"filters": int(filters), "kernel_size": (int(height), int(width)),
              "padding": _PADDING[op.get_attr("padding")]}
    strides = tuple(op.get_attr("strides")[1:3])
    if strides != (1, 1):
        config["strides"] = strides
    dilations = tuple(op.get_attr("dilations")[1:3])
    if dilations != (1, 1):
        config["dilation_rate"] = dilations
    kernel = specs.WeightSource("kernel", variable)
    return _weighted_spec(tensor, context, "Conv2D", op, (kernel, bias), activation, config), op.inputs[0]


def match_pooling(tensor, context):
    """MaxPool/AvgPool (NHWC) -> MaxPooling2D/AveragePooling2D(pool_size, strides, padding)."""
    op = context.producer(tensor, "MaxPool", "AvgPool")
    if op is None or op.get_attr("data_format") not in (b"NHWC", "NHWC"):
        return None
    keras_class = "MaxPooling2D" if op.type == "MaxPool" else "AveragePooling2D"
    config = {"pool_size": tuple(op.get_attr("ksize")[1:3]),
              "strides": tuple(op.get_attr("strides")[1:3]),
              "padding": _PADDING[op.get_attr("padding")]}
    return specs.LayerSpec(name=context.scope_of(op.name).rpartition("/")[2],
                           keras_class=keras_class, config=config,
                           tf1_output=tensor.name), op.inputs[0]


def _target_shape(op, context):
    """The Reshape's target shape as a list (-1 for the batch), or None when not constant."""
    value = context.constant_value(op.inputs[1])
    if value is not None:
        return [int(size) for size in value]
    packed = context.producer(op.inputs[1], "Pack")
    if packed is None:
        return None
    # [tf.shape(x)[0], ...]: the batch size read from the input, the rest constant.
    rest = [context.constant_value(part) for part in packed.inputs[1:]]
    if any(value is None for value in rest):
        return None
    return [-1] + [int(value) for value in rest]


def match_reshape(tensor, context):
    """Reshape to (batch, -1)-flat -> Flatten; another Reshape keeping the batch -> Reshape."""
    op = context.producer(tensor, "Reshape")
    if op is None:
        return None
    target = _target_shape(op, context)
    source = op.inputs[0].shape
    if target is None or target[0] not in (-1, None) or -1 in target[1:] and len(target) > 2:
        return None
    flat_size = np.prod(source[1:]) if source.rank and None not in source[1:] else None
    name = context.scope_of(op.name).rpartition("/")[2]
    if len(target) == 2 and source.rank and source.rank > 2 and target[1] in (-1, flat_size):
        return specs.LayerSpec(name=name, keras_class="Flatten", tf1_output=tensor.name), op.inputs[0]
    shape = tuple(target[1:])
    return specs.LayerSpec(name=name, keras_class="Reshape", config={"target_shape": shape},
                           tf1_output=tensor.name), op.inputs[0]


def match_activation(tensor, context):
    """A lone Relu -> ReLU; another activation -> Activation(name)."""
    op = context.producer(tensor, *ACTIVATIONS)
    if op is None:
        return None
    name = context.scope_of(op.name).rpartition("/")[2] or _own_name(op)
    if op.type == "Relu":
        return specs.LayerSpec(name=name, keras_class="ReLU", tf1_output=tensor.name), op.inputs[0]
    return specs.LayerSpec(name=name, keras_class="Activation",
                           config={"activation": ACTIVATIONS[op.type]},
                           tf1_output=tensor.name), op.inputs[0]


def match_merge(tensor, context):
    """x + y, x - y, x * y, max/min of two model tensors -> Add, Subtract, Multiply, ... (functional)."""
    op = context.producer(tensor, *MERGES)
    if op is None or len(op.inputs) != 2 or not all(context.on_path(each) for each in op.inputs):
        return None
    name = context.scope_of(op.name).rpartition("/")[2] or _own_name(op)
    return specs.LayerSpec(name=name, keras_class=MERGES[op.type],
                           tf1_output=tensor.name), list(op.inputs)


def match_concatenate(tensor, context):
    """tf.concat of model tensors on a constant axis -> Concatenate(axis) (functional)."""
    op = context.producer(tensor, "ConcatV2")
    if op is None or not all(context.on_path(each) for each in op.inputs[:-1]):
        return None
    axis = context.constant_value(op.inputs[-1])
    if axis is None or axis.size != 1 or tensor.shape.rank is None:
        return None
    axis = int(axis) - tensor.shape.rank if int(axis) >= 0 else int(axis)  # Keras counts from the end
    if axis == -tensor.shape.rank:
        return None  # the batch axis: no Keras layer concatenates examples
    config = {} if axis == -1 else {"axis": axis}
    name = context.scope_of(op.name).rpartition("/")[2] or _own_name(op)
    return specs.LayerSpec(name=name, keras_class="Concatenate", config=config,
                           tf1_output=tensor.name), list(op.inputs[:-1])


def _own_name(op):
    """The op's name when the program chose it (`tf.nn.relu(x, name="relu1")`), else ""."""
    return "" if re.match(rf"^{op.type}(_\d+)?$", op.name) else op.name


MATCHERS = [match_dense, match_conv2d, match_pooling, match_reshape, match_activation,
            match_merge, match_concatenate]
