"""Checks on what comes into the kit from outside, shared by both sides.

- `check_images`: the images handed to either side's `predict_logits` must be
  what the models were trained on (float pixels in [0, 1], the input
  placeholder's shape), or the logits are silently meaningless.
- `TrainingDivergedError`: a NaN or infinite loss stops training on either side
  (TF1 session loop, Keras callback) with the step and the last finite loss.
- `load_keras_model`: `.keras` files are loaded with Keras's safe mode, so a
  file from elsewhere cannot run code (a Lambda layer's pickled bytecode).

NumPy archives are loaded with `allow_pickle=False` (mnist_parity/mnist.py).
"""

import math
import os
import zipfile

import numpy as np


class TrainingDivergedError(ValueError):
    """The training loss became NaN or infinite.

    `step` is where it was seen, `last_finite_step` / `last_finite_loss` the last
    loss that was finite (None when the first checked loss already was not).
    `check_every` is how often the loss is looked at: 1 on the TF1 side; the
    Keras side sees the loss of every `steps_per_execution`-th step only, so the
    loss went bad somewhere after `last_finite_step` and at or before `step`.
    """

    def __init__(self, step, loss, last_finite_step=None, last_finite_loss=None, check_every=1,
                 where="training"):
        self.step, self.loss = step, loss
        self.last_finite_step, self.last_finite_loss = last_finite_step, last_finite_loss
        self.check_every, self.where = check_every, where
        checked = "" if check_every == 1 else f" (loss checked every {check_every} steps)"
        last = ("no finite loss seen before it" if last_finite_step is None
                else f"last finite loss {last_finite_loss:g} at step {last_finite_step}")
        super().__init__(f"{where}: training diverged: loss {loss} at step {step}{checked}; {last}; "
                         "expected a finite loss (lower the learning rate or check the inputs)")

    def __reduce__(self):
        # Pickles (e.g. across processes) with the fields, not only the message.
        return (type(self), (self.step, self.loss, self.last_finite_step, self.last_finite_loss,
                             self.check_every, self.where))


class DivergenceMonitor:
    """Remembers the last finite loss; `observe` raises TrainingDivergedError on a bad one."""

    def __init__(self, check_every=1, where="training"):
        self.check_every = check_every
        self.where = where  # which side or model, for the message
        self.last_finite_step = None
        self.last_finite_loss = None

    def observe(self, step, loss):
        """Records `loss` at `step`, or raises when it is NaN or infinite."""
        if not math.isfinite(loss):
            raise TrainingDivergedError(step, loss, self.last_finite_step, self.last_finite_loss,
                                        self.check_every, self.where)
        self.last_finite_step, self.last_finite_loss = step, loss


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


def load_keras_model(path, compile=True):
    """`keras.models.load_model(path, safe_mode=True)`, with errors naming the file.

    Safe mode refuses to deserialize Python code stored in the file (a Lambda
    layer's bytecode), which would otherwise run on load. ValueError when the
    file is missing, not a `.keras` archive, or unsafe.
    """
    import keras  # here, not at import: the data checks above do not need TensorFlow

    from modern_keras import training  # noqa: F401  registers the kit's StepLoss and optimizers

    path = os.fspath(path)
    if not path.endswith(".keras"):
        raise ValueError(f"{path}: expected a Keras 3 model file ending in '.keras'")
    if not os.path.isfile(path):
        raise ValueError(f"{path}: Keras model file not found")
    try:
        return keras.models.load_model(path, compile=compile, safe_mode=True)
    except (ValueError, TypeError, OSError, KeyError, zipfile.BadZipFile) as error:
        raise ValueError(f"{path}: cannot load Keras model safely ({error})") from error
