"""The `mnist-parity` command. Entry points stay thin: parse, call one function."""

import argparse
import shlex
import sys

from mnist_core import errors, recipes
from mnist_parity import registry


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
    from mnist_parity import model_comparison, figures, report  # TensorFlow loads only once arguments are good

    report.prepare_output_directory(arguments.out)
    results = []
    for key in keys:
        recipe = recipes.get_recipe(key)
        steps = recipe.steps if arguments.full else arguments.steps or recipe.compare_steps
        print(f"[{key}] comparing TF1 and Keras ({steps} training steps per side)", file=sys.stderr)
        results.append(model_comparison.compare_model(key, steps, arguments.seed, model_comparison.stderr_progress,
                                             arguments.init))
    print(report.format_table(results))
    command = "mnist-parity " + shlex.join(sys.argv[1:])
    settings = {"seed": arguments.seed, "command": command}
    paths = report.write_reports(results, arguments.out, command, settings)
    for path in (*paths, *figures.write_figures(results, arguments.out)):
        print(f"wrote {path}")
    return 0 if all(result.passed for result in results) else 1


def add_models_and_seed_arguments(parser):
    """--models KEY ... (default: all five) and --seed, as reproduce and benchmark take them."""
    parser.add_argument("--models", nargs="+", default=None, metavar="KEY",
                        help=f"model keys (default: all of {', '.join(recipes.MODEL_KEYS)})")
    parser.add_argument("--seed", type=int, default=0, help="graph seeds, Keras seed and batch order")


def add_reproduce_parser(subparsers):
    parser = subparsers.add_parser(
        "reproduce", help="train each model's full original recipe on both sides")
    add_models_and_seed_arguments(parser)
    parser.add_argument("--steps", type=int, default=None,
                        help="override every recipe's step count (a quick trial, not a reproduction)")
    parser.add_argument("--out", default="out/reproduce", help="directory for results.json and results.md")
    parser.set_defaults(run=run_reproduce)


def run_reproduce(arguments):
    """Runs `reproduce`; returns 1 when a model misses a target, else 0."""
    keys = recipes.MODEL_KEYS if arguments.models is None else _model_keys(" ".join(arguments.models))
    if arguments.steps is not None and arguments.steps < 2:
        raise ValueError(f"--steps {arguments.steps}; expected at least 2 (throughput leaves out step 1)")
    from mnist_parity import environment, report, reproduce  # TensorFlow loads after the checks

    report.prepare_output_directory(arguments.out)
    command = "mnist-parity " + shlex.join(sys.argv[1:])
    document = {"command": command, "seed": arguments.seed, "environment": environment.describe(),
                "complete": False, "models": {}}
    for index, key in enumerate(keys, start=1):
        print(f"[{key}] model {index} of {len(keys)}: full recipe on TF1, then Keras", file=sys.stderr)
        side_results = reproduce.reproduce_model(key, arguments.seed, arguments.steps,
                                                 reproduce.progress_with_eta)
        document["models"][key] = reproduce.model_entry(key, side_results)
        document["complete"] = index == len(keys)
        # After every model: an interrupted run keeps the models it finished.
        paths = report.write_json_and_markdown(
            arguments.out, "results", document, reproduce.markdown(document["models"], command))
    print(reproduce.markdown(document["models"], command))
    for path in paths:
        print(f"wrote {path}")
    return 0 if all(entry["targets_met"] for entry in document["models"].values()) else 1


def add_benchmark_parser(subparsers):
    parser = subparsers.add_parser(
        "benchmark", help="training/inference throughput and memory of both sides, with ratios")
    add_models_and_seed_arguments(parser)
    parser.add_argument("--repeats", type=int, default=2, help="timed spans per side and round")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds, alternating which side runs first (medians over all spans)")
    parser.add_argument("--pairs", type=int, default=6,
                        help="pairs of spans trained back to back by both sides in one process "
                             "(the training goal is judged on their median ratio)")
    parser.add_argument("--steps", type=int, default=None,
                        help="timed steps per repeat (default: per model, a few seconds each)")
    parser.add_argument("--steps-per-execution", type=int, default=None,
                        help="Keras side's steps per compiled call (default: the kit's, 100), "
                             "to measure what it buys")
    parser.add_argument("--keras-optimizer", choices=("fused", "keras"), default="fused",
                        help="Keras side's optimizers: the kit's (default; modern_keras/"
                             "optimizers.py) or Keras' own, to measure what the kit's buy")
    parser.add_argument("--out", default="out/benchmark", help="directory for benchmark.json and benchmark.md")
    parser.set_defaults(run=run_benchmark)


def run_benchmark(arguments):
    """Runs `benchmark`; prints the table and writes benchmark.json/.md; returns 0."""
    keys = recipes.MODEL_KEYS if arguments.models is None else _model_keys(" ".join(arguments.models))
    for name in ("repeats", "rounds", "pairs", "steps", "steps_per_execution"):
        value = getattr(arguments, name)
        if value is not None and value < 1:
            raise ValueError(f"--{name.replace('_', '-')} {value}; expected at least 1")
    from mnist_parity import benchmark, report  # TensorFlow loads after the checks

    report.prepare_output_directory(arguments.out)
    command = "mnist-parity " + shlex.join(sys.argv[1:])
    document = benchmark.run_benchmark(
        keys, arguments.repeats, arguments.seed, arguments.steps, arguments.steps_per_execution,
        fused_optimizer=arguments.keras_optimizer == "fused", rounds=arguments.rounds,
        pairs=arguments.pairs, progress=lambda line: print(line, file=sys.stderr, flush=True))
    document["command"] = command
    text = benchmark.markdown(document, command)
    print(text)
    for path in report.write_json_and_markdown(arguments.out, "benchmark", document, text):
        print(f"wrote {path}")
    return 0


def add_convert_parser(subparsers):
    parser = subparsers.add_parser(
        "convert", help="a TF1 checkpoint to the Keras twin's .keras/.weights.h5, or back, verified")
    parser.add_argument("source", metavar="SRC",
                        help="TF1 Saver checkpoint prefix or Estimator model_dir; or a .keras/.weights.h5")
    parser.add_argument("destination", metavar="DST",
                        help="a .keras or .weights.h5 file; or a TF1 checkpoint prefix (or existing directory)")
    parser.add_argument("--model", required=True, metavar="KEY",
                        help=f"the program SRC comes from: one of {', '.join(recipes.MODEL_KEYS)}")
    parser.set_defaults(run=run_convert)


def run_convert(arguments):
    """Runs `convert`: prints the mapping, what was skipped and the verified max logit
    difference; returns 1 when that difference is over the tolerance (DST not written)."""
    recipes.get_recipe(arguments.model)  # ValueError naming the known keys
    from mnist_parity import convert, tolerances  # TensorFlow loads after the checks

    try:
        result = convert.convert(arguments.model, arguments.source, arguments.destination)
    except convert.VerificationError as error:
        result = error.result
    print(f"mapped {len(result.mapped)} variables ({result.source} -> {result.destination}):")
    for tf1_name, keras_name, shape in result.mapped:
        print(f"  {tf1_name} <-> {keras_name} {shape}")
    print("skipped (optimizer slots, global_step and other training state): "
          + (", ".join(result.skipped) if result.skipped else "nothing"))
    print(f"max logit difference on {result.images:,} test images: {result.max_difference:.3e} "
          f"(tolerance {tolerances.FORWARD_ATOL:g})")
    if not result.passed:
        print(f"mnist-parity: error: verification failed; {result.destination} was not written",
              file=sys.stderr)
        return 1
    print(f"wrote {result.destination}")
    return 0


def build_parser():
    parser = argparse.ArgumentParser(
        prog="mnist-parity", description="TF 1.x MNIST programs side by side with their Keras 3 ports.")
    subparsers = parser.add_subparsers(dest="command", required=True)
    add_compare_parser(subparsers)
    add_reproduce_parser(subparsers)
    add_benchmark_parser(subparsers)
    add_convert_parser(subparsers)
    return parser


def main(argv=None):
    """Console entry point."""
    parser = build_parser()
    arguments = parser.parse_args(argv)

    try:
        return arguments.run(arguments)
    except errors.TrainingDivergedError as error:
        # A run that went wrong, like a failed check (1), not a bad argument (2).
        print(f"mnist-parity: error: {error}", file=sys.stderr)
        return 1
    except (ValueError, OSError) as error:
        print(f"mnist-parity: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
