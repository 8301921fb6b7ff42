"""`mnist-parity compare`'s engine: the four layers of proof for each model, as one report
entry (compare_model), and the run over several models with its exit status (compare_models).

The checks are the public harness's (tf1_to_keras.harness, through proof_checks): a
failure is the harness's message, prefixed with the model (and legacy program)."""

import dataclasses
import math
import sys
import time

from mnist_core import exit_codes, recipes
from mnist_parity import proof_checks, registry
from tf1_to_keras.harness import tolerances
from tf1_to_keras.harness.closeness import json_number


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
    runs: dict  # side name -> proof_checks.SideRun
    failures: list
    variants: dict = dataclasses.field(default_factory=dict)  # legacy module -> its entry
    init: str = "own"  # how the accuracy runs started: "own" inits or a "shared" TF1 init
    backend: dict = None  # the Keras side's backend when not this process's TensorFlow

    @property
    def passed(self):
        return not self.failures

    def report_entry(self):
        """This model's entry in report.json."""
        return {
            "params": self.parameters,
            "shapes_match": self.shapes_match,
            "forward_max_abs_diff": json_number(self.forward_max_abs_diff),
            "train_steps": {"max_abs_loss_diff_first10": json_number(self.loss_diff_first10),
                            "max_rel_loss_diff": json_number(self.loss_rel_diff)},
            "accuracy": {side: run.accuracy for side, run in self.runs.items()},
            "samples_per_sec": {side: run.samples_per_second for side, run in self.runs.items()},
            "passed": self.passed,
            "steps": self.steps,
            "accuracy_init": self.init,
            "failures": list(self.failures),
            # Diffs above are the worst over these legacy programs (layers_cnn has two).
            "legacy_variants": self.variants,
            "keras_backend": self.backend or {"name": "tensorflow"},
        }


@dataclasses.dataclass
class VariantResult:
    """Structure, forward and training-step results of one legacy program against Keras."""

    parameters: dict
    shapes_match: bool
    forward_max_abs_diff: float = float("nan")
    loss_diff_first10: float = float("nan")
    loss_rel_diff: float = float("nan")

    def report_entry(self):
        return {"params": self.parameters, "shapes_match": self.shapes_match,
                "forward_max_abs_diff": json_number(self.forward_max_abs_diff),
                "train_steps": {"max_abs_loss_diff_first10": json_number(self.loss_diff_first10),
                                "max_rel_loss_diff": json_number(self.loss_rel_diff)}}


def _forward(key, variant, label, seed, failures):
    result = proof_checks.check_forward(key, seed, variant=variant)
    failures += [f"{label} {failure}" for failure in result.failures]
    return result.forward_max_abs_diff


def _training_steps(key, variant, label, seed, failures):
    result = proof_checks.check_training_steps(key, seed=seed, variant=variant)
    failures += [f"{label} {failure}" for failure in result.failures]
    return result.max_abs_loss_diff_early, result.max_rel_loss_diff


def check_variant(key, variant, seed, failures):
    """Layers 1-3 for one legacy program; appends what failed to `failures`."""
    label = key if variant == key else f"{key} ({variant})"
    structure_result = proof_checks.check_structure(key, seed, variant=variant)
    failures += [f"{label}: {difference}" for difference in structure_result.differences]
    result = VariantResult(structure_result.parameters, not structure_result.differences)
    if result.shapes_match:  # weights only transfer between matching structures
        result.forward_max_abs_diff = _forward(key, variant, label, seed, failures)
        result.loss_diff_first10, result.loss_rel_diff = _training_steps(
            key, variant, label, seed, failures)
    return result


def accuracy_failures(key, recipe, runs):
    failures = [f"{key} {side} accuracy {run.accuracy:.4f} below floor {recipe.accuracy_floor}"
                for side, run in runs.items() if run.accuracy < recipe.accuracy_floor]
    gap = abs(runs["tf1"].accuracy - runs["keras"].accuracy)
    if gap > tolerances.ACCURACY_GAP:
        failures.append(f"{key} accuracy gap {gap:.4f} exceeds {tolerances.ACCURACY_GAP}")
    return failures


def _worst(values):
    values = [value for value in values if not math.isnan(value)]
    return max(values) if values else float("nan")


def comparison_of(key, steps, variants, runs, failures, init):
    """The ModelComparison of VariantResults ({legacy module: result}, the main one first) and
    the accuracy runs: the worst diffs over the variants."""
    results = list(variants.values())
    return ModelComparison(
        key, steps, variants[key].parameters, all(result.shapes_match for result in results),
        _worst(result.forward_max_abs_diff for result in results),
        _worst(result.loss_diff_first10 for result in results),
        _worst(result.loss_rel_diff for result in results), runs, failures,
        {variant: result.report_entry() for variant, result in variants.items()}, init)


def compare_model(key, steps=None, seed=0, progress=None, init=None, keras_backend=None):
    """Structure, forward and step checks for every legacy variant, then the accuracy runs.

    `init` ("own" or "shared") overrides the recipe's start for the accuracy runs.
    `keras_backend` other than "tensorflow" runs the Keras side in a process on that backend
    (backend_comparison.py).
    """
    recipe = recipes.get_recipe(key)
    init = init or recipe.short_budget_init
    steps = steps or recipe.compare_steps
    if keras_backend not in (None, "tensorflow"):
        from mnist_parity import backend_comparison

        return backend_comparison.compare_model_on_backend(key, keras_backend, steps, seed, progress, init)
    failures = []
    variants = {variant: check_variant(key, variant, seed, failures)
                for variant in registry.legacy_variants(key)}
    runs = proof_checks.short_budget_runs(key, steps, seed, progress, init)
    failures += accuracy_failures(key, recipe, runs)
    return comparison_of(key, steps, variants, runs, failures, init)


@dataclasses.dataclass
class ComparisonRun:
    """`compare`'s result: one ModelComparison per model, and the exit status it calls for."""

    results: list

    @property
    def exit_status(self):
        return exit_codes.OK if all(result.passed for result in self.results) else exit_codes.RUN_FAILED


def training_budget(key, steps=None, full=False):
    """Steps per side of the accuracy runs: the full recipe, `steps`, or the short budget."""
    recipe = recipes.get_recipe(key)
    return recipe.steps if full else steps or recipe.compare_steps


def compare_models(keys, steps=None, seed=0, init=None, full=False, progress=None, log=None,
                   keras_backend=None):
    """compare_model for each key, in order; a ComparisonRun (RUN_FAILED when a check failed).

    `log` gets one line as each model starts; `progress` makes the training runs' callbacks.
    """
    results = []
    for key in keys:
        budget = training_budget(key, steps, full)
        if log:
            on = f" on {keras_backend}" if keras_backend else ""
            log(f"[{key}] comparing TF1 and Keras{on} ({budget} training steps per side)")
        results.append(compare_model(key, budget, seed, progress, init, keras_backend))
    return ComparisonRun(results)


def stderr_progress(key, side, steps):
    """An on_step callback printing about ten progress lines per training run."""
    every = max(1, steps // 10)
    start = time.perf_counter()

    def on_step(step, loss):
        if step % every == 0 or step == steps:
            print(f"  [{key}] {side:>5}: step {step}/{steps}  loss {loss:.4f}  "
                  f"({time.perf_counter() - start:.1f} s)", file=sys.stderr, flush=True)
    return on_step
