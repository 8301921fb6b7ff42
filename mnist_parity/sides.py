"""The kit's recipe runs of one model's two sides, built on the public harness's models.

`LegacySide` is a `harness.TF1Model` built by the legacy program's `build_graph`, with
the recipe's train op and the TF1 session loop; `KerasSide` is a `harness.KerasModel`
of the twin, compiled with the recipe. Both train on the same index order of the same
arrays and return a step history (losses and clock) and logits: what `compare`'s
accuracy runs, `reproduce` and `benchmark` need beyond what a harness check returns.
`harness_model` is each side's harness model (weights by name, the name map);
`weights()` gives `{layer: [arrays]}`, the form conversion/ works in.
"""

import dataclasses

import keras

from legacy_tf1 import session_loop
from mnist_core import recipes
from tf1_to_keras import harness
from mnist_parity import registry, transfer
from modern_keras import training


def samples_per_second(history, batch_size):
    """Training throughput from the step clock, leaving out the first record (graph build,
    tracing): steps between the first and last record over the time between them."""
    if len(history.times) < 2:
        return float("nan")
    steps = history.steps[-1] - history.steps[0]
    return steps * batch_size / (history.times[-1] - history.times[0])


class LegacySide:
    """A legacy program's graph and session (a harness.TF1Model), ready to train and compare."""

    name = "tf1"

    def __init__(self, key, recipe=None, seed=None, optimizer_name=None, dropout=True,
                 variant=None):
        self.recipe = recipe or recipes.get_recipe(key)
        self.dropout = dropout  # False feeds keep_prob 1.0 (inference feed) while training
        module = registry.legacy_module(key, variant)
        self.harness_model = harness.TF1Model.from_builder(
            lambda: self._build(module, seed, optimizer_name))

    def _build(self, module, seed, optimizer_name):
        # The train op is built with the graph, before the first initialization, as the
        # programs build it; the harness sets its optimizer slots aside as training state.
        self.endpoints = module.build_graph(self.recipe, seed=seed)
        self.train_op = session_loop.make_train_op(self.endpoints, self.recipe, optimizer_name)
        return self.endpoints

    @property
    def graph(self):
        return self.harness_model.graph

    @property
    def session(self):
        return self.harness_model.session

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.harness_model.close()

    def weights(self):
        """{layer: [array, ...]} (kernel, bias order), read from the session."""
        return transfer.legacy_weights(self.session, self.endpoints)

    def logits(self, images):
        return session_loop.predict_logits(self.session, self.endpoints, images)

    def train(self, images, labels, order, on_step=None):
        return session_loop.train(self.session, self.endpoints, self.train_op, images, labels,
                                  order, on_step=on_step, training=self.dropout)


class KerasSide:
    """A compiled Keras twin (Sequential by default; a harness.KerasModel), ready to train."""

    name = "keras"

    def __init__(self, key, recipe=None, seed=None, optimizer_name=None, functional=False,
                 dropout=True, steps_per_execution=training.STEPS_PER_EXECUTION,
                 fused_optimizer=True):
        self.recipe = recipe or recipes.get_recipe(key)
        if not dropout:  # the Keras twin of feeding keep_prob 1.0 while training
            self.recipe = dataclasses.replace(self.recipe, dropout_rate=0.0)
        module = registry.keras_module(key)
        build = module.build_functional_model if functional else module.build_model
        self.harness_model = harness.KerasModel(lambda: build(self.recipe), seed=seed)
        self.model = training.compile_model(self.harness_model.model, self.recipe, optimizer_name,
                                            steps_per_execution, fused_optimizer)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        keras.backend.clear_session()

    def weights(self):
        """{layer: [array, ...]} for each layer that has weights (kernel, bias order)."""
        return transfer.keras_weights(self.model)

    def logits(self, images):
        return training.predict_logits(self.model, images)

    def train(self, images, labels, order, on_step=None):
        return training.train(self.model, images, labels, order, on_step=on_step)

