"""RecognisedModels written by hand for the kit's five TF1 programs: what recognition should
find in each graph (layer classes, settings, TF1 variables and taps), so that code generation
and weight conversion are tested without capturing a program. `twin_layer_configs` reads a
Keras model's layers as the golden comparisons compare them."""

from tf1_to_keras.porting import specs

TRUNCATED_NORMAL = specs.KerasObject("keras.initializers.TruncatedNormal", {"stddev": 0.1})
CONSTANT = specs.KerasObject("keras.initializers.Constant", {"value": 0.1})
GLOROT = specs.KerasObject("keras.initializers.GlorotUniform")
ZEROS = specs.KerasObject("keras.initializers.Zeros")


def _weights(kernel, bias):
    return [specs.WeightSource("kernel", kernel), specs.WeightSource("bias", bias)]


def conv(name, filters, size, padding, activation, kernel, bias, initializers, tap):
    config = {"filters": filters, "kernel_size": (size, size), "padding": padding,
              "activation": activation, "kernel_initializer": initializers[0],
              "bias_initializer": initializers[1]}
    return specs.LayerSpec(name, "Conv2D", config, weights=_weights(kernel, bias), tf1_output=tap)


def dense(name, units, activation, kernel, bias, initializers, tap):
    config = {"units": units, "kernel_initializer": initializers[0], "bias_initializer": initializers[1]}
    if activation:
        config = {"units": units, "activation": activation, **config}
    return specs.LayerSpec(name, "Dense", config, weights=_weights(kernel, bias), tf1_output=tap)


def pool(name, padding, tap):
    return specs.LayerSpec(name, "MaxPooling2D", {"pool_size": (2, 2), "strides": (2, 2),
                                                  "padding": padding}, tf1_output=tap)


def reshape(name, tap):
    return specs.LayerSpec(name, "Reshape", {"target_shape": (28, 28, 1)}, tf1_output=tap)


def flatten(tap):
    return specs.LayerSpec("flatten", "Flatten", tf1_output=tap)


def dropout(rate, tap, note):
    return specs.LayerSpec("dropout", "Dropout", {"rate": rate}, tf1_output=tap, notes=[note])


def _model(input_name, shape, output, layers):
    return specs.RecognisedModel([specs.InputSpec(input_name, f"{input_name}:0", shape)], output, layers)


def softmax_regression():
    return _model("Placeholder", (784,), "add:0",
                  [dense("linear", 10, None, "Variable", "Variable_1", (ZEROS, ZEROS), "add:0")])


def deep_cnn():
    init = (TRUNCATED_NORMAL, CONSTANT)
    return _model("Placeholder", (784,), "fc2/add:0", [
        reshape("reshape", "reshape/Reshape:0"),
        conv("conv1", 32, 5, "same", "relu", "conv1/Variable", "conv1/Variable_1", init, "conv1/Relu:0"),
        pool("pool1", "same", "pool1/MaxPool:0"),
        conv("conv2", 64, 5, "same", "relu", "conv2/Variable", "conv2/Variable_1", init, "conv2/Relu:0"),
        pool("pool2", "same", "pool2/MaxPool:0"),
        flatten("fc1/Reshape:0"),
        dense("fc1", 1024, "relu", "fc1/Variable", "fc1/Variable_1", init, "fc1/Relu:0"),
        dropout(0.5, "dropout/dropout/SelectV2:0", "rate 0.5: 1 - keep_prob's training feed 0.5"),
        dense("fc2", 10, None, "fc2/Variable", "fc2/Variable_1", init, "fc2/add:0"),
    ])


def _layers_conv(name, filters, padding, activation, tap):
    return conv(name, filters, 5, padding, activation, f"{name}/kernel", f"{name}/bias",
                (GLOROT, ZEROS), tap)


def _layers_dense(name, units, activation, tap):
    return dense(name, units, activation, f"{name}/kernel", f"{name}/bias", (GLOROT, ZEROS), tap)


def layers_cnn():
    return _model("Placeholder", (784,), "dense_1/BiasAdd:0", [
        reshape("reshape", "Reshape:0"),
        _layers_conv("conv2d", 32, "same", "relu", "conv2d/Relu:0"),
        pool("max_pooling2d", "valid", "max_pooling2d/MaxPool:0"),
        _layers_conv("conv2d_1", 64, "same", "relu", "conv2d_1/Relu:0"),
        pool("max_pooling2d_1", "valid", "max_pooling2d_1/MaxPool:0"),
        flatten("Reshape_1:0"),
        _layers_dense("dense", 1024, "relu", "dense/Relu:0"),
        dropout(0.4, "dropout/cond/Identity:0", "rate 0.4: tf.layers.dropout's rate"),
        _layers_dense("dense_1", 10, None, "dense_1/BiasAdd:0"),
    ])


def lenet5():
    return _model("Placeholder", (784,), "dense_2/BiasAdd:0", [
        reshape("reshape", "Reshape:0"),
        _layers_conv("conv2d", 6, "same", "tanh", "conv2d/Tanh:0"),
        pool("max_pooling2d", "valid", "max_pooling2d/MaxPool:0"),
        _layers_conv("conv2d_1", 16, "valid", "relu", "conv2d_1/Relu:0"),
        pool("max_pooling2d_1", "valid", "max_pooling2d_1/MaxPool:0"),
        flatten("Reshape_1:0"),
        _layers_dense("dense", 120, "tanh", "dense/Tanh:0"),
        _layers_dense("dense_1", 84, "tanh", "dense_1/Tanh:0"),
        _layers_dense("dense_2", 10, None, "dense_2/BiasAdd:0"),
    ])


def core_convnet():
    init = (GLOROT, ZEROS)
    convs = [conv(name, filters, 3, "same", "relu", f"W{index}", f"B{index}", init, f"{tap}:0")
             for index, (name, filters, tap) in enumerate(
                 [("c1", 16, "Relu"), ("c2", 16, "Relu_1"), ("c3", 32, "Relu_2"), ("c4", 32, "Relu_3")],
                 start=1)]
    return _model("Xtrain", (28, 28, 1), "Add_1:0", [
        *convs[:2], pool("pool1", "same", "MaxPool:0"), *convs[2:], pool("pool2", "same", "MaxPool_1:0"),
        flatten("Reshape:0"),
        dense("d1", 128, "relu", "W5", "B5", init, "Relu_4:0"),
        dropout(0.2, "cond/Identity:0", "rate 0.2: the program's dropout rate"),
        dense("out", 10, None, "W6", "B6", init, "Add_1:0"),
    ])


FIVE = {"softmax_regression": softmax_regression, "deep_cnn": deep_cnn, "layers_cnn": layers_cnn,
        "lenet5": lenet5, "core_convnet": core_convnet}


def _without_noise(value):
    """A get_config value without what differs between equal models: seeds, dtypes."""
    if isinstance(value, dict):
        return {key: _without_noise(item) for key, item in value.items() if key not in ("seed", "dtype")}
    if isinstance(value, (list, tuple)):
        return [_without_noise(item) for item in value]
    return value


def twin_layer_configs(model):
    """[(class name, layer name, get_config without seeds and dtypes)] of a Keras model's layers."""
    return [(type(layer).__name__, layer.name, _without_noise(layer.get_config())) for layer in model.layers]
