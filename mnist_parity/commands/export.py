"""`mnist-parity export SOURCE DIR`: a serving artifact (SavedModel, signature
`serving_default`: `images` in, `logits` out) of a `.keras` model, or, with `--model KEY`,
of the TF1 graph of one of the kit's programs with a checkpoint's weights.

The work is exporting.export_keras / export_tf1 (stage, verify in a fresh process without
the kit, rename); this module parses and prints the signature and the verified difference.
A checkpoint from `convert` (Keras -> TF1) or a `.keras` from `convert` (TF1 -> Keras)
exports the same way: docs/SERVING.md.
"""

import sys

from mnist_core import exit_codes
from tf1_to_keras import report_files
from mnist_parity.commands.arguments import model_key


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "export", help="a .keras model (or a TF1 checkpoint, with --model) as a verified SavedModel")
    parser.add_argument("source", metavar="SOURCE",
                        help="a .keras model file; or, with --model, a TF1 Saver checkpoint prefix "
                             "or Estimator model_dir")
    parser.add_argument("destination", metavar="DIR", help="a new (or empty) directory for the SavedModel")
    parser.add_argument("--model", metavar="KEY",
                        help="SOURCE is a TF1 checkpoint of this kit program (its graph is exported)")
    parser.set_defaults(run=run)


def _export(arguments):
    """The ExportResult; ExportVerificationError when the artifact did not verify."""
    from mnist_parity import exporting  # TensorFlow loads after the checks

    if arguments.model is not None:
        return exporting.export_tf1(arguments.model, arguments.source, arguments.destination)
    return exporting.export_keras(arguments.source, arguments.destination)


def print_result(result):
    """The signature, what the fresh process loaded, and the verified difference."""
    from mnist_parity import exporting

    print(f"signature {exporting.SIGNATURE_NAME!r}: {exporting.INPUT_NAME!r} float32 "
          f"(None, {', '.join(map(str, result.input_shape))}) -> {exporting.OUTPUT_NAME!r} float32 "
          "(None, 10)")
    if exporting.ENDPOINT_NAME in result.calls:
        print(f"endpoint {exporting.ENDPOINT_NAME!r} (for a Python server): images positional -> "
              "logits tensor")
    print(f"loaded in a fresh process without the kit (kit modules loaded: "
          f"{', '.join(result.kit_modules) or 'none'}); calls verified: "
          f"{', '.join(result.calls) or 'none'}; max difference from the {result.side} "
          f"model on {result.images:,} test images: {result.max_difference:.3e} "
          f"(tolerance {exporting.VERIFY_ATOL:g})")


def run(arguments):
    """Runs `export`; RUN_FAILED when the artifact did not verify (DIR not written), else OK."""
    if arguments.model is not None:
        model_key(arguments.model)
    elif not arguments.source.endswith(".keras"):
        raise ValueError(f"{arguments.source}: not a .keras model file; for a TF1 checkpoint "
                         "give --model KEY")
    report_files.check_output_location("DIR", arguments.destination)
    from mnist_parity import exporting

    try:
        result = _export(arguments)
    except exporting.ExportVerificationError as error:
        print_result(error.result)
        print(f"mnist-parity: error: export did not verify: {error}", file=sys.stderr)
        return exit_codes.RUN_FAILED
    print_result(result)
    print(f"wrote {result.destination}")
    return exit_codes.OK
