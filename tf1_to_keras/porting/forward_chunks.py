"""The forward check on many or large examples, in chunks, so memory stays flat.

`check_forward` taps every layer on both sides and holds each tap for every example at once:
1,000 MNIST images through a LeNet is a few MiB, but a ResNet-50 at 224x224 holds about
10 M numbers per example per side. `chunked_forward` runs the harness's check on chunks of
at most `chunk_size(...)` examples (TAP_VALUES tapped numbers per side per chunk) and merges
them: each layer's and the outputs' max |diff| is the largest of its chunks', which is the
figure one run over every example gives. Each element is judged by the same bar, except
that the bar's term relative to the tensor's magnitude (forward_magnitude_rtol * max
|expected|) takes a chunk's max, never more than the whole's: a chunk never passes what the
whole run would fail. A failing chunk's result is returned as it is, its messages naming
the examples it held.
"""

import dataclasses

import numpy as np

from tf1_to_keras import harness

TAP_VALUES = 2 ** 25  # tapped numbers per side per chunk: 128 MiB of float32 each side


def tap_values_per_example(keras_side, names):
    """How many numbers the named layers' outputs hold for one example (Keras output shapes)."""
    total = 0
    for name in names:
        outputs = keras_side.model.get_layer(name).output
        for output in outputs if isinstance(outputs, (list, tuple)) else [outputs]:
            total += int(np.prod([dimension or 1 for dimension in output.shape[1:]], dtype=np.int64))
    return max(total, 1)


def chunk_size(per_example, batch_size, budget=TAP_VALUES):
    """Examples per chunk: as many as `budget` numbers hold, at least one batch, a whole
    number of `batch_size` batches (a TF1 input built for exactly 100 takes only those)."""
    if per_example < 1 or batch_size < 1 or budget < 1:
        raise ValueError(f"chunk_size: per_example {per_example}, batch_size {batch_size} and budget "
                         f"{budget} must be positive")
    fits = max(1, budget // per_example)
    return max(batch_size, fits // batch_size * batch_size)


def _merged(comparisons):
    """The Comparison of one tensor over every chunk (all passed): the largest max |diff|'s,
    its index counted over all the examples."""
    offset, worst = max(comparisons, key=lambda pair: pair[1].max_abs_diff)
    index = None if worst.index is None else (worst.index[0] + offset, *worst.index[1:])
    return dataclasses.replace(worst, index=index)


def _named(result, start, stop, count):
    """A failing chunk's result, its messages saying which examples it held."""
    where = f"(examples {start}..{stop - 1} of {count}) "
    return dataclasses.replace(result, failures=[where + failure for failure in result.failures])


def chunked_forward(tf1, keras_side, x, name_map=None, batch_size=1000, fixed_batch=None, chunk=None,
                    tolerances=None):
    """harness.check_forward (at `tolerances`) over `x` in chunks of `chunk` examples (default:
    chunk_size of the tapped layers, whole `fixed_batch`es when the TF1 input takes only those);
    the merged ForwardResult (see the module docstring)."""
    names = [name for name in keras_side.tappable_layers() if name in tf1.endpoints.layers]
    chunk = chunk or chunk_size(tap_values_per_example(keras_side, names), fixed_batch or 1)
    if chunk >= len(x):
        return harness.check_forward(tf1, keras_side, x, name_map=name_map, batch_size=batch_size,
                                     tolerances=tolerances)
    parts = []
    for start in range(0, len(x), chunk):
        stop = min(start + chunk, len(x))
        result = harness.check_forward(tf1, keras_side, x[start:stop], name_map=name_map,
                                       batch_size=min(batch_size, chunk), tolerances=tolerances)
        if result.failures:
            return _named(result, start, stop, len(x))
        parts.append((start, result))
    first = parts[0][1]
    layers = {name: _merged([(start, part.layers[name]) for start, part in parts]) for name in first.layers}
    outputs = _merged([(start, part.outputs) for start, part in parts])
    return dataclasses.replace(first, layers=layers, outputs=outputs)
