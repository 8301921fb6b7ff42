"""`tf1-to-keras export MODEL.keras DIR [--data FILE.npz]`: a serving artifact (SavedModel,
signature `serving_default`: `images` in, `logits` out) of a `.keras` model, verified in a
fresh process without the kit (tf1_to_keras.exporting.export_keras); this module parses and
prints the signature and the verified difference. The MNIST kit's `mnist-parity export` adds
`--model KEY` (a TF1 checkpoint of its programs) on these pieces.
"""

import sys

from mnist_core import exit_codes
from tf1_to_keras import report_files
from tf1_to_keras.commands.arguments import PROGRAM


def add_parser(subparsers):
    parser = subparsers.add_parser("export", help="a .keras model as a verified SavedModel")
    parser.add_argument("source", metavar="MODEL.keras", help="a .keras model file")
    parser.add_argument("destination", metavar="DIR", help="a new (or empty) directory for the SavedModel")
    parser.add_argument("--data", metavar="FILE.npz",
                        help="examples (array x) the artifact is verified on (default: the MNIST test images)")
    parser.set_defaults(run=run)


def check_keras_source(source):
    """ValueError unless `source` names a .keras file."""
    if not source.endswith(".keras"):
        raise ValueError(f"{source}: not a .keras model file")


def print_result(result):
    """The signature, what the fresh process loaded, and the verified difference."""
    from tf1_to_keras import exporting
    from tf1_to_keras.harness import closeness

    print(f"signature {exporting.SIGNATURE_NAME!r}: {exporting.INPUT_NAME!r} float32 "
          f"(None, {', '.join(map(str, result.input_shape))}) -> {exporting.OUTPUT_NAME!r} float32")
    if exporting.ENDPOINT_NAME in result.calls:
        print(f"endpoint {exporting.ENDPOINT_NAME!r} (for a Python server): images positional -> "
              "logits tensor")
    print(f"loaded in a fresh process without the kit (kit modules loaded: "
          f"{', '.join(result.kit_modules) or 'none'}); calls verified: "
          f"{', '.join(result.calls) or 'none'}; max difference from the {result.side} "
          f"model on {result.images:,} examples: {result.max_difference:.3e} "
          f"(tolerance {closeness.forward_bar_text()})")


def report(export):
    """Runs `export()` (an ExportResult); prints it; RUN_FAILED when it did not verify."""
    from tf1_to_keras import exporting  # TensorFlow loads after the checks

    try:
        result = export()
    except exporting.ExportVerificationError as error:
        print_result(error.result)
        print(f"{PROGRAM['name']}: error: export did not verify: {error}", file=sys.stderr)
        return exit_codes.RUN_FAILED
    print_result(result)
    print(f"wrote {result.destination}")
    return exit_codes.OK


def run(arguments):
    """Runs `export`; RUN_FAILED when the artifact did not verify (DIR not written), else OK."""
    check_keras_source(arguments.source)
    report_files.check_output_location("DIR", arguments.destination)

    def export():
        from tf1_to_keras import exporting
        return exporting.export_keras(arguments.source, arguments.destination, data=arguments.data)

    return report(export)
