"""TF 1.x `tf.layers`, as the tf-keras package still implements it.

Under Keras 3, `tf.compat.v1.layers.dense` and its siblings raise "not
available with Keras 3", but the implementations live on in
`tf_keras.src.legacy_tf_layers` and work in graph mode in the same process as
Keras 3. They create the TF1 variable names (`conv2d/kernel`, `dense_1/bias`,
...) in the default graph's variable scope, register their variables in the
graph collections, and honour `training=` tensors, exactly like TF 1.x.

Every name of TF 1.x's `tf.layers` is here, in both forms (functions such as
`conv2d`, classes such as `Conv2D`); any other name raises an AttributeError
naming `tf.layers.<name>`.
"""

import functools as _functools
import inspect as _inspect

import tensorflow as _tensorflow
from tf_keras.src.engine import input_spec as _input_spec
from tf_keras.src.legacy_tf_layers import base as _base
from tf_keras.src.legacy_tf_layers import convolutional as _convolutional
from tf_keras.src.legacy_tf_layers import core as _core
from tf_keras.src.legacy_tf_layers import normalization as _normalization
from tf_keras.src.legacy_tf_layers import pooling as _pooling

from legacy_tf1.compat._caller_warnings import warn_at_caller as _warn_at_caller
from legacy_tf1.compat._not_provided import module_getattr as _module_getattr

_KERNEL_INITIALIZER_ARGUMENTS = ("kernel_initializer", "depthwise_initializer", "pointwise_initializer")


def _tf1_default_kernel_initializers(function):
    """Fills kernel initializers left as None the way TF 1.x did.

    TF1's tf.layers passed None to get_variable, which took the variable scope's
    initializer, else a v1 glorot_uniform_initializer seeded by the graph seed.
    tf_keras substitutes TF2's GlorotUniform, which draws its own random seed, so
    `tf.set_random_seed` would not reach the kernels (two runs, two inits).
    The function's deprecation warning names the program's line, not this file.
    """
    signature = _inspect.signature(function)

    @_warn_at_caller
    @_functools.wraps(function)
    def wrapper(*args, **kwargs):
        bound = signature.bind_partial(*args, **kwargs)
        for name in _KERNEL_INITIALIZER_ARGUMENTS:
            if name in signature.parameters and bound.arguments.get(name) is None:
                scope_initializer = _tensorflow.compat.v1.get_variable_scope().initializer
                bound.arguments[name] = (scope_initializer or
                                         _tensorflow.compat.v1.glorot_uniform_initializer())
        return function(*bound.args, **bound.kwargs)
    return wrapper


def _tf1_layer_class(layer_class):
    """A subclass of a tf_keras legacy layer whose constructor applies the TF1 defaults."""
    return type(layer_class.__name__, (layer_class,), {
        "__init__": _tf1_default_kernel_initializers(layer_class.__init__),
        "__module__": __name__, "__doc__": layer_class.__doc__})


InputSpec = _input_spec.InputSpec
Layer = _base.Layer

# Core layers.
Dense = _tf1_layer_class(_core.Dense)
Dropout = _core.Dropout
Flatten = _core.Flatten
dense = _tf1_default_kernel_initializers(_core.dense)
dropout = _core.dropout
flatten = _core.flatten

# Convolutions.
Conv1D = _tf1_layer_class(_convolutional.Conv1D)
Conv2D = _tf1_layer_class(_convolutional.Conv2D)
Conv3D = _tf1_layer_class(_convolutional.Conv3D)
Conv2DTranspose = _tf1_layer_class(_convolutional.Conv2DTranspose)
Conv3DTranspose = _tf1_layer_class(_convolutional.Conv3DTranspose)
SeparableConv1D = _tf1_layer_class(_convolutional.SeparableConv1D)
SeparableConv2D = _tf1_layer_class(_convolutional.SeparableConv2D)
conv1d = _tf1_default_kernel_initializers(_convolutional.conv1d)
conv2d = _tf1_default_kernel_initializers(_convolutional.conv2d)
conv3d = _tf1_default_kernel_initializers(_convolutional.conv3d)
conv2d_transpose = _tf1_default_kernel_initializers(_convolutional.conv2d_transpose)
conv3d_transpose = _tf1_default_kernel_initializers(_convolutional.conv3d_transpose)
separable_conv1d = _tf1_default_kernel_initializers(_convolutional.separable_conv1d)
separable_conv2d = _tf1_default_kernel_initializers(_convolutional.separable_conv2d)

# Pooling.
AveragePooling1D = _pooling.AveragePooling1D
AveragePooling2D = _pooling.AveragePooling2D
AveragePooling3D = _pooling.AveragePooling3D
MaxPooling1D = _pooling.MaxPooling1D
MaxPooling2D = _pooling.MaxPooling2D
MaxPooling3D = _pooling.MaxPooling3D
average_pooling1d = _pooling.average_pooling1d
average_pooling2d = _pooling.average_pooling2d
average_pooling3d = _pooling.average_pooling3d
max_pooling1d = _pooling.max_pooling1d
max_pooling2d = _pooling.max_pooling2d
max_pooling3d = _pooling.max_pooling3d

# Batch normalization (moving-average updates go to the UPDATE_OPS collection, as in TF1).
BatchNormalization = _normalization.BatchNormalization
batch_normalization = _normalization.batch_normalization


# A TF1 name this layer lacks fails naming the TF1 API.
__getattr__ = _module_getattr(
    "tf.layers", "it supplies the tf.layers of TF 1.x, taken from tf_keras.src.legacy_tf_layers")


def __dir__():
    return sorted(name for name in globals() if not name.startswith("_"))
