"""What each check found: result objects with `.passed`, `.failures` and `.to_json()`.

Every result has `passed` (no failures), `failures` (one line each, naming the layer
or tensor, the step, the max difference, where, and the bar that would have passed),
`tolerances` (the policy it was held to, overrides with their reasons) and
`raise_if_failed()` (ParityError, an AssertionError, listing the failures; returns the
result when it passed). `to_json()` uses the keys of the kit's report.json:
`params`, `shapes_match`, `forward_max_abs_diff`, `train_steps`
(`max_abs_loss_diff_first10`, `max_rel_loss_diff`), `metric` / `accuracy`, `passed`.
`combine(results)` merges several checks of one model into one report entry.
"""

import dataclasses

from tf1_to_keras.harness.closeness import json_number
from tf1_to_keras.harness import errors


@dataclasses.dataclass
class CheckResult:
    """Base of the four results."""

    failures: list
    tolerances: object

    check = "check"

    @property
    def passed(self):
        return not self.failures

    def raise_if_failed(self):
        """ParityError listing every failure; the result itself when it passed."""
        if self.failures:
            raise errors.ParityError(f"{self.check} check failed:\n  " + "\n  ".join(self.failures))
        return self

    def details(self):
        return {}

    def to_json(self):
        return {**self.details(), "passed": self.passed, "failures": list(self.failures),
                "tolerances": self.tolerances.to_json()}


@dataclasses.dataclass
class StructureResult(CheckResult):
    """Per-layer rows {name, tf1: {output_shape, params}, keras: {...}}, totals, shapes_match."""

    layers: list = dataclasses.field(default_factory=list)
    params: dict = dataclasses.field(default_factory=dict)

    check = "structure"

    @property
    def shapes_match(self):
        return self.passed

    def details(self):
        return {"params": dict(self.params), "shapes_match": self.shapes_match, "layers": self.layers}


@dataclasses.dataclass
class ForwardResult(CheckResult):
    """{layer: closeness.Comparison} per compared layer (in order), the outputs' Comparison,
    the Mapping used; `localised_by`: how the layers were found ("taps": the builder's;
    "name map": its pairs, on a failure without taps; None: not compared) and `localisation`,
    a note on what the layers showed or why none could be compared."""

    layers: dict = dataclasses.field(default_factory=dict)
    outputs: object = None
    mapping: object = None
    localised_by: str | None = None
    localisation: str | None = None

    check = "forward"

    @property
    def forward_max_abs_diff(self):
        return self.outputs.max_abs_diff if self.outputs is not None else float("nan")

    @property
    def first_divergent_layer(self):
        """The first compared layer where the two sides part; None when none does."""
        return next((name for name, comparison in self.layers.items() if not comparison.passed), None)

    @property
    def first_diverging_layer(self):  # its name before issue 20, for callers not yet renamed
        return self.first_divergent_layer

    def details(self):
        return {"forward_max_abs_diff": json_number(self.forward_max_abs_diff),
                "forward_layers": {name: json_number(c.max_abs_diff) for name, c in self.layers.items()},
                "first_divergent_layer": self.first_divergent_layer,
                "localised_by": self.localised_by, "localisation": self.localisation,
                "forward_comparisons": [c.to_json() for c in (*self.layers.values(), self.outputs)
                                        if c is not None],
                "name_map": self.mapping.as_dict() if self.mapping is not None else None}


@dataclasses.dataclass
class TrainingStepsResult(CheckResult):
    """Both loss curves, a closeness.Comparison per step, and each Keras weight's max
    |Keras - converted TF1| after the last step."""

    tf1_losses: list = dataclasses.field(default_factory=list)
    keras_losses: list = dataclasses.field(default_factory=list)
    steps: list = dataclasses.field(default_factory=list)
    weight_differences: dict = dataclasses.field(default_factory=dict)
    moving_statistics: dict = dataclasses.field(default_factory=dict)  # {path: Comparison} after step 1
    reference_spread: object = None  # a reference_spread.ReferenceSpread when the strict bar failed

    check = "training steps"

    @property
    def note(self):
        """The line saying which bar the steps were held to, when the strict one failed; else None."""
        return self.reference_spread.note if self.reference_spread is not None else None

    @property
    def unverifiable(self):
        """The steps failed only where TF1 does not reproduce itself either (reference_spread.py):
        `port` writes the model and says they are not verified; `verify` and the plugin still fail."""
        spread = self.reference_spread
        return bool(spread is not None and spread.unverifiable and len(self.failures) == 1)

    @property
    def first_failing_step(self):
        return next((comparison.step for comparison in self.steps if not comparison.passed), None)

    @property
    def max_abs_loss_diff_early(self):
        early = [c.max_abs_diff for c in self.steps if c.step <= self.tolerances.early_steps]
        return max(early, default=0.0)

    @property
    def max_rel_loss_diff(self):
        return max((abs(k - t) / max(abs(t), 1e-38) for t, k in zip(self.tf1_losses, self.keras_losses)),
                   default=0.0)

    def details(self):
        return {"train_steps": {
            "steps": len(self.steps), "max_abs_loss_diff_first10": json_number(self.max_abs_loss_diff_early),
            "max_rel_loss_diff": json_number(self.max_rel_loss_diff),
            "first_failing_step": self.first_failing_step, "unverifiable": self.unverifiable,
            "tf1_losses": self.tf1_losses,
            "keras_losses": self.keras_losses,
            "final_weight_max_abs_diff": {path: json_number(value)
                                          for path, value in self.weight_differences.items()},
            "moving_statistics_step1_max_abs_diff": {path: json_number(comparison.max_abs_diff)
                                                     for path, comparison in self.moving_statistics.items()},
            **({"reference_spread": self.reference_spread.to_json()} if self.reference_spread else {})}}


@dataclasses.dataclass
class MetricResult(CheckResult):
    """Each side's metric after training the same batches, and their gap."""

    name: str = "metric"
    tf1: float = float("nan")
    keras: float = float("nan")
    steps: int = 0
    init: str = "own"

    check = "metric"

    @property
    def gap(self):
        return abs(self.tf1 - self.keras)

    def details(self):
        values = {"tf1": json_number(self.tf1), "keras": json_number(self.keras),
                  "gap": json_number(self.gap)}
        document = {"metric": {"name": self.name, **values, "steps": self.steps, "init": self.init}}
        if self.name == "accuracy":
            document["accuracy"] = values
        return document


def combine(results):
    """One report entry for several checks of one model: their keys, `passed` for all,
    every failure, and the tolerances (of the first result)."""
    results = list(results)
    if not results:
        raise ValueError("combine() of no results; expected at least one check result")
    entry = {}
    for result in results:
        entry.update(result.details())
    return {**entry, "passed": all(result.passed for result in results),
            "failures": [failure for result in results for failure in result.failures],
            "tolerances": results[0].tolerances.to_json()}
