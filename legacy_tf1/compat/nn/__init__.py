"""TF 1.x `tf.nn`: everything `tf.compat.v1.nn` has, with `rnn_cell` supplied by the layer.

Under Keras 3, `tf.compat.v1.nn.rnn_cell.BasicLSTMCell` raises "not available
with Keras 3"; `tf.nn.rnn_cell` here is `legacy_tf1.compat.nn.rnn_cell`, the TF 1.x
cells as tf_keras still implements them. `static_rnn`, `dynamic_rnn` and their
bidirectional forms are TF 2.21's own and work with those cells.
"""

import tensorflow as _tensorflow

from legacy_tf1.compat._not_provided import delegating_module as _delegating_module

_V1_NN = _tensorflow.compat.v1.nn

# Names this layer supplies itself, as sub-modules of this package.
SUPPLIED_MODULES = ("rnn_cell",)


__getattr__, __dir__ = _delegating_module(globals(), _V1_NN, "tf.compat.v1.nn", "tf.nn", SUPPLIED_MODULES)
