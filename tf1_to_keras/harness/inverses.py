"""Keras weights back to TF1 variables: each transform run backwards, so that a Keras file
converts to a TF1 checkpoint through the same name map (`mnist-parity convert`, Keras -> TF1).

* no transform: the array as it is; `transpose(axes)`: transposed by the inverse
  permutation; `reshape(shape)`: reshaped to the TF1 variable's own shape;
* `lstm_cell`: Keras `kernel`, `recurrent_kernel` (stacked back into TF1's one kernel over
  [x, h]), gates back from i, f, c, o to TF1's i, c, f, o, and the forget bias taken out of
  the bias again (so that value round-trips to within a float32 rounding, not bitwise);
  `gru_cell`: Keras z, r, h back to TF1's `gates` (r, u) and `candidate`; `simple_rnn_cell`:
  the two kernels stacked;
* a Python function has no inverse: NameMapError (a ValueError) naming it.

A TF1 variable that fed several Keras weights (a table entry with several paths) takes
the first; the others must hold the same values, else NameMapError names them.
"""

import numpy as np

from tf1_to_keras.harness import rnn_weights
from tf1_to_keras.harness import errors, transforms

# Keras' LSTM gate order (i, f, c, o) read back into TF1's (i, c, f, o): the permutation
# rnn_weights applies forwards is its own inverse.
KERAS_LSTM_BLOCKS_IN_TF1_ORDER = rnn_weights.TF1_LSTM_BLOCKS_IN_KERAS_ORDER


def _blocks(array, order, units):
    return np.concatenate([array[..., block * units:(block + 1) * units] for block in order], axis=-1)


def lstm_from_keras(kernel, recurrent_kernel, bias, forget_bias=1.0):
    """{"kernel", "bias"} of a TF1 LSTM cell from Keras LSTM's three weights."""
    units = recurrent_kernel.shape[0]
    bias = np.array(bias, dtype=np.float32)
    forget = slice(rnn_weights.FORGET_BLOCK_KERAS * units, (rnn_weights.FORGET_BLOCK_KERAS + 1) * units)
    bias[forget] -= np.float32(forget_bias)
    stacked = np.concatenate([kernel, recurrent_kernel], axis=0)
    return {"kernel": _blocks(stacked, KERAS_LSTM_BLOCKS_IN_TF1_ORDER, units),
            "bias": _blocks(bias, KERAS_LSTM_BLOCKS_IN_TF1_ORDER, units)}


def gru_from_keras(kernel, recurrent_kernel, bias):
    """{"gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias"} of a TF1 GRUCell
    from Keras GRU(reset_after=False)'s three weights."""
    units = recurrent_kernel.shape[0]
    stacked = np.concatenate([kernel, recurrent_kernel], axis=0)
    # Keras' first two blocks are (z = u, r); TF1's gates are (r, u).
    return {"gates/kernel": _blocks(stacked[:, :2 * units], (1, 0), units),
            "gates/bias": _blocks(np.asarray(bias)[:2 * units], (1, 0), units),
            "candidate/kernel": stacked[:, 2 * units:], "candidate/bias": np.asarray(bias)[2 * units:]}


def simple_rnn_from_keras(kernel, recurrent_kernel, bias):
    """{"kernel", "bias"} of a TF1 BasicRNNCell from Keras SimpleRNN's three weights."""
    return {"kernel": np.concatenate([kernel, recurrent_kernel], axis=0), "bias": np.asarray(bias)}


CELLS = {"lstm_cell": lstm_from_keras, "gru_cell": gru_from_keras, "simple_rnn_cell": simple_rnn_from_keras}


def _no_inverse(conversion, transform):
    return errors.NameMapError([
        f"transform {transform!r} (TF1 {', '.join(conversion.tf1_names)} -> Keras "
        f"{', '.join(conversion.keras_paths)}) has no inverse: a Python function cannot be run "
        f"backwards; for Keras -> TF1 use the named transforms ({', '.join(sorted(transforms.NAMED))})"])


def _invert_array(conversion, array, tf1_shape):
    transform = conversion.transform
    if transform is None:
        return np.array(array)
    if transform.name == "transpose":
        axes = transform.arguments["axes"]
        return np.transpose(array, None if axes is None else np.argsort(axes))
    if transform.name == "reshape":
        return np.reshape(array, tf1_shape)
    raise _no_inverse(conversion, transform)


def _invert_cell(conversion, arrays):
    transform = conversion.transform
    if transform.name not in CELLS:
        raise _no_inverse(conversion, transform)
    options = {key: value for key, value in transform.arguments.items() if key != "scope"}
    values = CELLS[transform.name](*arrays, **options)
    return {f"{transform.scope}/{name}": value for name, value in values.items()}


def invert(mapping, keras_values, tf1_shapes):
    """{TF1 name: array} from {Keras path: array} through every conversion of `mapping`
    run backwards; `tf1_shapes` ({TF1 name: shape}) gives reshape's target."""
    missing = sorted({path for _, path in mapping.pairs()} - set(keras_values))
    if missing:
        raise errors.ModelError(f"Keras values lack mapped weight(s) {missing}")
    values, sources = {}, {}
    for conversion in mapping.conversions:
        arrays = [np.asarray(keras_values[path]) for path in conversion.keras_paths]
        if isinstance(conversion.transform, transforms.CellTransform):
            found = _invert_cell(conversion, arrays)
        else:
            found = {conversion.tf1_names[0]: _invert_array(conversion, arrays[0],
                                                            tf1_shapes[conversion.tf1_names[0]])}
        for name, array in found.items():
            if name in values and not np.array_equal(values[name], array):
                raise errors.NameMapError([
                    f"TF1 {name} feeds Keras {sources[name]} and {', '.join(conversion.keras_paths)}, "
                    "which hold different values: no one TF1 value gives both"])
            values.setdefault(name, array)
            sources.setdefault(name, ", ".join(conversion.keras_paths))
    return values
