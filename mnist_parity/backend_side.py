"""The Keras side of `compare`, computed in a process on another Keras backend (JAX).

Keras picks its backend at import, so `mnist-parity compare --keras-backend jax` runs the
TF1 side once in its own process and sends this module's `keras_side` what the Keras side
needs: TF1's weights of each legacy program, the forward images, the step batches and the
accuracy run's batch order (and TF1's initial weights for a shared init). It returns what
the TF backend's run would have measured, as NumPy and plain values: the twin's layers and
weights, its per-layer outputs and logits from TF1's weights, its losses over the step
batches and its final weights, and the accuracy run (recorded_keras.py replays the first
three into the harness's own checks in the TF1 process).

The Keras side runs as the kit trains it on that backend (modern_keras.training: Keras'
own optimizers with TF1's hyper-parameters, XLA), so these are the backend's figures.
"""

import dataclasses
import time

import keras
import numpy as np

from mnist_core import recipes, training_data
from mnist_parity import sides
from modern_keras import training
from tf1_to_keras import harness


def _recipe(key, adam_epsilon=None):
    """The recipe, with `adam_epsilon` replaced when given (a wrong twin, to be caught)."""
    recipe = recipes.get_recipe(key)
    return recipe if adam_epsilon is None else dataclasses.replace(recipe, adam_epsilon=adam_epsilon)


def _describe(model):
    """What check_structure reads from a Keras model, as plain values."""
    return {"layer_summaries": [dataclasses.asdict(summary) for summary in model.layer_summaries()],
            "weight_layers": model.weight_layers(), "count_params": int(model.model.count_params()),
            "input_shape": model.input_shape(), "initial_weights": model.weights()}


def _from_tf1(model, tf1_values, tf1_layers):
    """TF1's weights loaded through the harness's name map; the Keras weights they became."""
    mapping = harness.NameMap().resolve(tf1_values, model.weights(), tf1_layers)
    converted = mapping.convert(tf1_values)
    model.assign(converted)
    return converted


def _steps(side, batches):
    """One train_on_batch per (x, y): each step's loss before its update, as fit computes it."""
    return [float(side.model.train_on_batch(x, y, return_dict=True)["loss"]) for x, y in batches]


def variant_results(key, seed, tf1_values, tf1_layers, images, batches, adam_epsilon=None):
    """Structure, forward and step results of the twin against one legacy program's weights."""
    recipe = _recipe(key, adam_epsilon)
    with sides.KerasSide(key, recipe=recipe, seed=seed, dropout=False, steps_per_execution=1) as side:
        model = side.harness_model
        result = _describe(model)
        assigned = _from_tf1(model, tf1_values, tf1_layers)
        names = model.tappable_layers()
        result.update(assigned=assigned, taps=model.tap(images, names), tappable=names,
                      logits=side.logits(images))
        result["losses"] = _steps(side, batches)
        result["final_weights"] = model.weights()
        result["optimizer"] = {name: value for name, value in side.model.optimizer.get_config().items()
                               if name in ("name", "learning_rate", "beta_1", "beta_2", "epsilon")}
    return result


def accuracy_run(key, seed, order, tf1_start=None, adam_epsilon=None):
    """The short-budget run (dropout on) over `order`: proof_checks.SideRun's fields."""
    from mnist_parity import proof_checks  # its SideRun is what the TF1 process rebuilds

    recipe = _recipe(key, adam_epsilon)
    data = training_data.load_training_data(recipe)
    with sides.KerasSide(key, recipe=recipe, seed=seed) as side:
        if tf1_start is not None:
            proof_checks.load_tf1_weights(side.harness_model, *tf1_start)
        started = time.perf_counter()
        run = proof_checks.train_and_score(side, data, order, recipe.batch_size, None)
        seconds = time.perf_counter() - started
    return {**dataclasses.asdict(run), "seconds": seconds}


def keras_side(request):
    """Everything `compare` needs of the Keras side, on this process's backend.

    request: key, seed, variants ({legacy module: (TF1 values, TF1 variable layers)}),
    images, batches ([(x, y)]), order, tf1_start ((values, layers) or None), adam_epsilon.
    """
    key, seed = request["key"], request["seed"]
    result = {"backend": keras.backend.backend(), "variants": {}}
    for variant, (values, layers) in request["variants"].items():
        result["variants"][variant] = variant_results(
            key, seed, values, layers, request["images"], request["batches"], request.get("adam_epsilon"))
    if request.get("order") is not None:
        result["accuracy"] = accuracy_run(key, seed, np.asarray(request["order"]),
                                          request.get("tf1_start"), request.get("adam_epsilon"))
    return result
