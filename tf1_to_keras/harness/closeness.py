"""The one comparison helper: every parity check goes through it, and its failure
message names the tensor, the step, the max difference, where it is worst, and the
tolerance that would have passed.

`compare` measures and returns a `Comparison` (for reports and result objects);
`assert_close` raises `ParityError` with the same message (for tests).
"""

import dataclasses
import math

import numpy as np

from tf1_to_keras.harness import tolerances


class ParityError(AssertionError):
    """Two sides disagree beyond a tolerance."""


@dataclasses.dataclass(frozen=True)
class Comparison:
    """One comparison of `actual` against `expected` under `atol + rtol * |expected|` (plus
    `magnitude_rtol * max|expected|`, a term relative to the whole tensor's magnitude).

    `index` is where it is worst (or the first non-finite value); `actual_value` and
    `expected_value` are the two values there. `required` is the smallest tolerance
    that would have passed, as ("atol", value) or ("rtol", value) when `atol` is 0
    (None when it passed or cannot pass: shapes differ, non-finite values).
    """

    name: str
    step: int | None
    atol: float
    rtol: float
    passed: bool
    max_abs_diff: float
    index: tuple | None = None
    actual_value: float | None = None
    expected_value: float | None = None
    required: tuple | None = None
    message: str = ""
    magnitude_rtol: float = 0.0

    def to_json(self):
        """A JSON-ready dict (non-finite numbers as strings)."""
        return {"name": self.name, "step": self.step, "passed": self.passed,
                "max_abs_diff": json_number(self.max_abs_diff),
                "index": None if self.index is None else list(self.index),
                "atol": self.atol, "rtol": self.rtol,
                **({"magnitude_rtol": self.magnitude_rtol} if self.magnitude_rtol else {}),
                "would_pass_with": None if self.required is None else {
                    self.required[0]: self.required[1]}}


def json_number(value):
    """The kit's one rule for numbers in JSON: `value` as a float, or its string ("inf",
    "-inf", "nan") where JSON has no number for it (json.dumps would write NaN, which strict
    readers refuse). None stays None (a value that was not measured)."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else str(value)


def _where(step):
    return "" if step is None else f" at step {step}"


def round_up(value):
    """`value` rounded up to two significant digits, so that the bar it names really passes."""
    if not math.isfinite(value) or value <= 0:
        return value
    unit = 10.0 ** (math.floor(math.log10(value)) - 1)
    rounded = math.ceil(value / unit) * unit
    return rounded if rounded >= value else rounded + unit


def _required_tolerance(difference, expected, atol, rtol, magnitude):
    """("atol", a) keeping the relative terms, or ("rtol", r) for a purely relative bar (atol 0)."""
    if atol == 0 and rtol > 0 and magnitude == 0:
        with np.errstate(divide="ignore", invalid="ignore"):
            needed = float(np.max(np.where(difference > 0, difference / np.abs(expected), 0.0)))
        return "rtol", round_up(needed)
    return "atol", round_up(float(np.max(difference - rtol * np.abs(expected) - magnitude)))


def _bar_text(atol, rtol, magnitude_rtol):
    text = f"atol={atol:g} + rtol={rtol:g}*|expected|"
    return text + (f" + magnitude_rtol={magnitude_rtol:g}*max|expected|" if magnitude_rtol else "")


def _index(flat_index, shape):
    return tuple(int(i) for i in np.unravel_index(int(flat_index), shape))


def compare(actual, expected, *, name, atol, rtol=0.0, step=None, magnitude_rtol=0.0):
    """Measures |actual - expected| against atol + rtol*|expected| (+ magnitude_rtol *
    max|expected| over the tensor) everywhere; a Comparison."""
    actual = np.asarray(actual, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    common = {"name": name, "step": step, "atol": atol, "rtol": rtol, "magnitude_rtol": magnitude_rtol}
    if actual.shape != expected.shape:
        return Comparison(**common, passed=False, max_abs_diff=float("inf"), message=(
            f"{name}{_where(step)}: shape {actual.shape} != expected {expected.shape}"))
    if actual.size == 0:
        return Comparison(**common, passed=True, max_abs_diff=0.0)
    difference = np.abs(actual - expected)
    finite = np.isfinite(difference)
    if not np.all(finite):
        index = _index(np.argmin(finite), difference.shape)
        return Comparison(**common, passed=False, max_abs_diff=float("inf"), index=index,
                          actual_value=float(actual[index]), expected_value=float(expected[index]),
                          message=f"{name}{_where(step)}: non-finite values (NaN or inf); first at "
                                  f"index {index}: {actual[index]:.9g} vs {expected[index]:.9g}")
    max_difference = float(difference.max())
    magnitude = magnitude_rtol * float(np.abs(expected).max())
    excess = difference - (atol + rtol * np.abs(expected) + magnitude)
    if excess.max() <= 0:
        return Comparison(**common, passed=True, max_abs_diff=max_difference)
    index = _index(np.argmax(excess), excess.shape)
    required = _required_tolerance(difference, expected, atol, rtol, magnitude)
    return Comparison(
        **common, passed=False, max_abs_diff=max_difference, index=index,
        actual_value=float(actual[index]), expected_value=float(expected[index]), required=required,
        message=f"{name}{_where(step)}: max abs diff {max_difference:.3e}; worst at index "
                f"{index}: {actual[index]:.9g} vs {expected[index]:.9g} exceeds "
                f"{_bar_text(atol, rtol, magnitude_rtol)}; would pass with {required[0]}={required[1]:.2g}")


def forward_compare(actual, expected, *, name, bars=None):
    """The forward bar, for every check of outputs computed from the same weights (harness
    check_forward, convert's and export's read-back checks): `bars` a harness.Tolerances, or
    None for the table's values as they are now (tolerances.FORWARD_*)."""
    atol, rtol, magnitude_rtol = _forward_bars(bars)
    return compare(actual, expected, name=name, atol=atol, rtol=rtol, magnitude_rtol=magnitude_rtol)


def _forward_bars(bars):
    if bars is None:
        return tolerances.FORWARD_ATOL, tolerances.FORWARD_RTOL, tolerances.FORWARD_MAGNITUDE_RTOL
    return bars.forward_atol, bars.forward_rtol, bars.forward_magnitude_rtol


def forward_bar_text(bars=None):
    """The forward bar as the commands print it: "atol=... + rtol=...*|expected| + ..."."""
    return _bar_text(*_forward_bars(bars))


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
    comparison = compare(actual, expected, name=name, atol=atol, rtol=rtol, step=step)
    if not comparison.passed:
        raise ParityError(comparison.message)
    return comparison.max_abs_diff


def loss_curve_comparisons(legacy_losses, keras_losses, *, name="loss",
                           early_steps=tolerances.EARLY_STEPS,
                           early_atol=tolerances.EARLY_LOSS_ATOL,
                           late_rtol=tolerances.LATE_LOSS_RTOL,
                           early_rtol=tolerances.EARLY_LOSS_RTOL):
    """One Comparison per step (counted from 1): `early_atol` + `early_rtol` (float32 ulps of
    the TF1 loss) for the first `early_steps`, `late_rtol` (relative to the TF1 loss) after.
    ParityError when the lengths differ."""
    if len(legacy_losses) != len(keras_losses):
        raise ParityError(f"loss curves: {len(legacy_losses)} TF1 steps vs {len(keras_losses)} "
                          "Keras steps")
    early, late = {"atol": early_atol, "rtol": early_rtol}, {"atol": 0.0, "rtol": late_rtol}
    return [compare(keras_loss, legacy_loss, name=name, step=step, **(early if step <= early_steps else late))
            for step, (legacy_loss, keras_loss) in enumerate(zip(legacy_losses, keras_losses), start=1)]


def loss_curve_differences(legacy_losses, keras_losses, early_steps=tolerances.EARLY_STEPS):
    """(max abs diff over the first `early_steps`, max relative diff over all steps)."""
    legacy_losses = np.asarray(legacy_losses, dtype=np.float64)
    keras_losses = np.asarray(keras_losses, dtype=np.float64)
    if legacy_losses.shape != keras_losses.shape:
        raise ParityError(f"loss curves: {legacy_losses.shape[0]} TF1 steps vs {keras_losses.shape[0]} Keras steps")
    absolute = np.abs(legacy_losses - keras_losses)
    relative = absolute / np.maximum(np.abs(legacy_losses), np.finfo(np.float32).tiny)
    return float(absolute[:early_steps].max()), float(relative.max())


def assert_loss_curves_close(legacy_losses, keras_losses, name="loss"):
    """Per-step check (loss_curve_comparisons' bars); ParityError at the first step beyond them."""
    for comparison in loss_curve_comparisons(legacy_losses, keras_losses, name=name):
        if not comparison.passed:
            raise ParityError(comparison.message)
    return loss_curve_differences(legacy_losses, keras_losses)
