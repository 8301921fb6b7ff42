"""Tolerances: the bars every check holds the two sides to, in one frozen object.

`Tolerances.default()` carries the kit's bars (tf1_to_keras/harness/tolerances.py stays their
single source). A different bar needs a reason, which travels with it into every
result and report:

    bars = harness.Tolerances.default().override(
        "GRU on 200 time steps: float32 sums drift 2e-5 by the last step", forward_atol=5e-5)

Fields: `forward_atol` / `forward_rtol` / `forward_magnitude_rtol` (outputs and taps with
the same weights; the last relative to the tensor's largest |value|), `early_steps` /
`early_loss_atol` / `early_loss_rtol` / `late_loss_rtol` (training-step losses: an absolute
bar plus a few float32 ulps of the loss for the first steps, a relative one after), `metric_gap` (|TF1 metric - Keras
metric| after the same training budget) and `final_weight_atol` (weights after the
training steps; None: reported, not judged, as the kit does).
"""

import dataclasses
import math

from tf1_to_keras.harness import tolerances


@dataclasses.dataclass(frozen=True)
class Tolerances:
    """The bars of the four checks; every value away from the default carries its reason."""

    forward_atol: float = tolerances.FORWARD_ATOL
    forward_rtol: float = tolerances.FORWARD_RTOL
    forward_magnitude_rtol: float = tolerances.FORWARD_MAGNITUDE_RTOL
    early_steps: int = tolerances.EARLY_STEPS
    early_loss_atol: float = tolerances.EARLY_LOSS_ATOL
    early_loss_rtol: float = tolerances.EARLY_LOSS_RTOL
    late_loss_rtol: float = tolerances.LATE_LOSS_RTOL
    metric_gap: float = tolerances.ACCURACY_GAP
    final_weight_atol: float | None = None
    reasons: tuple = ()  # ((field, reason), ...), one per overridden field

    def __post_init__(self):
        for entry in self.reasons:
            if (len(entry) != 2 or entry[0] not in _FIELD_NAMES or not isinstance(entry[1], str)
                    or not entry[1].strip()):
                raise ValueError(f"Tolerances reasons entry {entry!r}; expected (tolerance name, "
                                 "non-empty reason)")
        explained = {field for field, _ in self.reasons}
        for field in _BAR_FIELDS:
            value = getattr(self, field.name)
            _check_value(field.name, value)
            if value != field.default and field.name not in explained:
                raise ValueError(
                    f"Tolerances {field.name}={value!r} differs from the default {field.default!r} "
                    f"without a reason; use Tolerances.default().override('why', {field.name}=...)")

    @classmethod
    def default(cls):
        """The kit's bars (tf1_to_keras/harness/tolerances.py)."""
        return cls()

    def override(self, reason, **values):
        """A copy with `values` replaced, each kept with `reason` (a non-empty string)."""
        if not isinstance(reason, str) or not reason.strip():
            raise ValueError(f"override reason {reason!r}; expected a non-empty string saying why "
                             "the bar differs from the default")
        if not values:
            raise ValueError("override() names no tolerance; expected e.g. forward_atol=1e-4")
        unknown = sorted(set(values) - set(_FIELD_NAMES))
        if unknown:
            raise ValueError(f"unknown tolerance(s) {unknown}; expected some of {list(_FIELD_NAMES)}")
        kept = tuple((field, why) for field, why in self.reasons if field not in values)
        return dataclasses.replace(self, **values,
                                   reasons=kept + tuple((field, reason.strip()) for field in values))

    @property
    def overrides(self):
        """{field: {"value": value, "reason": reason}} for each bar away from the default."""
        return {field: {"value": getattr(self, field), "reason": reason} for field, reason in self.reasons}

    def to_json(self):
        """Every bar, and the overrides with their reasons."""
        return {**{name: getattr(self, name) for name in _FIELD_NAMES}, "overrides": self.overrides}


_BAR_FIELDS = tuple(field for field in dataclasses.fields(Tolerances) if field.name != "reasons")
_FIELD_NAMES = tuple(field.name for field in _BAR_FIELDS)


def _check_value(name, value):
    if name == "final_weight_atol" and value is None:
        return
    if name == "early_steps":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"Tolerances early_steps={value!r}; expected an integer >= 0")
        return
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not number or not math.isfinite(value) or value < 0:
        raise ValueError(f"Tolerances {name}={value!r}; expected a finite number >= 0")
