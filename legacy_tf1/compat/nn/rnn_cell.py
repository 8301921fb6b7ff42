"""TF 1.x `tf.nn.rnn_cell`, as the tf-keras package still implements it.

Under Keras 3, `tf.compat.v1.nn.rnn_cell.BasicLSTMCell` raises "not available
with Keras 3", but the cells live on in `tf_keras.src.layers.rnn.legacy_cells`
and `legacy_cell_wrappers`. They work in graph mode in the same process as
Keras 3, create TF 1.x's variable names (`rnn/basic_lstm_cell/kernel`,
`rnn/multi_rnn_cell/cell_0/gru_cell/gates/kernel`, ...) and run under TF 2.21's
own `tf.nn.static_rnn` / `dynamic_rnn` and their bidirectional forms.

One TF 1.x behaviour tf_keras lost is restored here: a weight created without
an initializer (every cell kernel, unless the program passes one) takes the
variable scope's initializer, else a v1 `glorot_uniform_initializer` seeded by
the graph seed, as TF 1.x's `get_variable` did. tf_keras substitutes TF2's
GlorotUniform whenever TF2 behaviour is on, which `tf.set_random_seed` does not
reach. Each class here is the tf_keras class with that default; all of them are
subclasses of this module's `RNNCell` (and of tf_keras's classes), so
`isinstance(cell, tf.nn.rnn_cell.RNNCell)` holds as in TF 1.x.

Deviation from TF 1.x: the deprecation notices are tf_keras's `UserWarning`s
(naming the program's line), not TF 1.x's `WARNING:tensorflow:` log lines.
Any other name raises an AttributeError naming `tf.nn.rnn_cell.<name>`.
"""

import tensorflow as _tensorflow
from tf_keras.src.layers.rnn import legacy_cell_wrappers as _legacy_wrappers
from tf_keras.src.layers.rnn import legacy_cells as _legacy_cells

from legacy_tf1.compat._not_provided import module_getattr as _module_getattr

_V1 = _tensorflow.compat.v1


def _tf1_default_initializer(dtype):
    """The initializer TF 1.x's `get_variable` used when given none, or None to keep tf_keras's.

    The current variable scope's initializer, else (for floating types) a v1
    glorot_uniform_initializer whose seed comes from the graph seed. Integer
    and boolean weights keep tf_keras's zeros, which is also what TF 1.x used.
    """
    scope_initializer = _V1.get_variable_scope().initializer
    if scope_initializer is not None:
        return scope_initializer
    if _tensorflow.as_dtype(dtype or _tensorflow.float32).is_floating:
        return _V1.glorot_uniform_initializer()
    return None


class RNNCell(_legacy_cells.RNNCell):
    __doc__ = _legacy_cells.RNNCell.__doc__

    def add_weight(self, name, shape=None, dtype=None, initializer=None, *args, **kwargs):
        """tf_keras's `add_weight`, with TF 1.x's default when `initializer` is None."""
        if initializer is None:
            initializer = _tf1_default_initializer(dtype or self.dtype)
        return super().add_weight(name, shape, dtype, initializer, *args, **kwargs)


class _LayerRNNCell(_legacy_cells.LayerRNNCell, RNNCell):
    """TF 1.x's LayerRNNCell (public in tf.contrib.rnn only), with TF 1.x's default initializer."""


_LayerRNNCell.__name__ = _LayerRNNCell.__qualname__ = "LayerRNNCell"


class BasicRNNCell(_legacy_cells.BasicRNNCell, _LayerRNNCell):
    __doc__ = _legacy_cells.BasicRNNCell.__doc__


class BasicLSTMCell(_legacy_cells.BasicLSTMCell, _LayerRNNCell):
    __doc__ = _legacy_cells.BasicLSTMCell.__doc__


class LSTMCell(_legacy_cells.LSTMCell, _LayerRNNCell):
    __doc__ = _legacy_cells.LSTMCell.__doc__


class GRUCell(_legacy_cells.GRUCell, _LayerRNNCell):
    __doc__ = _legacy_cells.GRUCell.__doc__


class MultiRNNCell(_legacy_cells.MultiRNNCell, RNNCell):
    __doc__ = _legacy_cells.MultiRNNCell.__doc__


class DropoutWrapper(_legacy_wrappers.DropoutWrapper, RNNCell):
    __doc__ = _legacy_wrappers.DropoutWrapper.__doc__


class ResidualWrapper(_legacy_wrappers.ResidualWrapper, RNNCell):
    __doc__ = _legacy_wrappers.ResidualWrapper.__doc__


class DeviceWrapper(_legacy_wrappers.DeviceWrapper, RNNCell):
    __doc__ = _legacy_wrappers.DeviceWrapper.__doc__


LSTMStateTuple = _legacy_cells.LSTMStateTuple

# A TF1 name this module lacks fails naming the TF1 API.
__getattr__ = _module_getattr(
    "tf.nn.rnn_cell", "it supplies the tf.nn.rnn_cell of TF 1.x, taken from tf_keras's legacy cells")


def __dir__():
    return sorted(name for name in globals()
                  if not name.startswith("_"))
