"""`mnist-parity compare`: the four layers of proof for each model, as a table and compare_report.

The work is model_comparison.compare_models; this module parses, prints and writes.
"""

import sys

from tf1_to_keras import report_files
from mnist_parity.commands.arguments import (add_keras_backend, add_models_and_seed, check_at_least,
                                             check_keras_backend, command_line, model_keys)


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "compare", help="run each model on both sides and print the parity table")
    add_models_and_seed(parser)
    budget = parser.add_mutually_exclusive_group()
    budget.add_argument("--steps", type=int, default=None,
                        help="training steps per side for the accuracy check (default: each recipe's short budget)")
    budget.add_argument("--full", action="store_true", help="train each model's full original recipe")
    parser.add_argument("--init", choices=("own", "shared"), default=None,
                        help="accuracy runs: each side from its own random init, or both from the "
                             "TF1 init (default: each recipe's choice)")
    add_keras_backend(parser)
    parser.add_argument("--out", default="out/compare", help="directory for report.md and report.json")
    parser.add_argument("--tensorboard", metavar="DIR",
                        help="also write both sides' loss curves as TensorBoard runs DIR/tf1 and "
                             "DIR/keras (`tensorboard --logdir DIR` overlays them)")
    parser.set_defaults(run=run)


def run(arguments):
    """Runs `compare`; returns the exit status (RUN_FAILED when any check fails)."""
    keys = model_keys(arguments)
    check_at_least("--steps", arguments.steps, 2, "throughput leaves out step 1")
    check_keras_backend(arguments.keras_backend)
    report_files.check_output_location("--out", arguments.out)
    if arguments.tensorboard is not None:
        report_files.check_output_location("--tensorboard", arguments.tensorboard)
    from mnist_parity import figures, model_comparison, compare_report  # TensorFlow loads once arguments are good

    report_files.prepare_output_directory(arguments.out)
    comparison = model_comparison.compare_models(
        keys, arguments.steps, arguments.seed, arguments.init, arguments.full,
        progress=model_comparison.stderr_progress, log=lambda line: print(line, file=sys.stderr),
        keras_backend=arguments.keras_backend)
    print(compare_report.format_table(comparison.results))
    command = command_line()
    settings = {"seed": arguments.seed, "command": command, "keras_backend": arguments.keras_backend}
    paths = compare_report.write_reports(comparison.results, arguments.out, command, settings)
    for path in (*paths, *figures.write_figures(comparison.results, arguments.out)):
        print(f"wrote {path}")
    if arguments.tensorboard is not None:
        from mnist_parity import tensorboard_curves

        for path in tensorboard_curves.write_curves(comparison.results, arguments.tensorboard):
            print(f"wrote {path} (TensorBoard run)")
    return comparison.exit_status
