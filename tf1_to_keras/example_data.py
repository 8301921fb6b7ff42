"""The examples `tf1-to-keras verify` and `convert --tf1 ... --keras ...` run a team's models
on: an `.npz` holding `x` and `y`, or by default the MNIST test images.

`load_npz` reads and checks the file (harness.check_examples: numbers, finite, as many
labels as examples); `mnist_test_examples(input_shape)` gives the 10,000 MNIST test
images as float32 in [0, 1] shaped the way the TF1 input placeholder takes them,
(N, 784), (N, 28, 28) or (N, 28, 28, 1), with their labels. Every problem is a ValueError
naming the file or the shape (bad input, exit status 2).
"""

import zipfile

import numpy as np

from mnist_core import mnist

MNIST_SIZE = 28 * 28


def _read_npz(path, flag):
    """{name: array} of an .npz file; ValueError naming it when it is not one of numeric arrays."""
    try:
        loaded = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        # allow_pickle=False: a pickle, or an object array inside, is refused as a ValueError.
        raise ValueError(f"{flag} {path}: cannot read it as an .npz of numeric arrays ({error})") from None
    if not isinstance(loaded, np.lib.npyio.NpzFile):
        raise ValueError(f"{flag} {path}: a single .npy array; expected an .npz with arrays x and y")
    try:
        with loaded:
            return {name: loaded[name] for name in loaded.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise ValueError(f"{flag} {path}: cannot read it as an .npz of numeric arrays ({error})") from None


def load_npz(path, flag="--data"):
    """(x, y) of an `.npz`; ValueError naming the file when it is unreadable, lacks x or y,
    or holds something the models cannot take (NaN or inf, a non-numeric dtype)."""
    from tf1_to_keras import harness  # TensorFlow loads once the file is known to be good

    arrays = _read_npz(path, flag)
    missing = [name for name in ("x", "y") if name not in arrays]
    if missing:
        raise ValueError(f"{flag} {path}: no array {' or '.join(missing)} (it has {sorted(arrays)}); "
                         "expected an .npz with x (examples) and y (labels or targets)")
    return harness.check_examples(arrays["x"], arrays["y"], where=f"{flag} {path}")


def mnist_test_examples(input_shape):
    """(x, y): the MNIST test images as float32 [0, 1] of `input_shape` (one example's shape,
    e.g. (784,) or (28, 28, 1)), and their labels; ValueError when that shape does not hold
    a 28x28 image (then the model needs --data)."""
    if (not isinstance(input_shape, tuple) or None in input_shape
            or int(np.prod(input_shape, dtype=np.int64)) != MNIST_SIZE):
        raise ValueError(f"the TF1 input takes examples of shape {input_shape}, not 28x28 MNIST "
                         "images; give your own examples with --data FILE.npz (arrays x and y)")
    (_, _), (images, labels) = mnist.load_data()
    x = (images.astype(np.float32) / 255.0).reshape((len(images), *input_shape))
    return x, labels.astype(np.int64)
