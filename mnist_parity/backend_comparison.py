"""`compare --keras-backend jax`: the four proofs with the Keras side on another backend.

Keras picks its backend at import, so the Keras side runs in its own process
(tf1_to_keras.harness.backend_process, the library's one home for that) and the TF1 side
runs once, here: each legacy program's graph gives its weights, forward outputs and step
losses; its accuracy run gives TF1's SideRun (and the shared init). One child per model
computes the Keras side (backend_side.keras_side); its records are replayed into the
harness's own checks (recorded_keras.RecordedKerasModel), under that backend's forward bar
(backend_checks.backend_tolerances). The result is model_comparison's ModelComparison.
"""

import numpy as np

from legacy_tf1 import session_loop
from mnist_core import batches as batches_lib
from mnist_core import recipes, training_data
from mnist_parity import backend_side, loss_windows, proof_checks, recorded_keras, registry, sides
from tf1_to_keras import harness
from tf1_to_keras.harness import backend_checks, backend_process, structure, tolerances

CHILD = "mnist_parity.backend_side:keras_side"
# One model's Keras side, all its checks and its accuracy run: backend_process's default 600 s
# was too short for layers_cnn (two legacy programs, a 3.2M-weight CNN) on the shared 2-core
# CPU under load; a stuck child still ends.
KERAS_SIDE_TIMEOUT_S = 3600


def tf1_model(key, variant, seed):
    recipe, module = recipes.get_recipe(key), registry.legacy_module(key, variant)
    return harness.TF1Model.from_builder(lambda: module.build_graph(recipe, seed=seed))


def _tf1_accuracy_run(key, order, seed, init, progress):
    """TF1's short-budget run: (SideRun, its initial (values, layers) when init is shared)."""
    recipe = recipes.get_recipe(key)
    data = training_data.load_training_data(recipe)
    with sides.LegacySide(key, seed=seed) as side:
        start = ((side.harness_model.variables(), side.harness_model.variable_layers())
                 if init == "shared" else None)
        on_step = progress(key, side.name, len(order)) if progress else None
        return proof_checks.train_and_score(side, data, order, recipe.batch_size, on_step), start


def _request(key, seed, tf1_models, images, step_batches, order, start, adam_epsilon):
    """(args, arrays) of backend_side.keras_side."""
    args = {"key": key, "seed": seed, "adam_epsilon": adam_epsilon, "tf1_names": {}, "tf1_layers": {}}
    arrays = {"images": images, "batch_x": np.stack([x for x, _ in step_batches]),
              "batch_y": np.stack([y for _, y in step_batches])}
    for variant, tf1 in tf1_models.items():
        tf1.reset()  # the weights it was built with: every harness check starts from those
        values = tf1.variables()
        args["tf1_names"][variant], args["tf1_layers"][variant] = list(values), tf1.variable_layers()
        arrays.update({f"tf1:{variant}:{index}": value for index, value in enumerate(values.values())})
    if order is not None:
        arrays["order"] = np.asarray(order)
    if start is not None:
        args["start_names"], args["start_layers"] = list(start[0]), start[1]
        arrays.update({f"start:{index}": value for index, value in enumerate(start[0].values())})
    return args, arrays


def run_keras_side(backend, key, seed, tf1_models, images, step_batches, order=None, start=None,
                   adam_epsilon=None, timeout_s=KERAS_SIDE_TIMEOUT_S):
    """The Keras side's records on `backend` (backend_side.keras_side's, decoded)."""
    args, arrays = _request(key, seed, tf1_models, images, step_batches, order, start, adam_epsilon)
    result = backend_process.run_on_backend(backend, CHILD, args, arrays, timeout_s)
    values = dict(result.values)
    records = backend_side.from_wire(values.pop("tree"), values)
    records["versions"], records["seconds"] = result.versions, result.seconds
    return records


def check_recorded_variant(key, variant, tf1, record, images, step_batches, backend):
    """Structure, forward (the backend's bar) and steps of one legacy program, from the record:
    (StructureResult, ForwardResult, TrainingStepsResult), the harness's own."""
    recipe = recipes.get_recipe(key)
    keras_side = recorded_keras.RecordedKerasModel(record, step_batches, backend, images)
    checked = harness.check_structure(tf1, keras_side)
    counts = {row["name"]: row["tf1"]["params"] for row in checked.layers}
    legacy = [structure.LayerSummary(name, tuple(tensor.shape.as_list()), counts.get(name, 0))
              for name, tensor in tf1.endpoints.layers.items()]
    structure_result = proof_checks.StructureResult(checked, legacy, keras_side.layer_summaries())
    forward = harness.check_forward(tf1, keras_side, images,
                                    tolerances=backend_checks.backend_tolerances(backend))
    steps = harness.check_training_steps(
        tf1, keras_side, step_batches, tf1_optimizer=lambda: session_loop.make_optimizer(recipe),
        keras_optimizer=None, keras_loss=None, tf1_feed=proof_checks.dropout_off_feed(tf1))
    return structure_result, forward, steps


def side_run(fields):
    """proof_checks.SideRun from backend_side.accuracy_run's fields."""
    fields = {name: value for name, value in fields.items() if name != "seconds"}
    windows = fields.pop("windowed_loss")
    return proof_checks.SideRun(**fields, windowed_loss=loss_windows.LossWindows(**windows))


def short_budget_order(key, steps, seed):
    recipe = recipes.get_recipe(key)
    data = training_data.load_training_data(recipe)
    return batches_lib.batch_order(len(data.train_images), recipe.batch_size, steps, seed)


def step_batches(key, seed, steps=tolerances.STEP_PARITY_STEPS):
    """The step check's batches, as proof_checks.check_training_steps makes them."""
    recipe = recipes.get_recipe(key)
    data = training_data.load_training_data(recipe)
    return harness.make_batches(data.train_images, data.train_labels, recipe.batch_size, steps, seed)


def _variant_result(key, variant, checks, failures):
    """model_comparison.VariantResult of one legacy program; its failures added to `failures`."""
    from mnist_parity import model_comparison

    structure_result, forward, steps = checks
    label = key if variant == key else f"{key} ({variant})"
    failures += [f"{label}: {difference}" for difference in structure_result.differences]
    failures += [f"{label} {failure}" for failure in (*forward.failures, *steps.failures)]
    return model_comparison.VariantResult(
        structure_result.parameters, not structure_result.differences, forward.forward_max_abs_diff,
        steps.max_abs_loss_diff_early, steps.max_rel_loss_diff)


def compare_model_on_backend(key, backend, steps, seed=0, progress=None, init=None,
                             adam_epsilon=None, step_steps=tolerances.STEP_PARITY_STEPS):
    """model_comparison.compare_model with the Keras side on `backend`; a ModelComparison whose
    runs["keras"] is that backend's. `adam_epsilon` replaces the Keras side's (a wrong twin)."""
    from mnist_parity import model_comparison

    recipe = recipes.get_recipe(key)
    init = init or recipe.short_budget_init
    order = short_budget_order(key, steps, seed)
    tf1_run, start = _tf1_accuracy_run(key, order, seed, init, progress)
    images = training_data.load_training_data(recipe).test_images[:tolerances.FORWARD_IMAGES]
    batches = step_batches(key, seed, step_steps)
    tf1_models = {variant: tf1_model(key, variant, seed) for variant in registry.legacy_variants(key)}
    failures, variants = [], {}
    try:
        records = run_keras_side(backend, key, seed, tf1_models, images, batches, order, start, adam_epsilon)
        for variant, tf1 in tf1_models.items():
            checks = check_recorded_variant(key, variant, tf1, records["variants"][variant], images,
                                            batches, backend)
            variants[variant] = _variant_result(key, variant, checks, failures)
    finally:
        for tf1 in tf1_models.values():
            tf1.close()
    runs = {"tf1": tf1_run, "keras": side_run(records["accuracy"])}
    failures += model_comparison.accuracy_failures(key, recipe, runs)
    comparison = model_comparison.comparison_of(key, steps, variants, runs, failures, init)
    comparison.backend = {"name": backend, "versions": records["versions"],
                          "keras_seconds": records["seconds"],
                          "optimizer": records["variants"][key]["optimizer"]}
    return comparison
