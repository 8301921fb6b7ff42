"""The four layers of proof, as functions that return what they measured.

The parity suite asserts on these results through `closeness.assert_close`;
`mnist-parity compare` runs the same functions and reports them. Each builds
its own graph/session and Keras model, so checks never share state.
"""

import dataclasses

import numpy as np

from mnist_core import batches, recipes, training_data
from mnist_parity import sides, structure, tolerances


@dataclasses.dataclass
class StructureResult:
    """Per-layer summaries of both sides and their differences."""

    legacy: list
    keras: list
    differences: list

    @property
    def parameters(self):
        return {"tf1": structure.total_parameters(self.legacy),
                "keras": structure.total_parameters(self.keras)}


@dataclasses.dataclass
class SideRun:
    """One side's short-budget training: logged losses, test accuracy, throughput."""

    loss_steps: list  # the steps whose loss was logged (Keras: every steps_per_execution-th)
    losses: list
    accuracy: float
    samples_per_second: float
    predicted_classes: np.ndarray  # argmax on the test set, for the digit grid


def check_structure(key, seed=0, functional=False, variant=None):
    """Both sides' per-layer output shapes and parameter counts."""
    with sides.LegacySide(key, seed=seed, variant=variant) as legacy, \
            sides.KerasSide(key, seed=seed, functional=functional) as keras_side:
        legacy_summary, keras_summary = legacy.structure(), keras_side.structure()
    return StructureResult(legacy_summary, keras_summary,
                           structure.structure_differences(legacy_summary, keras_summary))


def forward_logits(key, seed=0, functional=False, count=tolerances.FORWARD_IMAGES, variant=None):
    """(TF1 logits, Keras logits) on `count` real test images, TF1 weights copied into Keras."""
    data = training_data.load_training_data(recipes.get_recipe(key))
    images = data.test_images[:count]
    with sides.LegacySide(key, seed=seed, variant=variant) as legacy, \
            sides.KerasSide(key, seed=seed, functional=functional) as keras_side:
        keras_side.set_weights(legacy.weights())
        return legacy.logits(images), keras_side.logits(images)


def training_step_runs(key, optimizer_name=None, seed=0, steps=tolerances.STEP_PARITY_STEPS,
                       variant=None, fused_optimizer=True):
    """Both sides train `steps` identical batches from identical weights, dropout off.

    `fused_optimizer=False` trains the Keras side with Keras' own Adam/SGD.

    Returns (TF1 losses, Keras losses, {layer: max |weight difference|} after training).
    """
    recipe = recipes.get_recipe(key)
    data = training_data.load_training_data(recipe)
    order = batches.batch_order(len(data.train_images), recipe.batch_size, steps, seed)
    common = dict(seed=seed, optimizer_name=optimizer_name, dropout=False)
    with sides.LegacySide(key, variant=variant, **common) as legacy, \
            sides.KerasSide(key, steps_per_execution=1, fused_optimizer=fused_optimizer,
                            **common) as keras_side:
        keras_side.set_weights(legacy.weights())
        legacy_history = legacy.train(data.train_images, data.train_labels, order)
        keras_history = keras_side.train(data.train_images, data.train_labels, order)
        weight_differences = _weight_differences(legacy.weights(), keras_side.weights())
    return legacy_history.losses, keras_history.losses, weight_differences


def _weight_differences(legacy_weights, keras_weights):
    return {name: max(float(np.max(np.abs(a - b))) for a, b in zip(arrays, keras_weights[name]))
            for name, arrays in legacy_weights.items()}


def short_budget_runs(key, steps=None, seed=0, progress=None, init=None):
    """Both sides train `steps` batches in the same order, dropout on; {side: SideRun}.

    Each side starts from its own random init (`init="own"`), or both from TF1's
    (`"shared"`); default: the recipe's `short_budget_init`.
    """
    recipe = recipes.get_recipe(key)
    recipe = dataclasses.replace(recipe, short_budget_init=init or recipe.short_budget_init)
    steps = steps or recipe.compare_steps
    data = training_data.load_training_data(recipe)
    order = batches.batch_order(len(data.train_images), recipe.batch_size, steps, seed)
    runs, initial_weights = {}, None
    for side_class in (sides.LegacySide, sides.KerasSide):
        with side_class(key, seed=seed) as side:
            if recipe.short_budget_init == "shared":
                initial_weights = initial_weights or side.weights()  # TF1 runs first
                side.set_weights(initial_weights)
            on_step = progress(key, side.name, steps) if progress else None
            history = side.train(data.train_images, data.train_labels, order, on_step=on_step)
            logits = side.logits(data.test_images)
            runs[side.name] = SideRun(
                loss_steps=history.steps, losses=history.losses, accuracy=training_data.accuracy(logits, data.test_labels),
                samples_per_second=sides.samples_per_second(history, recipe.batch_size),
                predicted_classes=np.argmax(logits, axis=1))
    return runs
