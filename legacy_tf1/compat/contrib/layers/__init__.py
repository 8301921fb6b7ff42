"""TF 1.x `tf.contrib.layers`, mirroring TF1's `tensorflow/contrib/layers/python/layers/`.

* `initializers`: xavier_initializer, xavier_initializer_conv2d, variance_scaling_initializer
* `regularizers`: l1_regularizer, l2_regularizer, l1_l2_regularizer, sum_regularizer,
  apply_regularization
* `optimizers`:   optimize_loss, OPTIMIZER_CLS_NAMES, OPTIMIZER_SUMMARIES
* `layers`:       fully_connected, convolution, convolution2d / conv2d,
  convolution2d_transpose / conv2d_transpose, flatten, dropout, max_pool2d,
  avg_pool2d, one_hot_encoding, linear, relu, relu6
* `normalization`: batch_norm
* `summaries`:    summarize_tensor(s), summarize_activation(s), summarize_collection,
  summarize_variables, summarize_weights, summarize_biases

with TF1's defaults and variable names (`fully_connected/weights`, `Conv_1/biases`,
`BatchNorm/moving_mean`, ...); the layer functions work inside
`tf.contrib.framework.arg_scope`. Each module's docstring says what it matches
and where it deviates. Any other `tf.contrib.layers.<name>` (layer_norm,
separable_conv2d, embed_sequence, feature columns, ...) raises the layer's
NotProvidedError naming it.
"""

from legacy_tf1.compat._not_provided import module_getattr as _module_getattr
from legacy_tf1.compat.contrib.layers.initializers import (
    variance_scaling_initializer, xavier_initializer, xavier_initializer_conv2d)
from legacy_tf1.compat.contrib.layers.layers import (
    avg_pool2d, conv2d, conv2d_transpose, convolution, convolution2d, convolution2d_transpose,
    dropout, flatten, fully_connected, linear, max_pool2d, one_hot_encoding, relu, relu6)
from legacy_tf1.compat.contrib.layers.normalization import batch_norm
from legacy_tf1.compat.contrib.layers.optimizers import (
    OPTIMIZER_CLS_NAMES, OPTIMIZER_SUMMARIES, optimize_loss)
from legacy_tf1.compat.contrib.layers.regularizers import (
    apply_regularization, l1_l2_regularizer, l1_regularizer, l2_regularizer, sum_regularizer)
from legacy_tf1.compat.contrib.layers.summaries import (
    summarize_activation, summarize_activations, summarize_biases, summarize_collection,
    summarize_tensor, summarize_tensors, summarize_variables, summarize_weights)

__getattr__ = _module_getattr(
    "tf.contrib.layers",
    "its tf.contrib.layers supplies the initializers, regularizers, optimize_loss, summaries and "
    "fully_connected, conv2d, conv2d_transpose, max_pool2d, avg_pool2d, flatten, dropout, "
    "batch_norm, one_hot_encoding")
