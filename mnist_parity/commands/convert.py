"""`mnist-parity convert`: a TF1 checkpoint to the Keras twin's .keras/.weights.h5, or back;
for one of the kit's models (`--model KEY`) or any model (`--tf1 FILE.py:FUNCTION --keras
FILE.py:FUNCTION [--name-map FILE] [--data FILE.npz]`, the library's `tf1-to-keras convert`).

The work is conversion.convert (by key) or the library's convert_model (map, verify, write);
the flags, the printing and the exit status are the library's command's
(tf1_to_keras/commands/convert.py), with --model added.
"""

from mnist_core import recipes
from mnist_parity.commands.arguments import model_key
from tf1_to_keras.commands import convert as library_convert

GENERIC_ONLY = ("name_map", "data")


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "convert", help="a TF1 checkpoint to the Keras twin's .keras/.weights.h5, or back, verified")
    library_convert.add_arguments(parser, pair_required=False)
    parser.add_argument("--model", metavar="KEY",
                        help=f"the program SRC comes from: one of {', '.join(recipes.MODEL_KEYS)} "
                             "(instead of --tf1/--keras)")
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
    library_convert.check_files(arguments)
    return None


def _convert(arguments):
    """The ConversionResult (of a failed verification too)."""
    if arguments.model is None:
        return library_convert.convert_files(arguments)
    from mnist_parity import conversion  # TensorFlow loads after the checks

    try:
        return conversion.convert(arguments.model, arguments.source, arguments.destination)
    except conversion.VerificationError as error:
        return error.result


def run(arguments):
    """Runs `convert`; returns RUN_FAILED when the read-back check fails (DST not written),
    else OK."""
    check_model_flags(arguments)
    library_convert.check_destination(arguments)
    return library_convert.finish(_convert(arguments))
