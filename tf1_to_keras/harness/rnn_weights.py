"""TF 1.x RNN cell variables -> Keras 3 recurrent layer weights, in NumPy.

Each function takes `{variable name: array}` (a checkpoint's or a session's
variables; a `:0` suffix is ignored) and the cell's scope, e.g.
`rnn/basic_lstm_cell` or `rnn/multi_rnn_cell/cell_1/gru_cell`, and returns the
list `[kernel, recurrent_kernel, bias]` that the Keras layer's `set_weights` takes.

What differs between the two sides (docs/MIGRATION.md, "RNN cells"):

* LSTM (BasicLSTMCell, LSTMCell, LSTMBlockCell): TF 1.x keeps one `kernel`
  `[input + units, 4 * units]` applied to concat([x, h]), gates in the order
  i, j (the candidate c), f, o, and adds `forget_bias` (default 1.0) to f at
  run time, outside the variables. Keras' `LSTM` keeps `kernel [input, 4u]`,
  `recurrent_kernel [u, 4u]`, `bias [4u]` in the order i, f, c, o, and adds
  nothing: the forget bias has to go into the converted bias.
* GRU (GRUCell): `gates/kernel` (r, u) and `candidate/kernel` over
  concat([x, r * h]) are Keras `GRU(reset_after=False)` with the order z (= u), r, h.
  Keras' default `reset_after=True` is another formula: it has no TF 1.x twin.
* BasicRNNCell: Keras `SimpleRNN`, the kernel split at the input size.
* LSTMCell's peepholes, projection (`num_proj`) and `cell_clip` have no Keras
  counterpart: converting such a cell raises ValueError naming the option.
"""

import numpy as np

# Column blocks of TF 1.x's LSTM kernel (i, j=c, f, o) in Keras' order (i, f, c, o).
TF1_LSTM_BLOCKS_IN_KERAS_ORDER = (0, 2, 1, 3)
FORGET_BLOCK_KERAS = 1
# TF 1.x LSTMCell variables whose option Keras' LSTM lacks.
LSTM_OPTION_VARIABLES = {"w_f_diag": "use_peepholes", "w_i_diag": "use_peepholes",
                         "w_o_diag": "use_peepholes", "projection/kernel": "num_proj"}


class RNNConversionError(ValueError):
    """The TF 1.x variables cannot become the Keras layer's weights (names the variable and shapes)."""


def _is_slot(name, variable_names):
    """True for an optimizer's slot of a variable (`kernel/Adam`, `gates/bias/Momentum`)."""
    return any(name.startswith(variable + "/") for variable in variable_names)


def cell_variables(variables, scope, expected):
    """{relative name: float32 array} of the `expected` names under `scope`.

    Optimizer slots (`kernel/Adam`...) are left out; an LSTMCell option's variable,
    a missing name or any other name under `scope` raises RNNConversionError.
    """
    prefix = scope.rstrip("/") + "/"
    known = (*expected, *LSTM_OPTION_VARIABLES)
    found = {name.removesuffix(":0")[len(prefix):]: value
             for name, value in variables.items() if name.startswith(prefix)}
    found = {name: np.asarray(value, np.float32) for name, value in found.items()
             if not _is_slot(name, known)}
    options = sorted({LSTM_OPTION_VARIABLES[name] for name in found if name in LSTM_OPTION_VARIABLES})
    if options:
        raise RNNConversionError(f"{scope}: LSTMCell option {', '.join(options)} has no Keras LSTM "
                                 f"equivalent (variables {sorted(found)})")
    missing, extra = sorted(set(expected) - set(found)), sorted(set(found) - set(expected))
    if missing or extra:
        raise RNNConversionError(f"{scope}: expected variables {list(expected)}, missing {missing}, "
                                 f"unexpected {extra} (found {sorted(found)})")
    return found


def _units_and_input(kernel, bias, blocks, scope, kernel_name, bias_name):
    """(units, input size) of a TF 1.x kernel [input + units, blocks * units] and its bias."""
    if kernel.ndim != 2 or kernel.shape[1] % blocks:
        raise RNNConversionError(f"{scope}/{kernel_name}: shape {kernel.shape}; expected "
                                 f"[input + units, {blocks} * units]")
    units = kernel.shape[1] // blocks
    if kernel.shape[0] <= units:
        raise RNNConversionError(f"{scope}/{kernel_name}: shape {kernel.shape} has {kernel.shape[0]} rows "
                                 f"for {units} units; expected input + units rows")
    if bias.shape != (blocks * units,):
        raise RNNConversionError(f"{scope}/{bias_name}: shape {bias.shape}; expected ({blocks * units},) "
                                 f"to go with {scope}/{kernel_name} of shape {kernel.shape}")
    return units, kernel.shape[0] - units


def _blocks(array, order, units):
    """The column blocks of `array` (each `units` wide) in `order`, concatenated."""
    return np.concatenate([array[..., block * units:(block + 1) * units] for block in order], axis=-1)


def lstm_to_keras(variables, scope, forget_bias=1.0, cell_clip=None):
    """[kernel, recurrent_kernel, bias] of Keras `LSTM(units)` from a TF 1.x LSTM cell's variables.

    `forget_bias` is the cell's constructor argument (BasicLSTMCell, LSTMCell and
    LSTMBlockCell default to 1.0); it is added to the converted forget-gate bias.
    """
    if cell_clip is not None:
        raise RNNConversionError(f"{scope}: LSTMCell option cell_clip={cell_clip} has no Keras LSTM equivalent")
    cell = cell_variables(variables, scope, ("kernel", "bias"))
    units, input_size = _units_and_input(cell["kernel"], cell["bias"], 4, scope, "kernel", "bias")
    kernel = _blocks(cell["kernel"], TF1_LSTM_BLOCKS_IN_KERAS_ORDER, units)
    bias = _blocks(cell["bias"], TF1_LSTM_BLOCKS_IN_KERAS_ORDER, units)
    bias[FORGET_BLOCK_KERAS * units:(FORGET_BLOCK_KERAS + 1) * units] += np.float32(forget_bias)
    return [kernel[:input_size], kernel[input_size:], bias]


def gru_to_keras(variables, scope):
    """[kernel, recurrent_kernel, bias] of Keras `GRU(units, reset_after=False)` from a TF 1.x GRUCell."""
    cell = cell_variables(variables, scope, ("gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias"))
    units, input_size = _units_and_input(cell["gates/kernel"], cell["gates/bias"], 2, scope,
                                         "gates/kernel", "gates/bias")
    expected = (input_size + units, units)
    if cell["candidate/kernel"].shape != expected or cell["candidate/bias"].shape != (units,):
        raise RNNConversionError(
            f"{scope}/candidate: kernel {cell['candidate/kernel'].shape}, bias {cell['candidate/bias'].shape}; "
            f"expected {expected} and ({units},) to go with gates/kernel {cell['gates/kernel'].shape}")
    # TF 1.x's gate columns are (r, u); Keras wants (z = u, r, candidate).
    kernel = np.concatenate([_blocks(cell["gates/kernel"], (1, 0), units), cell["candidate/kernel"]], axis=1)
    bias = np.concatenate([_blocks(cell["gates/bias"], (1, 0), units), cell["candidate/bias"]])
    return [kernel[:input_size], kernel[input_size:], bias]


def simple_rnn_to_keras(variables, scope):
    """[kernel, recurrent_kernel, bias] of Keras `SimpleRNN(units)` from a TF 1.x BasicRNNCell."""
    cell = cell_variables(variables, scope, ("kernel", "bias"))
    _, input_size = _units_and_input(cell["kernel"], cell["bias"], 1, scope, "kernel", "bias")
    return [cell["kernel"][:input_size], cell["kernel"][input_size:], cell["bias"]]
