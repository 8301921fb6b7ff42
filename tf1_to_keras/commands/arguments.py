"""What the library's subcommands share with the kit's: the "FLAG must be at least N" check and
the command line their reports quote, named for the command the user ran."""

import shlex
import sys

# Set by the entry point that parsed the arguments (`tf1-to-keras` or `mnist-parity`).
PROGRAM = {"name": "tf1-to-keras"}


def check_at_least(flag, value, minimum, reason=None):
    """ValueError `--flag VALUE; expected at least MINIMUM (reason)` unless `value` is None
    (the flag was not given) or at least `minimum`."""
    if value is not None and value < minimum:
        because = f" ({reason})" if reason else ""
        raise ValueError(f"{flag} {value}; expected at least {minimum}{because}")


def command_line():
    """How this run was invoked, as the reports quote it."""
    return PROGRAM["name"] + " " + shlex.join(sys.argv[1:])
