"""`mnist-parity reproduce`'s engine: each program's full original recipe on both sides.

Each side trains from its own random init (as a team's retraining would) on the
same batch order, then is scored on the 10,000 test images. Results are written
after every model, so an interrupted run keeps what it finished.
`reproduce_models` is the command's one call; the command module parses and prints.
"""

import dataclasses
import sys
import time

import numpy as np

from mnist_core import batches, exit_codes, recipes, training_data
from mnist_parity import environment, sides
from tf1_to_keras.harness import tolerances
from tf1_to_keras.harness.closeness import json_number


@dataclasses.dataclass
class SideResult:
    """One side's full-recipe training and its test score."""

    accuracy: float
    test_loss: float
    steps: int
    train_seconds: float  # the training loop alone
    wall_seconds: float  # building, training and scoring
    samples_per_second: float
    loss_log: list  # [step, loss] every LOG_EVERY steps (the originals' print interval)


LOG_EVERY = 100


def cross_entropy(logits, labels):
    """Mean softmax cross-entropy of float logits against one-hot or integer labels."""
    logits = np.asarray(logits, dtype=np.float64)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probabilities = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    classes = np.argmax(labels, axis=1) if labels.ndim == 2 else labels
    return float(-np.mean(log_probabilities[np.arange(len(classes)), classes]))


def _loss_log(history):
    return [[step, loss] for step, loss in zip(history.steps, history.losses)
            if step % LOG_EVERY == 0 or step == history.steps[-1]]


def run_side(side_class, key, seed, data, order, on_step=None):
    """Builds one side, trains it over `order` and scores it on the test set."""
    recipe = recipes.get_recipe(key)
    start = time.perf_counter()
    with side_class(key, seed=seed) as side:
        train_start = time.perf_counter()
        history = side.train(data.train_images, data.train_labels, order, on_step=on_step)
        train_seconds = time.perf_counter() - train_start
        logits = side.logits(data.test_images)
    return SideResult(
        accuracy=training_data.accuracy(logits, data.test_labels),
        test_loss=cross_entropy(logits, data.test_labels), steps=len(order),
        train_seconds=train_seconds, wall_seconds=time.perf_counter() - start,
        samples_per_second=sides.samples_per_second(history, recipe.batch_size),
        loss_log=_loss_log(history))


def target_failures(key, side_results):
    """The issue's targets this model missed, as sentences (empty when all are met)."""
    recipe = recipes.get_recipe(key)
    floor = recipe.reported_accuracy - tolerances.REPRODUCTION_BELOW_REPORTED
    failures = [f"{key} {side}: accuracy {result.accuracy:.2%} is more than "
                f"{tolerances.REPRODUCTION_BELOW_REPORTED * 100:g} pt below the reported "
                f"{recipe.reported_accuracy:.2%}"
                for side, result in side_results.items() if result.accuracy < floor]
    gap = abs(side_results["tf1"].accuracy - side_results["keras"].accuracy)
    if gap > tolerances.REPRODUCTION_GAP:
        failures.append(f"{key}: sides {gap * 100:.2f} pt apart (target "
                        f"{tolerances.REPRODUCTION_GAP * 100:g} pt)")
    return failures


def reproduce_model(key, seed=0, steps=None, progress=None):
    """Both sides of one model through its full recipe (or `steps`); {side: SideResult}."""
    recipe = recipes.get_recipe(key)
    steps = steps or recipe.steps
    data = training_data.load_training_data(recipe)
    order = batches.batch_order(len(data.train_images), recipe.batch_size, steps, seed)
    results = {}
    for side_class in (sides.LegacySide, sides.KerasSide):
        on_step = progress(key, side_class.name, steps) if progress else None
        results[side_class.name] = run_side(side_class, key, seed, data, order, on_step)
    return results


@dataclasses.dataclass
class Reproduction:
    """`reproduce`'s result: the results.json document, and the exit status it calls for."""

    document: dict

    @property
    def exit_status(self):
        met = all(entry["targets_met"] for entry in self.document["models"].values())
        return exit_codes.OK if met else exit_codes.RUN_FAILED


def reproduce_models(keys, seed=0, steps=None, command="", progress=None, log=None,
                     after_each_model=None):
    """reproduce_model for each key, in order; a Reproduction (RUN_FAILED when a model
    missed a target). `after_each_model(document)` runs after every model, so that a
    caller can write what is finished; `log` gets one line as each model starts."""
    document = {"command": command, "seed": seed, "environment": environment.describe(),
                "complete": False, "models": {}}
    for index, key in enumerate(keys, start=1):
        if log:
            log(f"[{key}] model {index} of {len(keys)}: full recipe on TF1, then Keras")
        document["models"][key] = model_entry(key, reproduce_model(key, seed, steps, progress))
        document["complete"] = index == len(keys)
        if after_each_model:
            after_each_model(document)
    return Reproduction(document)


def progress_with_eta(key, side, steps):
    """An on_step callback: about twenty lines per run, with throughput and time left."""
    every = max(1, steps // 20)
    start = time.perf_counter()
    next_line = [every]

    def on_step(step, loss):
        if step < next_line[0] and step != steps:
            return
        next_line[0] = (step // every + 1) * every
        elapsed = time.perf_counter() - start
        remaining = elapsed / step * (steps - step)
        print(f"  [{key}] {side:>5}: step {step:>6}/{steps}  loss {loss:.4f}  "
              f"{elapsed:7.1f} s elapsed, ETA {remaining:6.1f} s", file=sys.stderr, flush=True)
    return on_step


def model_entry(key, side_results):
    """This model's entry in results.json."""
    recipe = recipes.get_recipe(key)
    failures = target_failures(key, side_results)
    return {
        "reported_accuracy": recipe.reported_accuracy,
        "recipe": {"optimizer": recipe.optimizer, "learning_rate": recipe.learning_rate,
                   "batch_size": recipe.batch_size, "steps": recipe.steps},
        "sides": {side: _json_numbers(dataclasses.asdict(result))
                  for side, result in side_results.items()},
        "gap": abs(side_results["tf1"].accuracy - side_results["keras"].accuracy),
        "targets_met": not failures,
        "failures": failures,
    }


TABLE_COLUMNS = ("model", "reported", "TF1 on TF 2.21", "Keras 3", "gap",
                 "wall time TF1 / Keras", "steps", "targets")


def markdown(entries, command):
    """results.md: the table docs/REPRODUCE.md quotes, the targets, and any misses."""
    lines = [f"# Full-recipe reproduction\n\nProduced by `{command}`.\n",
             "| " + " | ".join(TABLE_COLUMNS) + " |", "|" + "---|" * len(TABLE_COLUMNS)]
    for key, entry in entries.items():
        tf1, keras_side = entry["sides"]["tf1"], entry["sides"]["keras"]
        lines.append(
            f"| {key} | {entry['reported_accuracy']:.2%} | {tf1['accuracy']:.2%} | "
            f"{keras_side['accuracy']:.2%} | {entry['gap'] * 100:.2f} pt | "
            f"{_minutes(tf1['wall_seconds'])} / {_minutes(keras_side['wall_seconds'])} | "
            f"{tf1['steps']:,} | {'met' if entry['targets_met'] else 'MISSED'} |")
    lines.append(f"\nTargets: each side at most {tolerances.REPRODUCTION_BELOW_REPORTED * 100:g} pt "
                 f"below the reported accuracy; the sides at most "
                 f"{tolerances.REPRODUCTION_GAP * 100:g} pt apart.")
    failures = [failure for entry in entries.values() for failure in entry["failures"]]
    lines += ["\n## Missed\n", *[f"- {failure}" for failure in failures]] if failures else []
    return "\n".join(lines) + "\n"


def _json_numbers(fields):
    # JSON has no NaN (throughput of a run too short to time): the library's one rule.
    return {name: json_number(value) if isinstance(value, float) else value
            for name, value in fields.items()}


def _minutes(seconds):
    return f"{seconds / 60:.1f} min"
