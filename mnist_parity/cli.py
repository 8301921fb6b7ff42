"""The `mnist-parity` command: the kit's subcommands (mnist_parity/commands/) and the
library's (tf1_to_keras/commands/: port, verify), run through the library's one place where
exceptions become exit statuses (tf1_to_keras.cli.run_command)."""

import sys

from mnist_parity.commands import benchmark, compare, convert, export, reproduce
from tf1_to_keras import cli as library_cli
from tf1_to_keras.commands import port, verify

COMMANDS = (compare, reproduce, benchmark, convert, export, verify, port)  # in `mnist-parity --help` order


def build_parser():
    return library_cli.build_parser(
        "mnist-parity", "TF 1.x MNIST programs side by side with their Keras 3 ports.", COMMANDS)


def main(argv=None):
    """Console entry point of `mnist-parity`; returns the subcommand's exit status."""
    return library_cli.run_command(build_parser(), "mnist-parity", argv)


if __name__ == "__main__":
    sys.exit(main())
