"""The `tf1-to-keras` command: the library's subcommands (tf1_to_keras/commands/) for any
team's model, and `run_command`, the one place where exceptions become exit statuses (the
MNIST kit's `mnist-parity` runs its commands through it too)."""

import argparse
import sys

from mnist_core import exit_codes
from tf1_to_keras import interruption, startup_logging
from tf1_to_keras.commands import arguments as shared_arguments
from tf1_to_keras.commands import convert, export, port, port_survey, verify

COMMANDS = (port, port_survey, verify, convert, export)  # in `tf1-to-keras --help` order


VERBOSE_HELP = ("show TensorFlow's start-up and C++ log lines (hidden unless TF_CPP_MIN_LOG_LEVEL "
                "is set), in the command's child processes too")


def build_parser(program, description, commands):
    """The parser of every subcommand; `--verbose` goes before or after the subcommand."""
    parser = argparse.ArgumentParser(prog=program, description=description)
    parser.add_argument("--verbose", action="store_true", help=VERBOSE_HELP)
    subparsers = parser.add_subparsers(dest="command", required=True)
    for command in commands:
        command.add_parser(subparsers)
    for subparser in subparsers.choices.values():  # SUPPRESS: not given keeps the top level's
        subparser.add_argument("--verbose", action="store_true", default=argparse.SUPPRESS,
                               help=VERBOSE_HELP)
    return parser


def run_command(parser, program, argv=None):
    """Parses argv and runs one subcommand; returns its exit status (exit_codes).

    A bad flag is argparse's exit 2 (BAD_INPUT). A diverged training is a run that went
    wrong (RUN_FAILED, like a failed check); a ValueError or OSError is a bad argument or
    input (BAD_INPUT). Either way one `PROGRAM: error: ...` line on stderr. SIGTERM or
    Ctrl-C: the cleanups run, one `PROGRAM: interrupted ...` line, 128 + the signal's number
    (interruption). TensorFlow's start-up lines are hidden unless --verbose (startup_logging).
    """
    shared_arguments.PROGRAM["name"] = program
    arguments = parser.parse_args(argv)
    try:
        with startup_logging.command_logging(arguments.verbose), interruption.signals_raise():
            return arguments.run(arguments)
    except exit_codes.REPORTED as error:
        print(f"{program}: error: {error}", file=sys.stderr)
        return exit_codes.status_for(error)
    except KeyboardInterrupt as interrupted:
        print(f"{program}: interrupted by {interruption.signal_name(interrupted)}; temporary files "
              "removed, child processes stopped, no output left half-written", file=sys.stderr)
        return interruption.exit_status(interrupted)


def main(argv=None):
    """Console entry point of `tf1-to-keras`."""
    parser = build_parser("tf1-to-keras", "Port a TF 1.x program to Keras 3 and prove the port "
                          "is the same model.", COMMANDS)
    return run_command(parser, "tf1-to-keras", argv)


if __name__ == "__main__":
    sys.exit(main())
