"""docs/BACKENDS.md's table of ports on JAX, from the port.json files a run of
parity_tests/library/porting/test_ports_on_jax.py left under its --basetemp folders:

    pytest -m slow -n 0 parity_tests/library/porting/test_ports_on_jax.py --basetemp /tmp/jax-ports
    python scripts/backends_port_table.py /tmp/jax-ports [more folders...]

One row per port.json (its program, and its training op when the program has several), the
newest when a program was ported more than once: forward max |diff| on TensorFlow and JAX,
the training steps' max |loss diff| over the first 10 on each (or why not checked), the
whole port's seconds and the JAX process's.
"""

import json
import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _name(document):
    program = pathlib.Path(document["program"])
    folder = {"corpus": "corpus/", "models": "kit/", "compat": "compat/"}  # as the test's case ids
    if program.name == "small.py":
        return "inline/small"
    parent = program.parent.name if program.parent.name != "programs" else program.parent.parent.name
    name = folder.get(parent, "") + program.name.removesuffix(".py")
    if document.get("other_training_ops"):
        name += f" (train op {document['training_op']})"
    return name


def _number(value):
    return "-" if value is None else ("0" if value == 0 else f"{value:.2e}")


def _steps(entry):
    steps = entry.get("training_steps")
    if steps is None:
        notes = entry.get("notes") or ["not checked"]
        return notes[0].split(": ", 1)[-1]
    return _number(steps["max_abs_loss_diff_first10"]) + ("" if steps["passed"] else " FAIL")


def row(document):
    backends = document.get("backends", {})
    tensorflow, jax = backends.get("tensorflow", {}), backends.get("jax", {})
    verdict = "PASS" if jax.get("passed") else "FAIL: " + "; ".join(jax.get("failures", []))[:200]
    if tensorflow.get("training_steps") is None:  # port.json's notes say why, on every backend
        why = next((note for note in document.get("notes", []) if note.startswith("training steps")), "")
        steps = why.replace("training steps: ", "") or "not checked"
    else:
        steps = f"{_steps(tensorflow)} / {_steps(jax)}"
    seconds = f"{document['timings']['total_seconds']:.0f} ({jax.get('seconds') or 0:.0f})"
    return (f"| {_name(document)} | {_number(tensorflow.get('forward_max_abs_diff'))} / "
            f"{_number(jax.get('forward_max_abs_diff'))} | {steps} | {seconds} | {verdict} |")


def main(folders):
    found = {}
    for folder in folders:
        for path in sorted(pathlib.Path(folder).glob("*/out/port.json"), key=os.path.getmtime):
            document = json.loads(path.read_text())
            if "backends" in document:
                found[_name(document)] = document
    print("| program | forward max \\|diff\\| TensorFlow / JAX | steps max \\|loss diff\\| (first 10) "
          "TensorFlow / JAX | seconds: port (JAX process) | JAX |")
    print("|---|---|---|---|---|")
    for name in sorted(found):
        print(row(found[name]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
