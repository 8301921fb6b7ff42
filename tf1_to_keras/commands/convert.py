"""`tf1-to-keras convert --tf1 FILE.py:FUNCTION --keras FILE.py:FUNCTION [--name-map FILE]
[--data FILE.npz] SRC DST`: a team's TF1 checkpoint to its Keras port's .keras/.weights.h5,
or back, verified (tf1_to_keras.conversion.convert_model); this module parses and prints the
mapping, what was skipped and the verified difference. The MNIST kit's `mnist-parity convert`
adds `--model KEY` on these pieces.
"""

import os
import sys

from mnist_core import exit_codes
from tf1_to_keras import model_files, report_files
from tf1_to_keras.commands.arguments import PROGRAM
from tf1_to_keras.harness import closeness


def add_arguments(parser, *, pair_required=True):
    """SRC, DST and the flags of a conversion of any model (the kit adds --model beside them)."""
    parser.add_argument("source", metavar="SRC",
                        help="TF1 Saver checkpoint prefix or Estimator model_dir; or a .keras/.weights.h5")
    parser.add_argument("destination", metavar="DST",
                        help="a .keras or .weights.h5 file; or a TF1 checkpoint prefix (or existing directory)")
    parser.add_argument("--tf1", metavar="FILE.py:FUNCTION", required=pair_required,
                        help="the builder of your TF1 graph (with --keras)")
    parser.add_argument("--keras", metavar="FILE.py:FUNCTION", required=pair_required,
                        help="the function returning your Keras model (with --tf1)")
    parser.add_argument("--name-map", metavar="FILE", help="with --tf1/--keras: name-map JSON")
    parser.add_argument("--data", metavar="FILE.npz",
                        help="with --tf1/--keras: examples (array x) the conversion is verified on "
                             "(default: the MNIST test images, for a model that takes them)")
    parser.add_argument("--seed", type=int, default=0, help="with --tf1/--keras: graph and Keras seed")


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "convert", help="your TF1 checkpoint to your Keras port's .keras/.weights.h5, or back, verified")
    add_arguments(parser)
    parser.set_defaults(run=run)


def check_files(arguments):
    """ValueError unless the --tf1/--keras specs parse and the given files exist."""
    for spec, flag in ((arguments.tf1, "--tf1"), (arguments.keras, "--keras")):
        model_files.parse_spec(spec, flag)
    for flag, path in (("--name-map", arguments.name_map), ("--data", arguments.data)):
        if path is not None and not os.path.isfile(path):
            raise ValueError(f"{flag} {path}: no such file")


def convert_files(arguments):
    """The ConversionResult of the --tf1/--keras conversion (of a failed verification too)."""
    from tf1_to_keras import conversion, harness  # TensorFlow loads after the checks

    files = model_files.ModelFiles()
    models = conversion.Models(
        files.function(arguments.tf1, "--tf1"), files.function(arguments.keras, "--keras"),
        harness.NameMap.from_file(arguments.name_map) if arguments.name_map else None,
        arguments.data, arguments.seed)
    try:
        return conversion.convert_model(models, arguments.source, arguments.destination)
    except conversion.VerificationError as error:
        return error.result


def finish(result):
    """Prints the result; RUN_FAILED when it did not verify (DST not written), else OK."""
    print_result(result)
    if not result.passed:
        print(f"{PROGRAM['name']}: error: verification failed; {result.destination} was not written",
              file=sys.stderr)
        return exit_codes.RUN_FAILED
    print(f"wrote {result.destination}")
    return exit_codes.OK


def check_destination(arguments):
    """OSError naming DST when it cannot be written (a file, or a checkpoint directory)."""
    report_files.check_output_location("DST", arguments.destination,
                                       is_file=not os.path.isdir(arguments.destination))


def run(arguments):
    """Runs `convert`; RUN_FAILED when the read-back check fails, else OK."""
    check_files(arguments)
    check_destination(arguments)
    return finish(convert_files(arguments))


def print_result(result):
    """The variables mapped, what was skipped, and the verified max difference."""
    print(f"mapped {len(result.mapped)} variables ({result.source} -> {result.destination}):")
    for tf1_name, keras_name, shape in result.mapped:
        print(f"  {tf1_name} <-> {keras_name} {shape}")
    print("skipped (optimizer slots, global_step and other training state): "
          + (", ".join(result.skipped) if result.skipped else "nothing"))
    print(f"max logit difference on {result.images:,} {result.inputs}: {result.max_difference:.3e} "
          f"(tolerance {closeness.forward_bar_text()})")
