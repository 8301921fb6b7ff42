"""Checks on the images handed to either side's `predict_logits`.

They must be what the models were trained on (float pixels in [0, 1], the input
placeholder's shape), or the logits are silently meaningless. NumPy archives are
loaded with `allow_pickle=False` (mnist_core/mnist.py); `.keras` files in safe mode
(modern_keras/keras_files.py).
"""

import math

import numpy as np


def _describe_range(images):
    # min/max propagate NaN, so two passes also detect NaN; isnan/isinf below only
    # run (and only allocate their boolean copies) once something is wrong.
    low, high = float(np.min(images)), float(np.max(images))
    if math.isfinite(low) and math.isfinite(high):
        return low, high, None
    problems = []
    for name, test in (("NaN", np.isnan), ("infinite", np.isinf)):
        count = int(np.count_nonzero(test(images)))
        if count:
            problems.append(f"{count} {name} value(s)")
    return low, high, " and ".join(problems)


def check_images(images, expected_shape, where="images"):
    """ValueError unless `images` is a non-empty float batch of `expected_shape` in [0, 1].

    `expected_shape` is one example's shape (the input placeholder's, e.g.
    (784,) or (28, 28, 1)). Any float dtype is accepted (both sides cast to
    float32); (N, 28, 28) is not reshaped for you, since the two models take
    different shapes: the message says which reshape is expected. Cost: one
    min and one max pass, no copy. Returns `images` as an ndarray.
    """
    images = np.asarray(images)
    expected_shape = tuple(expected_shape)
    if images.ndim != 1 + len(expected_shape) or images.shape[1:] != expected_shape:
        raise ValueError(
            f"{where}: shape {images.shape}; expected (N, {', '.join(map(str, expected_shape))}) "
            f"(e.g. images.reshape(-1, {', '.join(map(str, expected_shape))}))")
    if images.shape[0] == 0:
        raise ValueError(f"{where}: an empty batch, shape {images.shape}; expected at least one image")
    if not np.issubdtype(images.dtype, np.floating):
        raise ValueError(
            f"{where}: dtype {images.dtype}; expected floating point pixels in [0, 1] "
            f"(raw uint8 pixels: images.astype('float32') / 255)")
    low, high, problems = _describe_range(images)
    if problems:
        raise ValueError(f"{where}: {problems}; expected finite pixels in [0, 1]")
    if low < 0.0 or high > 1.0:
        hint = " (0..255 pixels? divide by 255)" if 1.0 < high <= 255.0 and low >= 0.0 else ""
        raise ValueError(f"{where}: values in [{low:g}, {high:g}]; expected [0, 1]{hint}")
    return images
