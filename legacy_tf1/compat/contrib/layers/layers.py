"""TF 1.x `tf.contrib.layers` layer functions (`contrib/layers/python/layers/layers.py`).

`fully_connected`, `convolution` / `convolution2d` (`conv2d`), `conv2d_transpose`,
`flatten`, `dropout`, `max_pool2d`, `avg_pool2d`, `one_hot_encoding` and the
`linear` / `relu` / `relu6` shorthands, with contrib's defaults: ReLU activation,
`xavier_initializer()` weights, zero biases, 'SAME' convolutions of stride 1,
'VALID' pools of stride 2, `dropout(keep_prob=0.5, is_training=True)`.

As in TF1, each is built on a `tf.layers` class (here the layer's own,
`legacy_tf1.compat.layers`, from tf_keras) inside a variable scope named
`scope` or, by default, `fully_connected`, `Conv`, `Conv2d_transpose`,
`Dropout` (unique-ified: `fully_connected_1`, `Conv_1`, ...), with a custom
getter that names the variables `weights` and `biases` and puts them in
MODEL_VARIABLES. `normalizer_fn` (e.g. `batch_norm`) replaces the biases;
regularizers' penalties go to REGULARIZATION_LOSSES; every function takes
`outputs_collections` and can be scoped by `tf.contrib.framework.arg_scope`.
`batch_norm` is in `normalization.py`.
"""

import functools

import tensorflow as _tensorflow

import legacy_tf1.compat.layers as _tf_layers
from legacy_tf1.compat.contrib import framework
from legacy_tf1.compat.contrib.layers import initializers
from legacy_tf1.compat.contrib.layers import utils

_V1 = _tensorflow.compat.v1

DATA_FORMATS_2D = ("NHWC", "NCHW")
CONVOLUTION_DATA_FORMATS = (None, "NWC", "NCW", "NHWC", "NCHW", "NDHWC", "NCDHW")
_CONVOLUTION_CLASSES = {3: _tf_layers.Conv1D, 4: _tf_layers.Conv2D, 5: _tf_layers.Conv3D}
_WEIGHTS_AND_BIASES = {"kernel": "weights", "bias": "biases"}


def _keras_data_format(data_format):
    return "channels_first" if data_format and data_format.startswith("NC") else "channels_last"


def _weighted_layer_output(layer, inputs, options, scope_name):
    """Applies `layer` (Dense or a convolution), then normalizer, activation, collections."""
    outputs = layer.apply(inputs)
    utils.add_variable_to_collections(layer.kernel, options["variables_collections"], "weights")
    if layer.bias is not None:
        utils.add_variable_to_collections(layer.bias, options["variables_collections"], "biases")
    if options["normalizer_fn"] is not None:
        outputs = options["normalizer_fn"](outputs, **(options["normalizer_params"] or {}))
    if options["activation_fn"] is not None:
        outputs = options["activation_fn"](outputs)
    return utils.collect_named_outputs(options["outputs_collections"], scope_name, outputs)


def _weight_arguments(options, inputs, scope):
    """The tf.layers constructor arguments shared by Dense and the convolutions."""
    return dict(
        activation=None,
        use_bias=options["normalizer_fn"] is None and options["biases_initializer"] is not None,
        kernel_initializer=options["weights_initializer"],
        bias_initializer=options["biases_initializer"],
        kernel_regularizer=options["weights_regularizer"],
        bias_regularizer=options["biases_regularizer"],
        activity_regularizer=None, trainable=options["trainable"], name=scope.name,
        dtype=inputs.dtype.base_dtype, _scope=scope, _reuse=options["reuse"])


@framework.add_arg_scope
def fully_connected(inputs, num_outputs, activation_fn=_V1.nn.relu, normalizer_fn=None,
                    normalizer_params=None, weights_initializer=initializers.xavier_initializer(),
                    weights_regularizer=None, biases_initializer=_V1.zeros_initializer(),
                    biases_regularizer=None, reuse=None, variables_collections=None,
                    outputs_collections=None, trainable=True, scope=None):
    """activation_fn(normalizer_fn(inputs @ weights) or inputs @ weights + biases)."""
    options = dict(locals())
    if isinstance(num_outputs, bool) or not isinstance(num_outputs, int):
        raise ValueError(f"num_outputs={num_outputs!r}; expected an int")
    getter = utils.model_variable_getter(_WEIGHTS_AND_BIASES)
    with _V1.variable_scope(scope, "fully_connected", [inputs], reuse=reuse,
                            custom_getter=getter) as variable_scope:
        inputs = _V1.convert_to_tensor(inputs)
        layer = _tf_layers.Dense(units=num_outputs, **_weight_arguments(options, inputs, variable_scope))
        return _weighted_layer_output(layer, inputs, options, variable_scope.name)


def _convolution(inputs, num_outputs, kernel_size, stride, padding, data_format, rate, options,
                 conv_dims):
    """contrib's `convolution`: an N-D convolution chosen by the rank of `inputs`."""
    if data_format not in CONVOLUTION_DATA_FORMATS:
        raise ValueError(f"data_format={data_format!r}; expected one of {CONVOLUTION_DATA_FORMATS}")
    getter = utils.model_variable_getter(_WEIGHTS_AND_BIASES)
    with _V1.variable_scope(options["scope"], "Conv", [inputs], reuse=options["reuse"],
                            custom_getter=getter) as variable_scope:
        inputs = _V1.convert_to_tensor(inputs)
        rank = inputs.shape.ndims
        if conv_dims is not None and conv_dims + 2 != rank:
            raise ValueError(f"inputs have rank {rank}; expected rank {conv_dims + 2} "
                             f"for a {conv_dims}-D convolution")
        if rank not in _CONVOLUTION_CLASSES:
            raise ValueError(f"inputs have rank {rank}; expected 3, 4 or 5")
        layer = _CONVOLUTION_CLASSES[rank](
            filters=num_outputs, kernel_size=kernel_size, strides=stride, padding=padding,
            data_format=_keras_data_format(data_format), dilation_rate=rate,
            **_weight_arguments(options, inputs, variable_scope))
        return _weighted_layer_output(layer, inputs, options, variable_scope.name)


def _convolution_options(arguments):
    """The arguments of a convolution function that `_convolution` reads from its options."""
    positional = ("inputs", "num_outputs", "kernel_size", "stride", "padding", "data_format", "rate")
    return [arguments[name] for name in positional], {
        name: value for name, value in arguments.items() if name not in positional}


@framework.add_arg_scope
def convolution(inputs, num_outputs, kernel_size, stride=1, padding="SAME", data_format=None,
                rate=1, activation_fn=_V1.nn.relu, normalizer_fn=None, normalizer_params=None,
                weights_initializer=initializers.xavier_initializer(), weights_regularizer=None,
                biases_initializer=_V1.zeros_initializer(), biases_regularizer=None, reuse=None,
                variables_collections=None, outputs_collections=None, trainable=True, scope=None,
                conv_dims=None):
    """An N-D convolution (N = rank - 2, or `conv_dims`); variables `Conv/weights`, `Conv/biases`."""
    arguments, options = _convolution_options(dict(locals()))
    return _convolution(*arguments, options, options.pop("conv_dims"))


@framework.add_arg_scope
def convolution2d(inputs, num_outputs, kernel_size, stride=1, padding="SAME", data_format=None,
                  rate=1, activation_fn=_V1.nn.relu, normalizer_fn=None, normalizer_params=None,
                  weights_initializer=initializers.xavier_initializer(), weights_regularizer=None,
                  biases_initializer=_V1.zeros_initializer(), biases_regularizer=None, reuse=None,
                  variables_collections=None, outputs_collections=None, trainable=True, scope=None):
    """A 2-D convolution of NHWC (or NCHW) `inputs`; see `convolution`."""
    arguments, options = _convolution_options(dict(locals()))
    return _convolution(*arguments, options, conv_dims=2)


@framework.add_arg_scope
def convolution2d_transpose(inputs, num_outputs, kernel_size, stride=1, padding="SAME",
                            data_format="NHWC", activation_fn=_V1.nn.relu, normalizer_fn=None,
                            normalizer_params=None,
                            weights_initializer=initializers.xavier_initializer(),
                            weights_regularizer=None, biases_initializer=_V1.zeros_initializer(),
                            biases_regularizer=None, reuse=None, variables_collections=None,
                            outputs_collections=None, trainable=True, scope=None):
    """A transposed 2-D convolution; variables `Conv2d_transpose/weights`, `.../biases`."""
    options = dict(locals())
    if data_format not in DATA_FORMATS_2D:
        raise ValueError(f"data_format={data_format!r}; expected one of {DATA_FORMATS_2D}")
    getter = utils.model_variable_getter(_WEIGHTS_AND_BIASES)
    with _V1.variable_scope(scope, "Conv2d_transpose", [inputs], reuse=reuse,
                            custom_getter=getter) as variable_scope:
        inputs = _V1.convert_to_tensor(inputs)
        layer = _tf_layers.Conv2DTranspose(
            filters=num_outputs, kernel_size=kernel_size, strides=stride, padding=padding,
            data_format=_keras_data_format(data_format),
            **_weight_arguments(options, inputs, variable_scope))
        return _weighted_layer_output(layer, inputs, options, variable_scope.name)


def _pool2d(layer_class, default_name, inputs, kernel_size, stride, padding, data_format,
            outputs_collections, scope):
    if data_format not in DATA_FORMATS_2D:
        raise ValueError(f"data_format={data_format!r}; expected one of {DATA_FORMATS_2D}")
    with _V1.name_scope(scope, default_name, [inputs]) as name_scope:
        inputs = _V1.convert_to_tensor(inputs)
        layer = layer_class(pool_size=kernel_size, strides=stride, padding=padding,
                            data_format=_keras_data_format(data_format), _scope=name_scope)
        return utils.collect_named_outputs(outputs_collections, name_scope, layer.apply(inputs))


@framework.add_arg_scope
def max_pool2d(inputs, kernel_size, stride=2, padding="VALID", data_format="NHWC",
               outputs_collections=None, scope=None):
    """2-D max pooling (op names `MaxPool2D/...`)."""
    return _pool2d(_tf_layers.MaxPooling2D, "MaxPool2D", inputs, kernel_size, stride, padding,
                   data_format, outputs_collections, scope)


@framework.add_arg_scope
def avg_pool2d(inputs, kernel_size, stride=2, padding="VALID", data_format="NHWC",
               outputs_collections=None, scope=None):
    """2-D average pooling (op names `AvgPool2D/...`)."""
    return _pool2d(_tf_layers.AveragePooling2D, "AvgPool2D", inputs, kernel_size, stride, padding,
                   data_format, outputs_collections, scope)


@framework.add_arg_scope
def dropout(inputs, keep_prob=0.5, noise_shape=None, is_training=True, outputs_collections=None,
            scope=None, seed=None):
    """Keeps each element with probability keep_prob, scaled by 1 / keep_prob, when training."""
    with _V1.variable_scope(scope, "Dropout", [inputs],
                            custom_getter=utils.model_variable_getter()) as variable_scope:
        inputs = _V1.convert_to_tensor(inputs)
        layer = _tf_layers.Dropout(rate=1 - keep_prob, noise_shape=noise_shape, seed=seed,
                                   name=variable_scope.name, _scope=variable_scope)
        outputs = layer.apply(inputs, training=is_training)
        return utils.collect_named_outputs(outputs_collections, variable_scope.name, outputs)


@framework.add_arg_scope
def flatten(inputs, outputs_collections=None, scope=None):
    """[batch_size, ...] -> [batch_size, k] (op names `Flatten/...`)."""
    with _V1.name_scope(scope, "Flatten", [inputs]) as name_scope:
        inputs = _V1.convert_to_tensor(inputs)
        if inputs.shape.ndims is None or inputs.shape.ndims < 2:
            raise ValueError(f"inputs have shape {inputs.shape}; expected a known rank >= 2")
        outputs = _tf_layers.Flatten().apply(inputs)
        return utils.collect_named_outputs(outputs_collections, name_scope, outputs)


@framework.add_arg_scope
def one_hot_encoding(labels, num_classes, on_value=1.0, off_value=0.0, outputs_collections=None,
                     scope=None):
    """`tf.one_hot` of the labels (int32 labels are cast to int64 first, as TF1 did)."""
    with _V1.name_scope(scope, "OneHotEncoding", [labels, num_classes]) as name_scope:
        labels = _V1.convert_to_tensor(labels)
        if labels.dtype == _tensorflow.int32:
            labels = _V1.cast(labels, _tensorflow.int64)
        outputs = _V1.one_hot(labels, num_classes, on_value=on_value, off_value=off_value)
        return utils.collect_named_outputs(outputs_collections, name_scope, outputs)


# TF1's shorthands and aliases.
linear = functools.partial(fully_connected, activation_fn=None)
relu = functools.partial(fully_connected, activation_fn=_V1.nn.relu)
relu6 = functools.partial(fully_connected, activation_fn=_V1.nn.relu6)
conv2d = convolution2d
conv2d_transpose = convolution2d_transpose
