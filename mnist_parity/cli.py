"""The `mnist-parity` command. Entry points stay thin: parse, call one function."""

import argparse
import shlex
import sys

from mnist_parity import recipes, registry


def _model_keys(text):
    keys = [key for key in text.replace(",", " ").split() if key]
    for key in keys:
        recipes.get_recipe(key)  # ValueError naming the known keys
    return keys


def add_compare_parser(subparsers):
    parser = subparsers.add_parser(
        "compare", help="run each model on both sides and print the parity table")
    parser.add_argument("--models", nargs="+", default=None, metavar="KEY",
                        help=f"model keys (default: all available of {', '.join(recipes.MODEL_KEYS)})")
    budget = parser.add_mutually_exclusive_group()
    budget.add_argument("--steps", type=int, default=None,
                        help="training steps per side for the accuracy check (default: each recipe's short budget)")
    budget.add_argument("--full", action="store_true", help="train each model's full original recipe")
    parser.add_argument("--seed", type=int, default=0, help="graph seeds, Keras seed and batch order")
    parser.add_argument("--init", choices=("own", "shared"), default=None,
                        help="accuracy runs: each side from its own random init, or both from the "
                             "TF1 init (default: each recipe's choice)")
    parser.add_argument("--out", default="out/compare", help="directory for report.md and report.json")
    parser.set_defaults(run=run_compare)


def run_compare(arguments):
    """Runs `compare`; returns the exit status (1 when any check fails)."""
    keys = registry.available_models() if arguments.models is None else _model_keys(" ".join(arguments.models))
    if arguments.steps is not None and arguments.steps < 2:
        raise ValueError(f"--steps {arguments.steps}; expected at least 2 (throughput leaves out step 1)")
    from mnist_parity import compare, figures, report  # TensorFlow loads only once arguments are good

    report.prepare_output_directory(arguments.out)
    results = []
    for key in keys:
        recipe = recipes.get_recipe(key)
        steps = recipe.steps if arguments.full else arguments.steps or recipe.compare_steps
        print(f"[{key}] comparing TF1 and Keras ({steps} training steps per side)", file=sys.stderr)
        results.append(compare.compare_model(key, steps, arguments.seed, compare.stderr_progress,
                                             arguments.init))
    print(report.format_table(results))
    command = "mnist-parity " + shlex.join(sys.argv[1:])
    settings = {"seed": arguments.seed, "command": command}
    paths = report.write_reports(results, arguments.out, command, settings)
    for path in (*paths, *figures.write_figures(results, arguments.out)):
        print(f"wrote {path}")
    return 0 if all(result.passed for result in results) else 1


def build_parser():
    parser = argparse.ArgumentParser(
        prog="mnist-parity", description="TF 1.x MNIST programs side by side with their Keras 3 ports.")
    subparsers = parser.add_subparsers(dest="command", required=True)
    add_compare_parser(subparsers)
    return parser


def main(argv=None):
    """Console entry point."""
    parser = build_parser()
    arguments = parser.parse_args(argv)
    try:
        return arguments.run(arguments)
    except (ValueError, OSError) as error:
        print(f"mnist-parity: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
