"""`mnist-parity convert`: a TF1 checkpoint to the Keras twin's .keras/.weights.h5, or back;
for one of the kit's models (`--model KEY`) or any model (`--tf1 FILE.py:FUNCTION --keras
FILE.py:FUNCTION [--name-map FILE] [--data FILE.npz]`).

The work is conversion.convert or conversion.convert_model (map, verify, write); this
module parses and prints the mapping, what was skipped and the verified max difference.
"""

import os
import sys

from mnist_core import exit_codes, recipes
from tf1_to_keras import model_files, report_files
from tf1_to_keras.harness import tolerances
from mnist_parity.commands.arguments import model_key

GENERIC_ONLY = ("name_map", "data")


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "convert", help="a TF1 checkpoint to the Keras twin's .keras/.weights.h5, or back, verified")
    parser.add_argument("source", metavar="SRC",
                        help="TF1 Saver checkpoint prefix or Estimator model_dir; or a .keras/.weights.h5")
    parser.add_argument("destination", metavar="DST",
                        help="a .keras or .weights.h5 file; or a TF1 checkpoint prefix (or existing directory)")
    parser.add_argument("--model", metavar="KEY",
                        help=f"the program SRC comes from: one of {', '.join(recipes.MODEL_KEYS)}")
    parser.add_argument("--tf1", metavar="FILE.py:FUNCTION",
                        help="instead of --model: the builder of your TF1 graph (with --keras)")
    parser.add_argument("--keras", metavar="FILE.py:FUNCTION",
                        help="instead of --model: the function returning your Keras model (with --tf1)")
    parser.add_argument("--name-map", metavar="FILE", help="with --tf1/--keras: name-map JSON")
    parser.add_argument("--data", metavar="FILE.npz",
                        help="with --tf1/--keras: examples (array x) the conversion is verified on "
                             "(default: the MNIST test images, for a model that takes them)")
    parser.add_argument("--seed", type=int, default=0, help="with --tf1/--keras: graph and Keras seed")
    parser.set_defaults(run=run)


def check_model_flags(arguments):
    """ValueError unless exactly one of --model and the --tf1/--keras pair is given, and the
    generic flags only with the pair; the specs and files checked."""
    generic = arguments.tf1 is not None or arguments.keras is not None
    if arguments.model is not None and generic:
        raise ValueError("give either --model KEY or --tf1 FILE.py:FUNCTION --keras FILE.py:FUNCTION, not both")
    if arguments.model is not None:
        given = [f"--{name.replace('_', '-')}" for name in GENERIC_ONLY if getattr(arguments, name)]
        if given:
            raise ValueError(f"{', '.join(given)} only go with --tf1/--keras; --model {arguments.model} "
                             "maps and verifies by the kit's own twin")
        return model_key(arguments.model)
    if arguments.tf1 is None or arguments.keras is None:
        raise ValueError("give --model KEY, or both --tf1 FILE.py:FUNCTION and --keras FILE.py:FUNCTION")
    for spec, flag in ((arguments.tf1, "--tf1"), (arguments.keras, "--keras")):
        model_files.parse_spec(spec, flag)
    for flag, path in (("--name-map", arguments.name_map), ("--data", arguments.data)):
        if path is not None and not os.path.isfile(path):
            raise ValueError(f"{flag} {path}: no such file")
    return None


def _convert(arguments):
    """The ConversionResult (of a failed verification too)."""
    from mnist_parity import conversion  # TensorFlow loads after the checks
    from tf1_to_keras import harness

    try:
        if arguments.model is not None:
            return conversion.convert(arguments.model, arguments.source, arguments.destination)
        files = model_files.ModelFiles()
        models = conversion.Models(
            files.function(arguments.tf1, "--tf1"), files.function(arguments.keras, "--keras"),
            harness.NameMap.from_file(arguments.name_map) if arguments.name_map else None,
            arguments.data, arguments.seed)
        return conversion.convert_model(models, arguments.source, arguments.destination)
    except conversion.VerificationError as error:
        return error.result


def run(arguments):
    """Runs `convert`; returns RUN_FAILED when the max logit difference is over the
    tolerance (DST not written), else OK."""
    check_model_flags(arguments)
    report_files.check_output_location("DST", arguments.destination,
                                       is_file=not os.path.isdir(arguments.destination))
    result = _convert(arguments)
    print_result(result)
    if not result.passed:
        print(f"mnist-parity: error: verification failed; {result.destination} was not written",
              file=sys.stderr)
        return exit_codes.RUN_FAILED
    print(f"wrote {result.destination}")
    return exit_codes.OK


def print_result(result):
    """The variables mapped, what was skipped, and the verified max logit difference."""
    print(f"mapped {len(result.mapped)} variables ({result.source} -> {result.destination}):")
    for tf1_name, keras_name, shape in result.mapped:
        print(f"  {tf1_name} <-> {keras_name} {shape}")
    print("skipped (optimizer slots, global_step and other training state): "
          + (", ".join(result.skipped) if result.skipped else "nothing"))
    print(f"max logit difference on {result.images:,} {result.inputs}: {result.max_difference:.3e} "
          f"(tolerance {tolerances.FORWARD_ATOL:g})")
