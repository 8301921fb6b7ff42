"""What a port says about itself: `port.json` and the printed table and verdict.

`document(...)` assembles port.json: `program`, `command`, `inputs`, `outputs`, `layers`
([{"name", "keras_class", "tf1_ops", "params"}], params counted from the TF1 variables
the layer's weights come from), `params` ({"tf1", "keras"}), `forward_max_abs_diff`,
`forward_layers` ({layer: max |diff|} of each tapped layer), `unrecognised_ops`
([[type, name]]), `passed`, `captured_at`, `weights_origin`, `skipped_variables` (left out of
the weights: optimizer slots, step counters, variables the model never reads, whose reasons
`skipped_variable_reasons` gives), `training_op` and `other_training_ops`, `loss` (LossSpec),
`examples` (where the verification's came from), `optimizer` (the TF1 optimizer, its settings, the Keras call or null, notes),
`training_steps` (the training-parity check's report entry, or null with the reason in
`notes`), `failures` (one line each) and `notes`; the engine adds `timings` (stage_timing)
and, with `port --backends`, `backends` ({backend: {forward_max_abs_diff, passed,
training_steps, ...}}, backend_verification). `format_table` and `verdict` print it.
"""

from tf1_to_keras import report_files
from tf1_to_keras.harness.closeness import json_number
from tf1_to_keras.porting import rendering

OPS_WIDTH = 40  # the table's TF1-ops column; port.json has every op


def optimizer_entry(optimizer):
    """port.json's `optimizer`: None, or the TF1 optimizer and its Keras equivalent as code."""
    if optimizer is None:
        return None
    keras_call = None if optimizer.keras is None else rendering.value_source(optimizer.keras, "optimizer")
    return {"tf1": optimizer.tf1, "settings": {key: json_number(value) if isinstance(value, float) else value
                                               for key, value in optimizer.settings.items()},
            "keras": keras_call, "notes": list(optimizer.notes)}


def loss_entry(spec):
    """port.json's `loss`: the LossSpec as data, or None when no loss was read."""
    if spec is None:
        return None
    return {"keras_class": spec.keras_class, "arguments": dict(spec.arguments),
            "scale": json_number(spec.scale),
            "regularization": [[layer, kind, json_number(factor)] for layer, kind, factor in spec.regularization],
            "description": spec.description, "user_must_write": spec.user_must_write}


def run_entries(captured, recognised, unread, examples):
    """port.json's entries about the training run: `training_op`, `other_training_ops`, `loss`,
    `examples` (where they came from), `skipped_variable_reasons` ({name: reason})."""
    return {"training_op": captured.training_op, "other_training_ops": list(captured.other_training_ops),
            "loss": loss_entry(recognised.loss_spec), "examples": examples,
            "skipped_variable_reasons": {name: reason for name, _, reason in unread}}


def layer_entries(recognised, parameters):
    """port.json's `layers`, in the model's order."""
    return [{"name": layer.name, "keras_class": layer.keras_class, "tf1_ops": list(layer.tf1_ops),
             "params": parameters.get(layer.name, 0)} for layer in recognised.layers]


def document(captured, recognised, command, parameters, verification=None, training=None,
             failures=(), notes=(), skipped=()):
    """The port.json document; `verification` is engine.Verification or None (not reached)."""
    found = verification is not None
    return {
        "program": captured.program, "command": command,
        "inputs": [{"name": spec.name, "tf1_tensor": spec.tf1_tensor, "shape": list(spec.shape),
                    "dtype": spec.dtype} for spec in recognised.inputs],
        "outputs": [recognised.output],
        "layers": layer_entries(recognised, parameters),
        "params": (dict(verification.structure.params) if found
                   else {"tf1": sum(parameters.values()), "keras": None}),
        "forward_max_abs_diff": (json_number(verification.forward.forward_max_abs_diff) if found
                                 else None),
        "forward_layers": ({name: json_number(comparison.max_abs_diff)
                            for name, comparison in verification.forward.layers.items()} if found else {}),
        "unrecognised_ops": [list(op) for op in recognised.unrecognised_ops],
        "passed": found and not failures and (training is None or training.passed or training.unverifiable),
        "captured_at": captured.captured_at, "weights_origin": captured.weights_origin,
        "skipped_variables": [name for name, _ in skipped],
        "optimizer": optimizer_entry(recognised.optimizer),
        "training_steps": training.to_json() if training is not None else None,
        "failures": list(failures) + (list(training.failures) if _judged(training) else []),
        "notes": [*recognised.notes, *notes, *_not_verified(training), *(note for layer in recognised.layers
                                               for note in (f"{layer.name}: {text}" for text in layer.notes))],
    }


def _judged(training):
    """Whether the training-step check's failures are the port's (not TF1's own irreproducibility)."""
    return training is not None and not training.unverifiable


def _not_verified(training):
    """port.json's note when the steps failed only where TF1 does not reproduce itself."""
    if training is None or not training.unverifiable:
        return []
    return [f"training steps: not verified: {training.failures[0].removeprefix('training steps: ')}"]


def abbreviated(ops, width=OPS_WIDTH):
    """`Conv2D, add, Relu`: the ops' own names (scopes dropped), as many as fit in `width`,
    then the count: `GreaterEqual, RealDiv, ... (5 ops)`."""
    names = [op.rpartition("/")[2] for op in ops]
    if len(", ".join(names)) <= width:
        return ", ".join(names) or "-"
    shown, count = [], f"... ({len(names)} ops)"
    for name in names:
        if len(", ".join([*shown, name, count])) > width:
            break
        shown.append(name)
    return ", ".join([*shown, count])


def format_table(port):
    """The printed table of a port.json document: layer, Keras class, TF1 ops, params."""
    rows = [(layer["name"], layer["keras_class"], abbreviated(layer["tf1_ops"]), f"{layer['params']:,}")
            for layer in port["layers"]]
    rows.append(("total", "", "", f"{port['params']['tf1']:,}"))
    return report_files.text_table(("layer", "Keras class", "TF1 ops", "params"), rows, right_aligned=1)


def verdict(port, out):
    """The closing lines: what was not translated, what failed, and PASSED or FAILED."""
    lines = [f"unrecognised op: {op_type} {name}" for op_type, name in port["unrecognised_ops"]]
    lines += [f"FAIL {failure}" for failure in port["failures"]]
    if port["optimizer"]:
        optimizer = port["optimizer"]
        lines.append(f"optimizer: {optimizer['tf1']} -> {optimizer['keras'] or 'no faithful Keras twin'}")
    steps = (port["training_steps"] or {}).get("train_steps")
    if steps:
        bars = port["training_steps"]["tolerances"]
        early = min(steps["steps"], bars["early_steps"])
        lines.append(f"training steps: {steps['steps']} from the same weights, max |loss diff| "
                     f"{steps['max_abs_loss_diff_first10']:.3g} over the first {early}"
                     + (f", max relative {steps['max_rel_loss_diff']:.3g} after" if early < steps["steps"] else ""))
        lines += [f"  tolerance override: {field}: {why}" for field, why in bars["overrides"].items()]
        spread = steps.get("reference_spread") or {}
        lines += [f"  {spread['note']}"] if spread.get("applied") else []  # a failure already says it
    lines += [note for note in port["notes"] if note.startswith("training steps:")]
    diff = port["forward_max_abs_diff"]
    measured = "" if diff is None else f"; forward max |diff| {diff:.3g}"
    if port["passed"]:
        lines.append(f"PASSED: {out}/model.py reproduces the TF1 graph{measured} "
                     f"(weights: {port['weights_origin']})")
    else:
        lines.append(f"FAILED: not ported{measured}; {out}/port.json says why (no model.py written)")
    return "\n".join(lines)


def backend_lines(port):
    """One line per Keras backend port.json's `backends` holds (`port --backends`): its forward
    figure, the training steps' or why they were not checked there, and PASS or FAIL."""
    lines = []
    for backend, entry in (port.get("backends") or {}).items():
        diff = entry.get("forward_max_abs_diff")
        steps = entry.get("training_steps")
        trained = (f"; training steps: max |loss diff| {steps['max_abs_loss_diff_first10']:.3g} over "
                   f"{steps['steps']}" if steps else "")
        lines.append(f"backend {backend}: {'PASS' if entry['passed'] else 'FAIL'} forward max |diff| "
                     + ("not measured" if diff is None else f"{diff:.3g}") + trained)
        lines += [f"  {note}" for note in entry.get("notes", [])]
        lines += [f"  FAIL {failure}" for failure in entry["failures"] if backend != "tensorflow"]
    return lines
