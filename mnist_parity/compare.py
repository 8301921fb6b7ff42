"""`mnist-parity compare`: the four layers of proof for each model, as one report entry."""

import dataclasses
import math
import sys
import time

from mnist_parity import checks, comparison, recipes, tolerances


def _number(value):
    # JSON has no NaN: a check that could not run (structure mismatch) is null.
    return None if math.isnan(value) else value


@dataclasses.dataclass
class ModelComparison:
    """Everything `compare` measured for one model, and what failed."""

    key: str
    steps: int
    parameters: dict
    shapes_match: bool
    forward_max_abs_diff: float
    loss_diff_first10: float
    loss_rel_diff: float
    runs: dict  # side name -> checks.SideRun
    failures: list

    @property
    def passed(self):
        return not self.failures

    def report_entry(self):
        """This model's entry in report.json."""
        return {
            "params": self.parameters,
            "shapes_match": self.shapes_match,
            "forward_max_abs_diff": _number(self.forward_max_abs_diff),
            "train_steps": {"max_abs_loss_diff_first10": _number(self.loss_diff_first10),
                            "max_rel_loss_diff": _number(self.loss_rel_diff)},
            "accuracy": {side: run.accuracy for side, run in self.runs.items()},
            "samples_per_sec": {side: run.samples_per_second for side, run in self.runs.items()},
            "passed": self.passed,
            "steps": self.steps,
            "failures": list(self.failures),
        }


def _forward(key, seed, failures):
    tf1_logits, keras_logits = checks.forward_logits(key, seed)
    try:
        return comparison.assert_close(keras_logits, tf1_logits, name=f"{key} logits",
                                       atol=tolerances.FORWARD_ATOL, rtol=tolerances.FORWARD_RTOL)
    except comparison.ParityError as error:
        failures.append(str(error))
        return comparison.max_abs_diff(keras_logits, tf1_logits)


def _training_steps(key, seed, failures):
    tf1_losses, keras_losses, _ = checks.training_step_runs(key, seed=seed)
    try:
        return comparison.assert_loss_curves_close(tf1_losses, keras_losses, name=f"{key} loss")
    except comparison.ParityError as error:
        failures.append(str(error))
        return comparison.loss_curve_differences(tf1_losses, keras_losses)


def _accuracy_failures(key, recipe, runs):
    failures = [f"{key} {side} accuracy {run.accuracy:.4f} below floor {recipe.accuracy_floor}"
                for side, run in runs.items() if run.accuracy < recipe.accuracy_floor]
    gap = abs(runs["tf1"].accuracy - runs["keras"].accuracy)
    if gap > tolerances.ACCURACY_GAP:
        failures.append(f"{key} accuracy gap {gap:.4f} exceeds {tolerances.ACCURACY_GAP}")
    return failures


def compare_model(key, steps=None, seed=0, progress=None):
    """Runs structure, forward, training-step and accuracy checks for one model key."""
    recipe = recipes.get_recipe(key)
    steps = steps or recipe.compare_steps
    result = checks.check_structure(key, seed)
    failures = list(result.differences)
    forward_difference = float("nan")
    first10, relative = float("nan"), float("nan")
    if not failures:  # weights only transfer between matching structures
        forward_difference = _forward(key, seed, failures)
        first10, relative = _training_steps(key, seed, failures)
    runs = checks.short_budget_runs(key, steps, seed, progress)
    failures += _accuracy_failures(key, recipe, runs)
    return ModelComparison(key, steps, result.parameters, not result.differences,
                           forward_difference, first10, relative, runs, failures)


def stderr_progress(key, side, steps):
    """An on_step callback printing about ten progress lines per training run."""
    every = max(1, steps // 10)
    start = time.perf_counter()

    def on_step(step, loss):
        if step % every == 0 or step == steps:
            print(f"  [{key}] {side:>5}: step {step}/{steps}  loss {loss:.4f}  "
                  f"({time.perf_counter() - start:.1f} s)", file=sys.stderr, flush=True)
    return on_step
