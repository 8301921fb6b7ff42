"""The four layers of proof for the kit's five models, run on the public harness.

The kit holds its own models to its bars the way a team holds its port
(tf1_to_keras.harness): the TF1 side is a `harness.TF1Model` built by the legacy
program's `build_graph`, the Keras side a `harness.KerasModel` of the twin, and TF1's
weights reach Keras through the harness's automatic `NameMap` (the twins name their
layers like the TF1 scopes). Structure, forward and training steps are the harness's
checks and return its results. The accuracy runs train `sides.LegacySide` /
`KerasSide` (the same harness models with the recipes' own loops), because `compare`
needs more than a check returns: loss curves, throughput and predicted classes.

The parity suite asserts on these results; `mnist-parity compare` reports them. Each
function builds its own graph/session and Keras model, so checks never share state.
"""

import contextlib
import dataclasses

import keras
import numpy as np

from legacy_tf1 import session_loop
from mnist_core import batches, recipes, training_data
from tf1_to_keras import harness
from mnist_parity import loss_windows, registry, sides
from tf1_to_keras.harness import structure, tolerances
from modern_keras import training


@contextlib.contextmanager
def harness_models(key, seed=0, variant=None, functional=False, dropout=True):
    """(harness.TF1Model, harness.KerasModel) of one model, as the harness takes a team's.

    TF1: the legacy program's `build_graph(recipe, seed=seed)`; Keras: the twin
    (functional or Sequential) after keras.utils.set_random_seed(seed), run as a graph
    as `predict` runs it (KerasModel's `graph=True`). `dropout=False`
    builds the twin with rate 0, the twin of feeding TF1 its inference feed. On exit the
    session closes and the Keras session is cleared.
    """
    recipe = recipes.get_recipe(key)
    legacy_module = registry.legacy_module(key, variant)
    keras_module = registry.keras_module(key)
    build = keras_module.build_functional_model if functional else keras_module.build_model
    keras_recipe = recipe if dropout else dataclasses.replace(recipe, dropout_rate=0.0)
    with harness.TF1Model.from_builder(lambda: legacy_module.build_graph(recipe, seed=seed)) as tf1:
        try:
            yield tf1, harness.KerasModel(lambda: build(keras_recipe), seed=seed, graph=True)
        finally:
            keras.backend.clear_session()


def load_tf1_weights(keras_model, tf1_values, tf1_layers=None):
    """Loads TF1 variable values ({name: array}; `tf1_layers` from TF1Model.variable_layers)
    into a harness.KerasModel through the automatic NameMap; returns the Mapping."""
    mapping = harness.NameMap().resolve(tf1_values, keras_model.weights(), tf1_layers)
    keras_model.assign(mapping.convert(tf1_values))
    return mapping


def _test_images(key, count):
    return training_data.load_training_data(recipes.get_recipe(key)).test_images[:count]


# --- structure ------------------------------------------------------------------------------------

@dataclasses.dataclass
class StructureResult:
    """harness.check_structure's result (`checked`) and each side's layers in order
    (structure.LayerSummary: TF1 one per tap of its program, Keras one per layer)."""

    checked: harness.StructureResult
    legacy: list
    keras: list

    @property
    def parameters(self):
        return dict(self.checked.params)

    @property
    def differences(self):
        """The harness's structure failures, and the layer names if they differ: the kit's
        programs tap every layer, so a tap the twin lacks is a difference too (the harness
        compares the layers both sides name)."""
        names = ([layer.name for layer in self.legacy], [layer.name for layer in self.keras])
        renamed = [] if names[0] == names[1] else [f"layer names differ: TF1 {names[0]} vs Keras {names[1]}"]
        return list(self.checked.failures) + renamed


def check_structure(key, seed=0, functional=False, variant=None):
    """harness.check_structure: per-layer output shapes and parameter counts, and totals."""
    with harness_models(key, seed, variant, functional) as (tf1, keras_side):
        checked = harness.check_structure(tf1, keras_side)
        counts = {row["name"]: row["tf1"]["params"] for row in checked.layers}
        legacy = [structure.LayerSummary(name, tuple(tensor.shape.as_list()), counts.get(name, 0))
                  for name, tensor in tf1.endpoints.layers.items()]
        return StructureResult(checked, legacy, keras_side.layer_summaries())


# --- forward --------------------------------------------------------------------------------------

def check_forward(key, seed=0, functional=False, count=tolerances.FORWARD_IMAGES, variant=None):
    """harness.check_forward on `count` real test images: TF1's weights copied into Keras,
    each layer's output (Keras order) and the logits compared; a harness.ForwardResult."""
    images = _test_images(key, count)
    with harness_models(key, seed, variant, functional) as (tf1, keras_side):
        return harness.check_forward(tf1, keras_side, images)


def forward_logits(key, seed=0, functional=False, count=tolerances.FORWARD_IMAGES, variant=None):
    """(TF1 logits, Keras logits) on `count` real test images, TF1 weights copied into Keras."""
    images = _test_images(key, count)
    with harness_models(key, seed, variant, functional) as (tf1, keras_side):
        load_tf1_weights(keras_side, tf1.variables(), tf1.variable_layers())
        return tf1.predict(images), keras_side.predict(images)


# --- training steps -------------------------------------------------------------------------------

def check_training_steps(key, optimizer_name=None, seed=0, steps=tolerances.STEP_PARITY_STEPS,
                         variant=None, fused_optimizer=True):
    """harness.check_training_steps: both sides train `steps` identical batches (TF1
    next_batch order) from TF1's weights, dropout off, with the recipe's optimizer (or
    `optimizer_name`'s); a harness.TrainingStepsResult.

    `fused_optimizer=False` trains the Keras side with Keras' own Adam/SGD.
    """
    recipe = recipes.get_recipe(key)
    data = training_data.load_training_data(recipe)
    same_batches = harness.make_batches(data.train_images, data.train_labels, recipe.batch_size,
                                        steps, seed)
    with harness_models(key, seed, variant, dropout=False) as (tf1, keras_side):
        return harness.check_training_steps(
            tf1, keras_side, same_batches,
            tf1_optimizer=lambda: session_loop.make_optimizer(recipe, optimizer_name),
            keras_optimizer=lambda: training.make_optimizer(recipe, optimizer_name, fused_optimizer),
            keras_loss=training.make_loss(recipe), tf1_feed=dropout_off_feed(tf1))


def dropout_off_feed(tf1):
    """The inference feed, as tf1_feed: the harness lays tf1_feed over the training feed, so a
    switch the inference feed leaves unfed (layers_cnn's `training`, a placeholder_with_default)
    is fed its default, or dropout would stay on."""
    feed = dict(tf1.endpoints.inference_feed)
    unfed = [tensor for tensor in tf1.endpoints.training_feed if tensor not in feed]
    feed.update(zip(unfed, tf1.session.run([tensor.op.inputs[0] for tensor in unfed])))
    return feed


# --- accuracy -------------------------------------------------------------------------------------

@dataclasses.dataclass
class SideRun:
    """One side's short-budget training: logged losses, test accuracy, throughput."""

    loss_steps: list  # the steps whose loss was logged (Keras: every steps_per_execution-th)
    losses: list
    accuracy: float
    samples_per_second: float
    predicted_classes: np.ndarray  # argmax on the test set, for the digit grid
    windowed_loss: loss_windows.LossWindows  # the curve both sides show alike (figures)


def _loss_windows(side_name, history, total_steps):
    """The mean loss of each 100-step window: Keras' from its running means, TF1's steps'."""
    if side_name == sides.KerasSide.name:
        return loss_windows.from_running_means(history.steps, history.running_means)
    ends = loss_windows.window_ends(total_steps, training.STEPS_PER_EXECUTION)
    return loss_windows.from_every_step(history.steps, history.losses, ends)


def train_and_score(side, data, order, batch_size, on_step):
    history = side.train(data.train_images, data.train_labels, order, on_step=on_step)
    logits = side.logits(data.test_images)
    return SideRun(loss_steps=history.steps, losses=history.losses,
                   windowed_loss=_loss_windows(side.name, history, len(order)),
                   accuracy=training_data.accuracy(logits, data.test_labels),
                   samples_per_second=sides.samples_per_second(history, batch_size),
                   predicted_classes=np.argmax(logits, axis=1))


def short_budget_runs(key, steps=None, seed=0, progress=None, init=None):
    """Both sides train `steps` batches in the same order, dropout on; {side: SideRun}.

    Each side starts from its own random init (`init="own"`), or both from TF1's
    (`"shared"`, copied by the harness's name map); default: the recipe's `short_budget_init`.
    """
    recipe = recipes.get_recipe(key)
    init = init or recipe.short_budget_init
    steps = steps or recipe.compare_steps
    data = training_data.load_training_data(recipe)
    order = batches.batch_order(len(data.train_images), recipe.batch_size, steps, seed)
    runs, tf1_start = {}, None
    for side_class in (sides.LegacySide, sides.KerasSide):
        with side_class(key, seed=seed) as side:
            if init == "shared" and tf1_start is None:  # TF1 runs first
                tf1_start = side.harness_model.variables(), side.harness_model.variable_layers()
            elif init == "shared":
                load_tf1_weights(side.harness_model, *tf1_start)
            on_step = progress(key, side.name, steps) if progress else None
            runs[side.name] = train_and_score(side, data, order, recipe.batch_size, on_step)
    return runs
