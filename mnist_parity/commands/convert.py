"""`mnist-parity convert`: a TF1 checkpoint to the Keras twin's .keras/.weights.h5, or back.

The work is conversion.convert (map, verify, write); this module parses and prints the
mapping, what was skipped and the verified max logit difference.
"""

import sys

from mnist_core import exit_codes, recipes
from mnist_parity import tolerances
from mnist_parity.commands.arguments import model_key


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "convert", help="a TF1 checkpoint to the Keras twin's .keras/.weights.h5, or back, verified")
    parser.add_argument("source", metavar="SRC",
                        help="TF1 Saver checkpoint prefix or Estimator model_dir; or a .keras/.weights.h5")
    parser.add_argument("destination", metavar="DST",
                        help="a .keras or .weights.h5 file; or a TF1 checkpoint prefix (or existing directory)")
    parser.add_argument("--model", required=True, metavar="KEY",
                        help=f"the program SRC comes from: one of {', '.join(recipes.MODEL_KEYS)}")
    parser.set_defaults(run=run)


def run(arguments):
    """Runs `convert`; returns RUN_FAILED when the max logit difference is over the
    tolerance (DST not written), else OK."""
    model_key(arguments.model)
    from mnist_parity import conversion  # TensorFlow loads after the checks

    try:
        result = conversion.convert(arguments.model, arguments.source, arguments.destination)
    except conversion.VerificationError as error:
        result = error.result
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
    print(f"max logit difference on {result.images:,} test images: {result.max_difference:.3e} "
          f"(tolerance {tolerances.FORWARD_ATOL:g})")
