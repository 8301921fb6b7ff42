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


SEPARATOR = "::"


def to_wire(tree, prefix=""):
    """(tree with each NumPy array replaced by {"array": key}, {key: array}): backend_process
    carries arrays at the top level of the result only (through an .npz), the rest as JSON."""
    if isinstance(tree, np.ndarray):
        return {"array": prefix}, {prefix: tree}
    if isinstance(tree, (np.floating, np.integer)):
        return tree.item(), {}
    if isinstance(tree, dict):
        pairs = {name: to_wire(value, f"{prefix}{SEPARATOR}{name}") for name, value in tree.items()}
        return ({name: pair[0] for name, pair in pairs.items()},
                {key: array for pair in pairs.values() for key, array in pair[1].items()})
    if isinstance(tree, (list, tuple)):
        pairs = [to_wire(value, f"{prefix}{SEPARATOR}{index}") for index, value in enumerate(tree)]
        return [pair[0] for pair in pairs], {key: array for pair in pairs for key, array in pair[1].items()}
    return tree, {}


def from_wire(tree, arrays):
    """to_wire's inverse."""
    if isinstance(tree, dict) and set(tree) == {"array"}:
        return arrays[tree["array"]]
    if isinstance(tree, dict):
        return {name: from_wire(value, arrays) for name, value in tree.items()}
    if isinstance(tree, list):
        return [from_wire(value, arrays) for value in tree]
    return tree


def _values(names, arrays, prefix):
    return {name: arrays[f"{prefix}{index}"] for index, name in enumerate(names)}


def keras_side(key, seed, tf1_names, tf1_layers, adam_epsilon=None, start_names=None,
               start_layers=None, **arrays):
    """backend_process's child: everything `compare` needs of the Keras side, on this
    process's backend, as {"tree": JSON, "<key>": array, ...} (to_wire).

    tf1_names/tf1_layers: per legacy program, TF1's variable names (arrays "tf1:V:i") and
    variable layers; arrays images, batch_x, batch_y (the step batches) and, for the
    accuracy run, order (and "start:i", TF1's initial weights for a shared init).
    """
    batches = list(zip(arrays["batch_x"], arrays["batch_y"]))
    result = {"backend": keras.backend.backend(), "variants": {}}
    for variant, names in tf1_names.items():
        values = _values(names, arrays, f"tf1:{variant}:")
        result["variants"][variant] = variant_results(
            key, seed, values, tf1_layers[variant], arrays["images"], batches, adam_epsilon)
    if "order" in arrays:
        start = None if start_names is None else (_values(start_names, arrays, "start:"), start_layers)
        result["accuracy"] = accuracy_run(key, seed, arrays["order"], start, adam_epsilon)
    tree, wire_arrays = to_wire(result, "out")
    return {"tree": tree, **wire_arrays}
