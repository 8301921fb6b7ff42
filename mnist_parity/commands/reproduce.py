"""`mnist-parity reproduce`: each model's full original recipe on both sides.

The work is reproduction.reproduce_models; this module parses, prints and writes
results.json/.md after every model (an interrupted run keeps the models it finished).
"""

import sys

from tf1_to_keras import report_files
from mnist_parity.commands.arguments import add_models_and_seed, check_at_least, command_line, model_keys


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "reproduce", help="train each model's full original recipe on both sides")
    add_models_and_seed(parser)
    parser.add_argument("--steps", type=int, default=None,
                        help="override every recipe's step count (a quick trial, not a reproduction)")
    parser.add_argument("--out", default="out/reproduce", help="directory for results.json and results.md")
    parser.set_defaults(run=run)


def run(arguments):
    """Runs `reproduce`; returns RUN_FAILED when a model misses a target, else OK."""
    keys = model_keys(arguments)
    check_at_least("--steps", arguments.steps, 2, "throughput leaves out step 1")
    report_files.check_output_location("--out", arguments.out)
    from mnist_parity import reproduction  # TensorFlow loads after the checks

    report_files.prepare_output_directory(arguments.out)
    command = command_line()
    written = []

    def write(document):  # after every model: an interrupted run keeps the models it finished
        written[:] = report_files.write_json_and_markdown(
            arguments.out, "results", document, reproduction.markdown(document["models"], command))

    result = reproduction.reproduce_models(
        keys, arguments.seed, arguments.steps, command, progress=reproduction.progress_with_eta,
        log=lambda line: print(line, file=sys.stderr), after_each_model=write)
    print(reproduction.markdown(result.document["models"], command))
    for path in written:
        print(f"wrote {path}")
    return result.exit_status
