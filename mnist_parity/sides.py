"""The two sides of one model, behind the same small interface.

`LegacySide` owns a TF1 graph and session built by the legacy program's
`build_graph`; `KerasSide` owns the compiled Keras twin. Both train on the same
index order of the same arrays, and both expose logits and `{layer: [arrays]}`
weights, so the parity suite and `compare` never touch framework details.
"""

import dataclasses

import keras

import legacy_tf1.compat as tf
from legacy_tf1 import session_loop
from mnist_core import recipes
from mnist_core.training_data import accuracy, load_training_data  # noqa: F401 - re-exported for the harness
from mnist_parity import registry, structure, transfer
from modern_keras import training


def samples_per_second(history, batch_size):
    """Training throughput from the step clock, leaving out the first record (graph build,
    tracing): steps between the first and last record over the time between them."""
    if len(history.times) < 2:
        return float("nan")
    steps = history.steps[-1] - history.steps[0]
    return steps * batch_size / (history.times[-1] - history.times[0])


class LegacySide:
    """A legacy program's graph and session, ready to train and compare."""

    name = "tf1"

    def __init__(self, key, recipe=None, seed=None, optimizer_name=None, dropout=True,
                 variant=None):
        self.recipe = recipe or recipes.get_recipe(key)
        self.dropout = dropout  # False feeds keep_prob 1.0 (inference feed) while training
        self.graph = tf.Graph()
        with self.graph.as_default():
            self.endpoints = registry.legacy_module(key, variant).build_graph(
                self.recipe, seed=seed)
            self.train_op = session_loop.make_train_op(self.endpoints, self.recipe, optimizer_name)
            initializers = [tf.global_variables_initializer(), tf.local_variables_initializer()]
        self.session = tf.Session(graph=self.graph)
        self.session.run(initializers)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.session.close()

    def structure(self):
        return structure.legacy_structure(self.endpoints)

    def weights(self):
        return transfer.legacy_weights(self.session, self.endpoints)

    def set_weights(self, weights):
        transfer.set_legacy_weights(self.session, self.endpoints, weights)

    def logits(self, images):
        return session_loop.predict_logits(self.session, self.endpoints, images)

    def train(self, images, labels, order, on_step=None):
        return session_loop.train(self.session, self.endpoints, self.train_op, images, labels,
                                  order, on_step=on_step, training=self.dropout)


class KerasSide:
    """A compiled Keras twin (Sequential by default), ready to train and compare."""

    name = "keras"

    def __init__(self, key, recipe=None, seed=None, optimizer_name=None, functional=False,
                 dropout=True, steps_per_execution=training.STEPS_PER_EXECUTION,
                 fused_optimizer=True):
        self.recipe = recipe or recipes.get_recipe(key)
        if not dropout:  # the Keras twin of feeding keep_prob 1.0 while training
            self.recipe = dataclasses.replace(self.recipe, dropout_rate=0.0)
        if seed is not None:
            keras.utils.set_random_seed(seed)
        module = registry.keras_module(key)
        build = module.build_functional_model if functional else module.build_model
        self.model = training.compile_model(build(self.recipe), self.recipe, optimizer_name,
                                            steps_per_execution, fused_optimizer)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        keras.backend.clear_session()

    def structure(self):
        return structure.keras_structure(self.model)

    def weights(self):
        return transfer.keras_weights(self.model)

    def set_weights(self, weights):
        transfer.set_keras_weights(self.model, weights)

    def logits(self, images):
        return training.predict_logits(self.model, images)

    def train(self, images, labels, order, on_step=None):
        return training.train(self.model, images, labels, order, on_step=on_step)
