"""`port --backends tensorflow,jax`: the staged model.py, with its weights file, verified on each
Keras backend asked for, each in its own process (harness/backend_process.py).

    entries = backend_verification.verify_on_backends(("tensorflow", "jax"), captured, recognised,
                                                      staging, (x, y), seed, checked, training)

* tensorflow: this process's own verification (certification.verify and training_check): its
  forward figure and, when it ran, the training-step check.
* every other backend: TF1's outputs and layer taps computed once (the captured graph restored
  again, inference feed); then one child process per backend (`port_on_backend`): the staged
  model built by `build_port` and run forward (harness/backend_checks.py), and when the
  TensorFlow check ran the training steps, the same steps (`port_training_losses`, with the
  generated training_setup()), compared here against TF1's outputs and losses, same bars.

Each entry (port.json's `backends`): `passed`, `forward_max_abs_diff`, `first_divergent_layer`,
`forward_layers`, `failures`, `tolerances`, `versions`, `seconds`, `training_steps` (the loss
figures, or null) and `notes` (why the steps were not checked there).
"""

import ast
import os

import numpy as np

from tf1_to_keras import harness
from tf1_to_keras.harness import backend_checks, backend_process, closeness, reference_spread
from tf1_to_keras.porting import certification

BUILDER = "tf1_to_keras.porting.backend_verification:build_port"
CHILD = "tf1_to_keras.porting.backend_verification:port_on_backend"


# Module names whose use ties code to one backend: what generated code and the layer classes
# the kit writes (constructs, ElementwiseAffine, tf1_optimizers.py) must not use (keras.ops only).
BACKEND_BOUND = frozenset({"tensorflow", "tf", "numpy", "np", "jax", "jnp", "torch"})


def backend_bound_uses(source, filename="model.py"):
    """`FILE line N: tf.multiply` for each use of a backend-bound module in Python `source` (an
    import of one, or a name of BACKEND_BOUND used as a module); [] for keras-only code."""
    uses = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            uses += [f"{filename} line {node.lineno}: import {module}" for module in modules
                     if module.split(".")[0] in BACKEND_BOUND]
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in BACKEND_BOUND:
            uses.append(f"{filename} line {node.lineno}: {node.value.id}.{node.attr}")
    return uses


def build_port(directory, seed):
    """The child's builder: model.py's build_model() with model.weights.h5 loaded, as a user runs it."""
    model = certification.build_staged(directory, seed)
    model.load_weights(os.path.join(directory, certification.WEIGHTS))
    return model


def port_training_losses(directory, seed, x, y):
    """The child's training run: the port (weights loaded) trained on the batches x[i], y[i] with
    model.py's own training_setup(), dropout at rate 0 as on the TF1 side; each step's loss."""
    from tf1_to_keras.porting import training_parity
    module = certification.load_model_module(os.path.join(directory, certification.MODEL))
    keras_side = harness.KerasModel(build_port(directory, seed))
    optimizer, loss = module.training_setup()
    with training_parity._without_dropout(keras_side.model):
        losses = keras_side.train_steps(list(zip(x, y)), lambda: optimizer, loss)
    return {"losses": np.asarray(losses, dtype=np.float64)}


def tensorflow_entry(checked, training):
    """The in-process verification as a `backends` entry."""
    import keras
    forward = checked.forward
    judged = training is not None and not training.unverifiable  # else port.json's notes say why
    return {"backend": "tensorflow", "passed": not checked.failures and (not judged or training.passed),
            "failures": [*checked.failures, *(training.failures if judged else [])],
            "forward_max_abs_diff": closeness.json_number(forward.forward_max_abs_diff),
            "first_divergent_layer": forward.first_divergent_layer,
            "forward_layers": {name: closeness.json_number(c.max_abs_diff) for name, c in forward.layers.items()},
            "versions": {"backend": keras.backend.backend(), "keras": keras.__version__},
            "training_steps": _steps_figures(training), "notes": []}


def _steps_figures(training):
    if training is None:
        return None
    return {"steps": len(training.steps), "passed": training.passed,
            "max_abs_loss_diff_first10": closeness.json_number(training.max_abs_loss_diff_early),
            "max_rel_loss_diff": closeness.json_number(training.max_rel_loss_diff),
            "keras_losses": [float(value) for value in training.keras_losses]}


def _reference(captured, recognised, x):
    """(x cut to whole batches, batch size, TF1 outputs, TF1 taps, labels tensor) from the graph."""
    with certification.tf1_model(captured, recognised) as tf1:
        x, batch_size = certification.batched(x, certification.fixed_batch(tf1))
        taps = tf1.tap(x, list(tf1.endpoints.layers), batch_size)
        labels = tf1.graph.get_tensor_by_name(recognised.labels) if recognised.labels else None
        return x, batch_size, tf1.predict(x, batch_size), taps, certification.fixed_batch(tf1), labels


def port_on_backend(steps_y=None, **forward):
    """The child's side, one process per backend: `backend_checks.keras_forward(**forward)` and,
    given the batches (steps_x[i], steps_y[i]), the training steps' losses too."""
    steps_x = backend_checks.unpack_inputs("steps_x", forward)
    if isinstance(steps_x, dict):  # a model of several inputs: [{input name: batch}] per step
        steps_x = [{name: value[step] for name, value in steps_x.items()} for step in range(len(steps_y))]
    values = backend_checks.keras_forward(**forward)
    if steps_x is not None:
        values.update(port_training_losses(forward["argument"], forward["seed"], steps_x, steps_y))
    return values


def _batches(training, x, y, seed, fixed, labels):
    """The training check's batches, stacked ({"steps_x", "steps_y"}), or {} when it did not run."""
    if training is None:
        return {}
    x = x if isinstance(x, dict) else np.asarray(x)  # a dict: {input name: array}, as the TF check takes it
    batches = harness.make_batches(x, np.asarray(certification.labels_as(labels, y)),
                                   batch_size=certification.training_batch_size(fixed, x),
                                   steps=len(training.tf1_losses), seed=seed)
    steps_x = ({name: np.stack([bx[name] for bx, _ in batches]) for name in x} if isinstance(x, dict)
               else np.stack([bx for bx, _ in batches]))
    return {**backend_checks.pack_inputs("steps_x", steps_x), "steps_y": np.stack([by for _, by in batches])}


def _held_to_float64(training):
    """Whether tensorflow's steps were held to TF1's graph with its batch norms in float64."""
    spread = training.reference_spread
    return spread is not None and spread.applied and spread.reference == reference_spread.REFERENCE


def _steps_on(backend, training, losses):
    """(the training steps' figures on `backend`, failures): its losses against TF1's (or the
    float64 graph's, where tensorflow's were held to it), same bars."""
    losses = [float(value) for value in losses]
    bars, exact = training.tolerances, _held_to_float64(training)
    expected = training.reference_spread.permuted_losses[0] if exact else training.tf1_losses
    name = f"training steps on {backend}: loss" + (f" (against {reference_spread.REFERENCE})" if exact else "")
    comparisons = closeness.loss_curve_comparisons(
        expected, losses, name=name, early_steps=bars.early_steps,
        early_atol=bars.early_loss_atol, early_rtol=bars.early_loss_rtol, late_rtol=bars.late_loss_rtol)
    failing = [comparison.message for comparison in comparisons if not comparison.passed]
    early = [c.max_abs_diff for c in comparisons if c.step <= bars.early_steps]
    return {"steps": len(losses), "passed": not failing, "keras_losses": losses,
            "max_abs_loss_diff_first10": closeness.json_number(max(early, default=0.0))}, failing[:1]


def _on_backend(backend, staging, reference, batches, seed, training, bars=None):
    """One backend's entry: the staged port's forward (and training steps) in one child process,
    under `bars`, the port's own forward bars (certification.forward_tolerances), that backend's."""
    x, batch_size, outputs, taps = reference
    args, arrays = backend_checks.forward_request(BUILDER, staging, x, taps, seed, batch_size)
    try:
        result = backend_process.run_on_backend(backend, CHILD, args=args, arrays={**arrays, **batches})
    except backend_process.BackendError as error:
        entry = backend_checks.failed_entry(backend, error, bars)
        entry["failures"] += _bound_uses(staging)  # name what in the written code ties it to one backend
        return {**entry, "training_steps": None,
                "notes": [f"training steps on {backend}: not checked (the model did not run there)"]}
    entry = backend_checks.forward_entry(backend, result, outputs, taps, bars)
    if not batches:
        return {**entry, "training_steps": None,
                "notes": [f"training steps on {backend}: not checked (not checked on tensorflow either)"]}
    figures, failures = _steps_on(backend, training, result.values["losses"])
    if training.reference_spread is not None and training.reference_spread.applied and not _held_to_float64(training):
        # TF1 did not reproduce its own steps: the strict bars say nothing there (port.json's notes).
        return {**entry, "training_steps": {**figures, "passed": None}, "notes": [
            f"training steps on {backend}: not judged (on tensorflow they were held to TF1's own spread)"]}
    return {**entry, "training_steps": figures, "notes": [], "failures": [*entry["failures"], *failures],
            "passed": entry["passed"] and not failures}


def _bound_uses(staging):
    found = []
    for name in sorted(os.listdir(staging)):
        if name.endswith(".py"):
            with open(os.path.join(staging, name), encoding="utf-8") as stream:
                found += [f"not keras.ops: {use}" for use in backend_bound_uses(stream.read(), name)]
    return found


def verify_on_backends(backends, captured, recognised, staging, examples_xy, seed, checked, training):
    """{backend: entry} for each of `backends` (see the module docstring)."""
    entries = {}
    others = [backend for backend in backends if backend != "tensorflow"]
    if "tensorflow" in backends:
        entries["tensorflow"] = tensorflow_entry(checked, training)
    if not others:
        return entries
    x, batch_size, outputs, taps, fixed, labels = _reference(captured, recognised, examples_xy[0])
    batches = _batches(training, *examples_xy, seed, fixed, labels)
    for backend in others:
        entries[backend] = _on_backend(backend, staging, (x, batch_size, outputs, taps), batches, seed, training,
                                       certification.forward_tolerances(recognised))  # a deep net's bar too
    return entries
