"""`tf1-to-keras verify`: a team's own TF1 model and Keras port, named as FILE.py:FUNCTION, held
to the kit's bars without writing a test; the same table as compare, and report.json/.md.

The work is port_verification.verify (docs/HOLD_YOUR_PORT.md says what runs when); this
module parses, prints and writes. Nothing is written unless every input was good: the
reports are written, atomically, only once the checks have run.
"""

import os

from tf1_to_keras import model_files, report_files
from tf1_to_keras.harness import tolerances
from tf1_to_keras.commands.arguments import check_at_least, command_line


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "verify", help="hold your own TF1 model and its Keras port to the kit's checks")
    parser.add_argument("--tf1", required=True, metavar="FILE.py:FUNCTION",
                        help="builds the TF1 graph in the default graph and returns (inputs, outputs), "
                             "or a dict of its endpoints (inputs, outputs; optionally labels, loss, "
                             "layers, feeds)")
    parser.add_argument("--keras", required=True, metavar="FILE.py:FUNCTION",
                        help="returns the built Keras model")
    parser.add_argument("--checkpoint", metavar="PATH",
                        help="TF1 Saver checkpoint prefix or model_dir restored into the built graph")
    parser.add_argument("--data", metavar="FILE.npz",
                        help="examples: arrays x and y (default: the MNIST test images, shaped to the "
                             "TF1 input)")
    parser.add_argument("--name-map", metavar="FILE", help="name-map JSON (rules, table, transforms)")
    parser.add_argument("--steps", type=int, default=tolerances.STEP_PARITY_STEPS,
                        help="training steps compared (and trained before the accuracy check)")
    parser.add_argument("--batch-size", type=int, default=50, help="examples per training step")
    parser.add_argument("--seed", type=int, default=0, help="graph seed, Keras seed and batch order")
    parser.add_argument("--backend", default="tensorflow", metavar="BACKEND",
                        help="Keras backend (tensorflow, jax, torch; or a comma-separated list) the forward "
                             "check also runs on, in its own process (default: tensorflow, this process)")
    parser.add_argument("--out", default="out/verify", help="directory for report.md and report.json")
    parser.set_defaults(run=run)


def run(arguments):
    """Runs `verify`; RUN_FAILED when a check fails, OK when every check that ran passed."""
    for spec, flag in ((arguments.tf1, "--tf1"), (arguments.keras, "--keras")):
        model_files.parse_spec(spec, flag)
    for flag, path in (("--data", arguments.data), ("--name-map", arguments.name_map)):
        if path is not None and not os.path.isfile(path):
            raise ValueError(f"{flag} {path}: no such file")
    check_at_least("--steps", arguments.steps, 1)
    check_at_least("--batch-size", arguments.batch_size, 1)
    report_files.check_output_location("--out", arguments.out)
    from tf1_to_keras.harness import backend_process
    backends = backend_process.parse_backends(arguments.backend)
    for backend in backends:
        backend_process.require_backend(backend)
    from tf1_to_keras import verify_run as port_verification  # TensorFlow loads after the checks

    verification = port_verification.verify(
        arguments.tf1, arguments.keras, arguments.checkpoint, arguments.data, arguments.name_map,
        arguments.seed, arguments.steps, arguments.batch_size, backends=backends)
    print(port_verification.format_table([verification]))
    for check, why in verification.entry["skipped"].items():
        print(f"skipped {check}: {why}")
    for backend, entry in verification.entry.get("backends", {}).items():
        diff = entry["forward_max_abs_diff"]
        print(f"backend {backend}: {'PASS' if entry['passed'] else 'FAIL'} forward max |diff| "
              + ("not measured" if diff is None else f"{diff:.3g}"))
    for failure in verification.entry["failures"]:
        print(f"FAIL {failure}")
    command = command_line()
    settings = {key: getattr(arguments, key) for key in ("tf1", "keras", "checkpoint", "data", "name_map",
                                                         "steps", "batch_size", "seed", "backend")}
    report_files.prepare_output_directory(arguments.out)
    for path in port_verification.write_reports([verification], arguments.out, command,
                                                {**settings, "command": command}):
        print(f"wrote {path}")
    return verification.exit_status
