"""TF 1.x `tf.contrib.rnn`: the core cells, the static RNNs and the contrib pieces tutorials used.

* The cells and wrappers TF 1.x re-exported from core (`BasicLSTMCell`, `GRUCell`,
  `MultiRNNCell`, `DropoutWrapper`, ..., and `LayerRNNCell`) are the layer's
  `tf.nn.rnn_cell` classes (tf_keras's legacy cells with TF 1.x's default initializer).
* `static_rnn`, `static_bidirectional_rnn`, `static_state_saving_rnn` are TF 2.21's own
  `tf.compat.v1.nn` functions, the TF 1.x code; `transpose_batch_time` and
  `best_effort_input_batch_size` are TF 2.21's own helpers.
* `stack_bidirectional_rnn`, `stack_bidirectional_dynamic_rnn`, `OutputProjectionWrapper`
  and `InputProjectionWrapper` are written here on `tf.compat.v1` with TF 1.x's
  scopes and variable names (`stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/...`,
  `rnn/output_projection_wrapper/kernel`).
* `LSTMBlockCell`: TF 2.21 keeps the fused `LSTMBlockCell` kernel but no gradient for
  it, so this one computes the same formula with `LSTMCell`'s ops. Same variables
  (`lstm_cell/kernel`, `lstm_cell/bias`, `w_i_diag`...), same defaults; the values
  equal the fused kernel's to float rounding (checked against `tf.raw_ops.LSTMBlockCell`).
  Deviation: it is not the fused kernel, so it is as fast as `LSTMCell`, no faster.

Everything else of TF 1.x's contrib.rnn (`LayerNormBasicLSTMCell`, `GRUBlockCell`,
`AttentionCellWrapper`, `EmbeddingWrapper`, ...) raises an AttributeError naming it.
"""

import numbers as _numbers
import warnings as _warnings

import tensorflow as _tensorflow
from tensorflow.python.ops import rnn as _tf_rnn
from tf_keras.src.layers.rnn import legacy_cell_wrappers as _legacy_wrappers

from legacy_tf1.compat._not_provided import module_getattr as _module_getattr
from legacy_tf1.compat.nn import rnn_cell as _rnn_cell

_V1 = _tensorflow.compat.v1

RNNCell = _rnn_cell.RNNCell
LayerRNNCell = _rnn_cell._LayerRNNCell  # pylint: disable=protected-access
BasicRNNCell = _rnn_cell.BasicRNNCell
BasicLSTMCell = _rnn_cell.BasicLSTMCell
GRUCell = _rnn_cell.GRUCell
LSTMCell = _rnn_cell.LSTMCell
LSTMStateTuple = _rnn_cell.LSTMStateTuple
DropoutWrapper = _rnn_cell.DropoutWrapper
MultiRNNCell = _rnn_cell.MultiRNNCell
DeviceWrapper = _rnn_cell.DeviceWrapper
ResidualWrapper = _rnn_cell.ResidualWrapper

static_rnn = _V1.nn.static_rnn
static_bidirectional_rnn = _V1.nn.static_bidirectional_rnn
static_state_saving_rnn = _V1.nn.static_state_saving_rnn
transpose_batch_time = _tf_rnn._transpose_batch_time  # pylint: disable=protected-access
best_effort_input_batch_size = _tf_rnn._best_effort_input_batch_size  # pylint: disable=protected-access


# --- stacked bidirectional RNNs --------------------------------------------------------------------

def _check_layer_lists(cells_fw, cells_bw, initial_states_fw, initial_states_bw):
    """TF 1.x's argument checks: two equally long lists of cells, optional lists of states."""
    for name, cells in (("cells_fw", cells_fw), ("cells_bw", cells_bw)):
        if not isinstance(cells, list) or not cells:
            raise ValueError(f"{name}={cells!r}; expected a non-empty list of RNNCells (one per layer)")
    if len(cells_fw) != len(cells_bw):
        raise ValueError(f"{len(cells_fw)} forward and {len(cells_bw)} backward cells; "
                         "expected the same depth")
    for name, states in (("initial_states_fw", initial_states_fw),
                         ("initial_states_bw", initial_states_bw)):
        if states is not None and (not isinstance(states, list) or len(states) != len(cells_fw)):
            raise ValueError(f"{name}={states!r}; expected a list of {len(cells_fw)} states (one per layer)")


def _layer_state(states, index):
    return states[index] if states else None


def stack_bidirectional_rnn(cells_fw, cells_bw, inputs, initial_states_fw=None,
                            initial_states_bw=None, dtype=None, sequence_length=None, scope=None):
    """Bidirectional `static_rnn` layers, each fed the previous layer's concatenated outputs.

    Returns (outputs: a list of [batch, fw + bw depth] tensors, final forward states
    per layer, final backward states per layer), with TF 1.x's scopes
    `stack_bidirectional_rnn/cell_<i>/{fw,bw}/...`.
    """
    _check_layer_lists(cells_fw, cells_bw, initial_states_fw, initial_states_bw)
    states_fw, states_bw, layer_inputs = [], [], inputs
    with _V1.variable_scope(scope or "stack_bidirectional_rnn"):
        for index, (cell_fw, cell_bw) in enumerate(zip(cells_fw, cells_bw)):
            with _V1.variable_scope(f"cell_{index}") as cell_scope:
                layer_inputs, state_fw, state_bw = static_bidirectional_rnn(
                    cell_fw, cell_bw, layer_inputs,
                    initial_state_fw=_layer_state(initial_states_fw, index),
                    initial_state_bw=_layer_state(initial_states_bw, index),
                    dtype=dtype, sequence_length=sequence_length, scope=cell_scope)
            states_fw.append(state_fw)
            states_bw.append(state_bw)
    return layer_inputs, tuple(states_fw), tuple(states_bw)


def stack_bidirectional_dynamic_rnn(cells_fw, cells_bw, inputs, initial_states_fw=None,
                                    initial_states_bw=None, dtype=None, sequence_length=None,
                                    parallel_iterations=None, time_major=False, scope=None):
    """Bidirectional `dynamic_rnn` layers, each fed the previous layer's concatenated outputs.

    Returns (outputs [batch, time, fw + bw depth] (time-major if `time_major`), final
    forward states per layer, final backward states per layer), with TF 1.x's scopes
    `stack_bidirectional_rnn/cell_<i>/bidirectional_rnn/{fw,bw}/...`.
    """
    _check_layer_lists(cells_fw, cells_bw, initial_states_fw, initial_states_bw)
    states_fw, states_bw, layer_inputs = [], [], inputs
    with _V1.variable_scope(scope or "stack_bidirectional_rnn"):
        for index, (cell_fw, cell_bw) in enumerate(zip(cells_fw, cells_bw)):
            with _V1.variable_scope(f"cell_{index}"):
                outputs, (state_fw, state_bw) = _V1.nn.bidirectional_dynamic_rnn(
                    cell_fw, cell_bw, layer_inputs,
                    initial_state_fw=_layer_state(initial_states_fw, index),
                    initial_state_bw=_layer_state(initial_states_bw, index),
                    sequence_length=sequence_length, parallel_iterations=parallel_iterations,
                    dtype=dtype, time_major=time_major)
                layer_inputs = _V1.concat(outputs, 2)
            states_fw.append(state_fw)
            states_bw.append(state_bw)
    return layer_inputs, tuple(states_fw), tuple(states_bw)


# --- cells and wrappers of contrib -----------------------------------------------------------------

class LSTMBlockCell(LSTMCell):
    """TF 1.x's `tf.contrib.rnn.LSTMBlockCell`, computed with `LSTMCell`'s ops (see the module doc).

    `cell_clip` None or <= 0 means no clipping, as in the fused kernel.
    """

    def __init__(self, num_units, forget_bias=1.0, cell_clip=None, use_peephole=False,
                 dtype=None, reuse=None, name="lstm_cell"):
        clip = cell_clip if cell_clip is not None and cell_clip > 0 else None
        with _warnings.catch_warnings():  # LSTMCell's deprecation notice: TF 1.x gave none here
            _warnings.filterwarnings("ignore", message=".*LSTMCell. is deprecated")
            super().__init__(num_units, use_peepholes=use_peephole, cell_clip=clip,
                             forget_bias=forget_bias, reuse=reuse, name=name, dtype=dtype)


def _linear(inputs, output_size):
    """TF 1.x's `_Linear` on one input: `kernel` (default initializer) and a zero `bias`."""
    kernel = _V1.get_variable("kernel", [inputs.shape[-1], output_size], dtype=inputs.dtype)
    bias = _V1.get_variable("bias", [output_size], dtype=inputs.dtype,
                            initializer=_V1.constant_initializer(0.0))
    return _V1.nn.bias_add(_V1.matmul(inputs, kernel), bias)


class _ProjectionWrapper(RNNCell):
    """State and zero state of the wrapped cell; the projection is the subclass's."""

    def __init__(self, cell, size, activation=None, reuse=None):
        super().__init__(_reuse=reuse)
        _legacy_wrappers.assert_like_rnncell("cell", cell)  # TypeError, as in TF 1.x
        if not isinstance(size, _numbers.Integral) or size < 1:
            raise ValueError(f"projection size {size!r}; expected an integer > 0")
        self._cell = cell
        self._size = size
        self._activation = activation

    @property
    def state_size(self):
        return self._cell.state_size

    def zero_state(self, batch_size, dtype):
        with _V1.name_scope(type(self).__name__ + "ZeroState"):
            return self._cell.zero_state(batch_size, dtype)

    def _project(self, inputs):
        projected = _linear(inputs, self._size)
        return self._activation(projected) if self._activation else projected


class OutputProjectionWrapper(_ProjectionWrapper):
    """TF 1.x's wrapper adding `activation(output @ kernel + bias)` to a cell's output."""

    def __init__(self, cell, output_size, activation=None, reuse=None):
        super().__init__(cell, output_size, activation, reuse)

    @property
    def output_size(self):
        return self._size

    def call(self, inputs, state):
        output, new_state = self._cell(inputs, state)
        return self._project(output), new_state


class InputProjectionWrapper(_ProjectionWrapper):
    """TF 1.x's wrapper projecting the inputs to `num_proj` before the cell."""

    def __init__(self, cell, num_proj, activation=None, input_size=None, reuse=None):
        del input_size  # deprecated and unused in TF 1.x too
        super().__init__(cell, num_proj, activation, reuse)

    @property
    def output_size(self):
        return self._cell.output_size

    def call(self, inputs, state):
        return self._cell(self._project(inputs), state)


__getattr__ = _module_getattr(
    "tf.contrib.rnn", "its tf.contrib.rnn supplies the core cells and wrappers, the static and "
    "stacked bidirectional RNNs, LSTMBlockCell and the input/output projection wrappers")


def __dir__():
    return sorted(name for name in globals() if not name.startswith("_"))
