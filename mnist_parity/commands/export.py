"""`mnist-parity export SOURCE DIR`: a serving artifact (SavedModel, signature
`serving_default`: `images` in, `logits` out) of a `.keras` model (the library's
`tf1-to-keras export`), or, with `--model KEY`, of the TF1 graph of one of the kit's programs
with a checkpoint's weights.

The work is exporting.export_keras / export_tf1 (stage, verify in a fresh process without
the kit, rename); the printing and exit status are the library's command's
(tf1_to_keras/commands/export.py). A checkpoint from `convert` (Keras -> TF1) or a `.keras`
from `convert` (TF1 -> Keras) exports the same way: docs/SERVING.md.
"""

from mnist_parity.commands.arguments import model_key
from tf1_to_keras import report_files
from tf1_to_keras.commands import export as library_export


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


def run(arguments):
    """Runs `export`; RUN_FAILED when the artifact did not verify (DIR not written), else OK."""
    if arguments.model is not None:
        model_key(arguments.model)
    elif not arguments.source.endswith(".keras"):
        raise ValueError(f"{arguments.source}: not a .keras model file; for a TF1 checkpoint "
                         "give --model KEY")
    report_files.check_output_location("DIR", arguments.destination)
    return library_export.report(lambda: _export(arguments))
