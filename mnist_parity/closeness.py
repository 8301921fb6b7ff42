"""The one comparison helper: every parity check goes through it, and its failure
message names the tensor, the step, the max difference and the tolerance."""

import numpy as np

from mnist_parity import tolerances


class ParityError(AssertionError):
    """Two sides disagree beyond a tolerance."""


def _where(step):
    return "" if step is None else f" at step {step}"


def max_abs_diff(actual, expected):
    """Largest |actual - expected| (inf when shapes differ)."""
    actual, expected = np.asarray(actual, np.float64), np.asarray(expected, np.float64)
    if actual.shape != expected.shape:
        return float("inf")
    return float(np.max(np.abs(actual - expected))) if actual.size else 0.0


def assert_close(actual, expected, *, name, atol, rtol=0.0, step=None):
    """Raises ParityError unless |actual - expected| <= atol + rtol*|expected| everywhere.

    Returns the max absolute difference, so callers can report it.
    """
    actual = np.asarray(actual, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    if actual.shape != expected.shape:
        raise ParityError(f"{name}{_where(step)}: shape {actual.shape} != expected {expected.shape}")
    if actual.size == 0:
        return 0.0
    difference = np.abs(actual - expected)
    if not np.all(np.isfinite(difference)):
        raise ParityError(f"{name}{_where(step)}: non-finite values (NaN or inf)")
    max_difference = float(difference.max())
    excess = difference - (atol + rtol * np.abs(expected))
    if excess.max() > 0:
        index = np.unravel_index(int(np.argmax(excess)), excess.shape)
        raise ParityError(
            f"{name}{_where(step)}: max abs diff {max_difference:.3e}; worst at index "
            f"{tuple(int(i) for i in index)}: {actual[index]:.9g} vs {expected[index]:.9g} "
            f"exceeds atol={atol:g} + rtol={rtol:g}*|expected|")
    return max_difference


def loss_curve_differences(legacy_losses, keras_losses):
    """(max abs diff over the first EARLY_STEPS, max relative diff over all steps)."""
    legacy_losses = np.asarray(legacy_losses, dtype=np.float64)
    keras_losses = np.asarray(keras_losses, dtype=np.float64)
    if legacy_losses.shape != keras_losses.shape:
        raise ParityError(f"loss curves: {legacy_losses.shape[0]} TF1 steps vs {keras_losses.shape[0]} Keras steps")
    absolute = np.abs(legacy_losses - keras_losses)
    relative = absolute / np.maximum(np.abs(legacy_losses), np.finfo(np.float32).tiny)
    return float(absolute[:tolerances.EARLY_STEPS].max()), float(relative.max())


def assert_loss_curves_close(legacy_losses, keras_losses, name="loss"):
    """Per-step check: EARLY_LOSS_ATOL for the first EARLY_STEPS, LATE_LOSS_RTOL after."""
    for step, (legacy_loss, keras_loss) in enumerate(zip(legacy_losses, keras_losses), start=1):
        if step <= tolerances.EARLY_STEPS:
            assert_close(keras_loss, legacy_loss, name=name, atol=tolerances.EARLY_LOSS_ATOL, step=step)
        else:
            assert_close(keras_loss, legacy_loss, name=name, atol=0.0,
                         rtol=tolerances.LATE_LOSS_RTOL, step=step)
    return loss_curve_differences(legacy_losses, keras_losses)
