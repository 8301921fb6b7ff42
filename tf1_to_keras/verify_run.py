"""`tf1-to-keras verify`'s engine: a team's TF1 model and Keras port, named as FILE.py:FUNCTION,
through the harness's checks (harness.Pair), as one report entry and one table row.

What runs, on the examples of `--data` (or the MNIST test images):
1. structure; 2. forward on the first 1,000 examples (tolerances.FORWARD_IMAGES);
3. training steps: `steps` batches of `batch_size` in TF1 `next_batch` order, both sides
   from TF1's weights, when the builder returns `loss` and `labels` and the files define
   `tf1_optimizer()`, `keras_optimizer()` and `keras_loss()` (functions without arguments
   returning a fresh optimizer, the loss), each looked up in its side's file first;
4. metric (accuracy): both sides trained on the same batches from TF1's weights ("shared"
   init: the short budget leaves two random starts apart), accuracy on the first 1,000
   examples, when y holds class indices and the TF1 output one score per class.
A check that cannot run is reported under "skipped" with the reason; one that ran and
failed makes the run fail (exit status 1). Bad input raises ValueError (exit status 2).
With `backends` (`--backend jax`), the forward check runs on each of those Keras backends too,
in its own process (harness/backend_checks.py), from the weights the forward check set here:
the entry's `backends` holds each figure, and each must pass; the other checks run here, on
TensorFlow, only.
"""

import dataclasses

import numpy as np

from mnist_core import exit_codes
from tf1_to_keras import example_data, model_files
from tf1_to_keras import report_files
from tf1_to_keras.harness import tolerances

NOT_FITTING = "TF1's weights cannot be copied into the Keras model: the name map does not fit (see structure)"


@dataclasses.dataclass
class Verification:
    """One verify run: the report key (the Keras function's name) and its report entry."""

    name: str
    entry: dict

    @property
    def passed(self):
        return self.entry["passed"]

    @property
    def exit_status(self):
        return exit_codes.OK if self.passed else exit_codes.RUN_FAILED


def _examples(data_path, tf1):
    if data_path is not None:
        return example_data.load_npz(data_path)
    return example_data.mnist_test_examples(tf1.input_shape())


def _check_inputs(pair, x):
    from tf1_to_keras.harness import data  # loaded with the harness already
    data.check_inputs(x[:1], pair.tf1.input_shape(), f"{pair.tf1.description} input")
    data.check_inputs(x[:1], pair.keras.input_shape(), f"{pair.keras.description} input")


def _training_hooks(files, tf1_spec, keras_spec):
    """{hook: function} of the three training hooks, or a reason they are missing."""
    order = {"tf1_optimizer": [(tf1_spec, "--tf1"), (keras_spec, "--keras")]}
    order["keras_optimizer"] = order["keras_loss"] = [(keras_spec, "--keras"), (tf1_spec, "--tf1")]
    hooks = {name: files.hook(name, specs) for name, specs in order.items()}
    missing = [f"{name}()" for name, hook in hooks.items() if hook is None]
    return hooks, (f"the files define no {', '.join(missing)}" if missing else None)


def _classifier(pair, y):
    outputs = pair.tf1.endpoints.outputs.shape
    return (y.ndim == 1 and np.issubdtype(y.dtype, np.integer) and outputs.ndims == 2
            and (outputs[-1] or 0) >= 2)


def _train_and_measure(pair, x, y, hooks, steps, batch_size, seed):
    """Training steps and the metric; {check: reason} of those skipped."""
    from tf1_to_keras import harness
    training = {"tf1_optimizer": hooks["tf1_optimizer"], "keras_optimizer": hooks["keras_optimizer"],
                "keras_loss": hooks["keras_loss"]()}
    batches = harness.make_batches(x, y, batch_size, steps, seed)
    pair.training_steps(batches, **training)
    if not _classifier(pair, y):
        return {"metric": "accuracy needs class indices y (N,) and one TF1 output score per class (N, C)"}
    test = slice(0, tolerances.FORWARD_IMAGES)
    pair.metric(batches, x[test], y[test], init="shared", **training)
    return {}


def _run_checks(pair, x, y, hooks, missing_hooks, steps, batch_size, seed):
    """Every check that can run; {check: reason} of those that could not."""
    from tf1_to_keras import harness
    pair.structure()
    try:
        pair.forward(x[:tolerances.FORWARD_IMAGES])
    except harness.NameMapError as error:
        if error.unknown:  # the map names weights that do not exist: bad input
            raise
        return dict.fromkeys(("forward", "training steps", "metric"), NOT_FITTING)
    endpoints = pair.tf1.endpoints
    reason = missing_hooks or (None if endpoints.loss is not None and endpoints.labels is not None
                               else "the TF1 builder returns no 'loss' and 'labels'")
    if reason:
        return {"training steps": reason, "metric": reason}
    return _train_and_measure(pair, x, y, hooks, steps, batch_size, seed)


def build_keras_file(spec, seed):
    """The child builder of another backend's process: FILE.py:FUNCTION's Keras model."""
    return model_files.ModelFiles().function(spec, "--keras")()


def _forward_on_backends(pair, backends, x, keras_spec, seed):
    """{backend: backend_checks entry} of the forward check on each other backend, from TF1's
    weights through the forward check's own mapping (both sides reset first)."""
    from tf1_to_keras.harness import backend_checks
    forward = next((result for result in pair.results if result.check == "forward" and result.mapping), None)
    if forward is None:
        return {backend: {"backend": backend, "passed": False, "forward_max_abs_diff": None,
                          "failures": [f"forward on {backend}: not checked ({NOT_FITTING})"]} for backend in backends}
    pair.tf1.reset()
    pair.keras.reset()
    pair.keras.assign(forward.mapping.convert(pair.tf1.variables()))
    return {backend: backend_checks.keras_side_on_backend(
        backend, pair.tf1, pair.keras, x, "tf1_to_keras.verify_run:build_keras_file", keras_spec, seed=seed,
        bars=pair.tolerances) for backend in backends}


def verify(tf1_spec, keras_spec, checkpoint=None, data_path=None, name_map=None, seed=0,
           steps=tolerances.STEP_PARITY_STEPS, batch_size=50, backends=None):
    """Runs the checks on the pair the two FILE.py:FUNCTION specs name; a Verification."""
    from tf1_to_keras import harness  # TensorFlow loads here

    files = model_files.ModelFiles()
    build_tf1, build_keras = files.function(tf1_spec, "--tf1"), files.function(keras_spec, "--keras")
    hooks, missing_hooks = _training_hooks(files, tf1_spec, keras_spec)
    name_map = harness.NameMap.from_file(name_map) if name_map is not None else None
    with harness.Pair(build_tf1, build_keras, name_map=name_map, seed=seed, checkpoint=checkpoint) as pair:
        x, y = _examples(data_path, pair.tf1)
        _check_inputs(pair, x)
        skipped = _run_checks(pair, x, y, hooks, missing_hooks, steps, batch_size, seed)
        entry = {**pair.report(), "skipped": skipped, "examples": int(len(x)), "steps": steps,
                 "tf1": tf1_spec, "keras": keras_spec, "checkpoint": checkpoint,
                 "skipped_from_checkpoint": pair.skipped_from_checkpoint}
        others = [backend for backend in backends or () if backend != "tensorflow"]
        if others:
            entry["backends"] = _forward_on_backends(pair, others, x[:tolerances.FORWARD_IMAGES], keras_spec, seed)
            entry["failures"] = [*entry["failures"], *(failure for backend in entry["backends"].values()
                                                       for failure in backend["failures"])]
            entry["passed"] = entry["passed"] and all(backend["passed"] for backend in entry["backends"].values())
    return Verification(build_keras.__name__, entry)


# --- the table and the reports --------------------------------------------------------------------

def table_row(verification):
    """compare's columns (report_files.COLUMNS) for one verify run; "skipped" where a check did not run."""
    entry = verification.entry
    steps, accuracy = entry.get("train_steps"), entry.get("accuracy")
    params = entry.get("params")
    return (
        verification.name,
        f"{params['tf1']:,} / {params['keras']:,}" if params else "skipped",
        "match" if entry.get("shapes_match") else "DIFFER",
        f"{entry['forward_max_abs_diff']:.2e}" if "forward_max_abs_diff" in entry else "skipped",
        f"{steps['max_abs_loss_diff_first10']:.2e} / {steps['max_rel_loss_diff']:.2%}" if steps else "skipped",
        f"{accuracy['tf1']:.2%} / {accuracy['keras']:.2%} / {accuracy['gap'] * 100:.2f} pt (shared init)"
        if accuracy else "skipped",
        "not measured",
        "PASS" if verification.passed else "FAIL")


def format_table(verifications):
    """The plain-text table, aligned like compare's."""
    return report_files.text_table(report_files.COLUMNS, map(table_row, verifications))


def markdown(verifications, command):
    """report.md: the table, what was skipped and why, and every failure."""
    lines = [f"# TF1 vs Keras 3 parity report (verify)\n\nProduced by `{command}`.\n",
             *report_files.markdown_table(report_files.COLUMNS, map(table_row, verifications))]
    skipped = [f"- {v.name}: {check}: {why}" for v in verifications for check, why in v.entry["skipped"].items()]
    failures = [f"- {v.name}: {failure}" for v in verifications for failure in v.entry["failures"]]
    lines += ["\n## Skipped\n", *skipped] if skipped else []
    lines += ["\n## Failures\n", *failures] if failures else []
    return "\n".join(lines) + "\n"


def write_reports(verifications, directory, command, settings):
    """report.json ({"models": {name: entry}, "settings"}) and report.md; their paths."""
    document = {"models": {v.name: v.entry for v in verifications}, "settings": settings}
    return report_files.write_json_and_markdown(directory, "report", document, markdown(verifications, command))
