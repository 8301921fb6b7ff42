"""Checks on the arrays handed to the harness, and the batches both sides train on.

Data can be any shape and any number of classes: x is one array (N, ...) of numbers
(float or integer), y one array (N, ...) of labels or targets. What the models cannot
take raises `DataError` (a ValueError) naming the array, its shape and dtype, and what
was expected: NaN or inf, a non-numeric dtype, an empty array, x and y of different
lengths, or examples whose shape the model's input does not take. Nothing here
writes files.

`make_batches(x, y, batch_size, steps, seed)` draws the batches TF1's `next_batch`
drew (mnist_core.batches), so both sides of a training check see the same examples.
"""

import numpy as np

from mnist_core import batches as batches_lib
from tf1_to_keras.harness import errors


def _describe(array):
    return f"shape {array.shape}, dtype {array.dtype}"


def check_array(array, where):
    """`array` as a non-empty numeric ndarray (N, ...) of finite values; DataError otherwise."""
    try:
        array = np.asarray(array)
    except (ValueError, TypeError) as error:
        raise errors.DataError(f"{where}: not an array ({error}); expected a NumPy array (N, ...)") from None
    if array.dtype == bool or not (np.issubdtype(array.dtype, np.floating)
                                   or np.issubdtype(array.dtype, np.integer)):
        raise errors.DataError(f"{where}: {_describe(array)}; expected floating point or integer numbers")
    if array.ndim == 0 or array.shape[0] == 0:
        raise errors.DataError(f"{where}: {_describe(array)}; expected a non-empty batch (N, ...)")
    if np.issubdtype(array.dtype, np.floating) and not np.all(np.isfinite(array)):
        nan, inf = int(np.count_nonzero(np.isnan(array))), int(np.count_nonzero(np.isinf(array)))
        raise errors.DataError(f"{where}: {_describe(array)} holds {nan} NaN and {inf} infinite "
                               "value(s); expected finite numbers")
    return array


def check_examples(x, y=None, where="data"):
    """(x, y) checked (x an array or {name: array}), y of the same length as x (y may be None)."""
    x = ({name: check_array(array, f"{where} x[{name!r}]") for name, array in x.items()}
         if isinstance(x, dict) else check_array(x, f"{where} x"))
    if y is None:
        return x, None
    y = check_array(y, f"{where} y")
    if len(y) != count(x):
        raise errors.DataError(f"{where}: x has {count(x)} examples but y has {len(y)} "
                               f"({_describe(y)}); expected the same number")
    return x, y


def check_input_shape(x, expected, where):
    """DataError unless each example of `x` has shape `expected` (None: any size)."""
    expected = tuple(None if size is None else int(size) for size in expected)
    found = x.shape[1:]
    if len(found) != len(expected) or any(want is not None and want != got
                                          for want, got in zip(expected, found)):
        shown = ", ".join("None" if size is None else str(size) for size in expected)
        raise errors.DataError(f"{where}: examples of shape {found} (x {_describe(x)}); the model takes "
                               f"(N, {shown})")
    return x


def check_inputs(x, expected, where):
    """`x` checked against the model's input: one array for an example shape (a tuple;
    None: not known), {name: array} for {name: shape}; DataError naming the problem."""
    if not isinstance(expected, dict):
        x = check_array(x, f"{where} x")
        return x if expected is None else check_input_shape(x, expected, where)
    if not isinstance(x, dict) or set(x) != set(expected):
        found = sorted(x) if isinstance(x, dict) else f"a {type(x).__name__}"
        raise errors.DataError(f"{where}: x is {found}; expected a dict of arrays {sorted(expected)}")
    checked = {name: check_inputs(x[name], expected[name], f"{where} [{name!r}]") for name in expected}
    if len({len(array) for array in checked.values()}) > 1:
        raise errors.DataError(f"{where}: inputs of different lengths "
                               f"{ {name: len(array) for name, array in checked.items()} }")
    return checked


def count(x):
    """The number of examples in x (an array or {name: array})."""
    return len(next(iter(x.values()))) if isinstance(x, dict) else len(x)


def rows(x, selection):
    """x[selection] for an array or each array of {name: array}."""
    return {name: array[selection] for name, array in x.items()} if isinstance(x, dict) else x[selection]


def make_batches(x, y, batch_size, steps, seed=0):
    """[(x batch, y batch)] * steps in TF1 `next_batch` order (reshuffled every epoch)."""
    x, y = check_examples(x, y, where="make_batches")
    if batch_size < 1 or steps < 1:
        raise ValueError(f"batch_size={batch_size}, steps={steps}; expected both >= 1")
    order = batches_lib.batch_order(count(x), batch_size, steps, seed)
    return [(rows(x, indices), y[indices]) for indices in order]


def check_batches(batches, where="batches"):
    """A list of (x, y) pairs, each checked; DataError for anything else."""
    batches = list(batches)
    if not batches:
        raise errors.DataError(f"{where}: no batches; expected at least one (x, y) pair")
    checked = []
    for index, batch in enumerate(batches):
        if not isinstance(batch, (tuple, list)) or len(batch) != 2:
            raise errors.DataError(f"{where}[{index}]: a {type(batch).__name__}; expected an (x, y) pair")
        checked.append(check_examples(*batch, where=f"{where}[{index}]"))
    return checked
