"""The `mnist-parity` command: the parser built from the subcommand modules
(mnist_parity/commands/), and the one place where exceptions become exit statuses."""

import argparse
import sys

from mnist_core import exit_codes
from mnist_parity.commands import benchmark, compare, convert, export, port, reproduce, verify

COMMANDS = (compare, reproduce, benchmark, convert, export, verify, port)  # in `mnist-parity --help` order


def build_parser():
    parser = argparse.ArgumentParser(
        prog="mnist-parity", description="TF 1.x MNIST programs side by side with their Keras 3 ports.")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add_parser(subparsers)
    return parser


def main(argv=None):
    """Console entry point: runs one subcommand; returns its exit status (exit_codes).

    A bad flag is argparse's exit 2 (BAD_INPUT). A diverged training is a run that went
    wrong (RUN_FAILED, like a failed check); a ValueError or OSError is a bad argument or
    input (BAD_INPUT). Either way one `mnist-parity: error: ...` line on stderr.
    """
    arguments = build_parser().parse_args(argv)
    try:
        return arguments.run(arguments)
    except exit_codes.REPORTED as error:
        print(f"mnist-parity: error: {error}", file=sys.stderr)
        return exit_codes.status_for(error)


if __name__ == "__main__":
    sys.exit(main())
