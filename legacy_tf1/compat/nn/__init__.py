"""TF 1.x `tf.nn`: everything `tf.compat.v1.nn` has, with `rnn_cell` supplied by the layer.

Under Keras 3, `tf.compat.v1.nn.rnn_cell.BasicLSTMCell` raises "not available
with Keras 3"; `tf.nn.rnn_cell` here is `legacy_tf1.compat.nn.rnn_cell`, the TF 1.x
cells as tf_keras still implements them. `static_rnn`, `dynamic_rnn` and their
bidirectional forms are TF 2.21's own and work with those cells.
"""

import importlib

import tensorflow as _tensorflow

from legacy_tf1.compat._not_provided import not_provided as _not_provided

_V1_NN = _tensorflow.compat.v1.nn

# Names this layer supplies itself, as sub-modules of this package.
SUPPLIED_MODULES = ("rnn_cell",)


def __getattr__(name):
    if name in SUPPLIED_MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name.startswith("__") and name.endswith("__"):
        raise AttributeError(name)
    try:
        return getattr(_V1_NN, name)
    except AttributeError:
        raise _not_provided(f"tf.nn.{name}", "neither tf.compat.v1.nn nor the layer has it") from None


def __dir__():
    return sorted(set(globals()) | set(dir(_V1_NN)) | set(SUPPLIED_MODULES))
