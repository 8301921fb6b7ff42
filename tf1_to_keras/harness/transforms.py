"""Tensor transforms: where a TF1 variable's layout differs from its Keras weight's.

A name map's `transforms` is {key: transform}. Two kinds:

* **array transforms**, keyed by a Keras weight path (or a regex over paths): one TF1
  array in, the Keras array out. `transpose(axes)`, `reshape(shape)`, or any function
  `f(array) -> array` (kept in memory only: a file cannot name it).
* **cell transforms**, keyed by a Keras layer name: every TF1 variable under the cell's
  scope in, the layer's weights out in Keras order. This is how one TF1 variable feeds
  several Keras weights: an LSTM's `kernel [input + units, 4 units]` (gates i, c, f, o
  and a forget bias added at run time) becomes Keras `kernel`, `recurrent_kernel` and
  `bias` (gates i, f, c, o, forget bias folded in). Built on tf1_to_keras/harness/rnn_weights.py:
  `lstm_cell(scope, forget_bias=1.0)` (BasicLSTMCell, LSTMCell, LSTMBlockCell ->
  `LSTM`), `gru_cell(scope)` (GRUCell -> `GRU(reset_after=False)`),
  `simple_rnn_cell(scope)` (BasicRNNCell -> `SimpleRNN`).

In a name-map file a transform is an object naming it and its arguments:
`{"transform": "transpose", "axes": [1, 0]}`, `{"transform": "lstm_cell",
"scope": "rnn/basic_lstm_cell", "forget_bias": 1.0}`.
"""

import numpy as np

from tf1_to_keras.harness import rnn_weights


class ArrayTransform:
    """One TF1 array -> one Keras array; `name` and `arguments` describe it (JSON)."""

    def __init__(self, name, function, **arguments):
        self.name, self.function, self.arguments = name, function, arguments

    def __call__(self, array):
        return np.asarray(self.function(np.asarray(array)))

    def to_json(self):
        """{"transform": name, **arguments}; ValueError for an in-memory function."""
        if self.name not in NAMED:
            raise ValueError(f"transform {self!r} is a Python function; a name-map file can only "
                             f"name one of {sorted(NAMED)}")
        return {"transform": self.name, **self.arguments}

    def __repr__(self):
        arguments = ", ".join(f"{key}={value!r}" for key, value in self.arguments.items())
        return f"{self.name}({arguments})"


class CellTransform(ArrayTransform):
    """Every TF1 variable under `scope` ({name: array}) -> the Keras layer's weights, in order."""

    def __init__(self, name, function, scope, **arguments):
        super().__init__(name, function, scope=scope, **arguments)
        self.scope = scope.rstrip("/")

    def __call__(self, variables):
        options = {key: value for key, value in self.arguments.items() if key != "scope"}
        return [np.asarray(array) for array in self.function(variables, self.scope, **options)]


def transpose(axes=None):
    """np.transpose(array, axes) (reversed axes by default)."""
    axes = None if axes is None else [int(axis) for axis in axes]
    return ArrayTransform("transpose", lambda array: np.transpose(array, axes), axes=axes)


def reshape(shape):
    """array.reshape(shape)."""
    shape = [int(size) for size in shape]
    return ArrayTransform("reshape", lambda array: np.reshape(array, shape), shape=shape)


def lstm_cell(scope, forget_bias=1.0):
    """A TF1 LSTM cell's `kernel`, `bias` -> Keras LSTM [kernel, recurrent_kernel, bias]."""
    return CellTransform("lstm_cell", rnn_weights.lstm_to_keras, scope, forget_bias=float(forget_bias))


def gru_cell(scope):
    """A TF1 GRUCell's gates/ and candidate/ variables -> Keras GRU(reset_after=False)."""
    return CellTransform("gru_cell", rnn_weights.gru_to_keras, scope)


def simple_rnn_cell(scope):
    """A TF1 BasicRNNCell's `kernel`, `bias` -> Keras SimpleRNN."""
    return CellTransform("simple_rnn_cell", rnn_weights.simple_rnn_to_keras, scope)


NAMED = {"transpose": transpose, "reshape": reshape, "lstm_cell": lstm_cell, "gru_cell": gru_cell,
         "simple_rnn_cell": simple_rnn_cell}


def as_transform(value, where):
    """A transform from a transform or a plain function (wrapped); ValueError naming `where`."""
    if isinstance(value, ArrayTransform):
        return value
    if callable(value):
        return ArrayTransform(f"custom:{getattr(value, '__name__', 'function')}", value)
    raise ValueError(f"{where}: {value!r} is not a transform; expected one of the harness's "
                     f"({', '.join(sorted(NAMED))}) or a function array -> array")


def from_json(spec, where):
    """The transform a name-map file describes; ValueError naming `where` and the problem."""
    if not isinstance(spec, dict) or not isinstance(spec.get("transform"), str):
        raise ValueError(f"{where}: {spec!r}; expected an object like "
                         '{"transform": "transpose", "axes": [1, 0]}')
    name, arguments = spec["transform"], {key: value for key, value in spec.items() if key != "transform"}
    if name not in NAMED:
        raise ValueError(f"{where}: unknown transform {name!r}; expected one of {sorted(NAMED)}")
    try:
        return NAMED[name](**arguments)
    except (TypeError, ValueError, AttributeError) as error:
        raise ValueError(f"{where}: transform {name!r} with arguments {arguments}: {error}") from None
