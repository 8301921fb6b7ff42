"""What the `mnist-parity` subcommands share: `--models KEY... / --seed`, the model keys they
select, the "--steps must be at least N" checks, and the command line their reports quote."""

import shlex
import sys

from mnist_core import recipes
from mnist_parity import registry


def add_models_and_seed(parser):
    """--models KEY ... and --seed, the same flags, default and help on every subcommand."""
    parser.add_argument("--models", nargs="+", default=None, metavar="KEY",
                        help=f"model keys (default: all available of {', '.join(recipes.MODEL_KEYS)})")
    parser.add_argument("--seed", type=int, default=0, help="graph seeds, Keras seed and batch order")


def model_key(key):
    """`key` if it names a recipe; ValueError naming the known keys otherwise."""
    recipes.get_recipe(key)
    return key


def model_keys(arguments):
    """The keys --models names (spaces or commas between them), checked; by default every
    model whose two programs are present (registry.available_models: all five in the kit)."""
    if arguments.models is None:
        return registry.available_models()
    return [model_key(key) for key in " ".join(arguments.models).replace(",", " ").split()]


def check_at_least(flag, value, minimum, reason=None):
    """ValueError `--flag VALUE; expected at least MINIMUM (reason)` unless `value` is None
    (the flag was not given) or at least `minimum`."""
    if value is not None and value < minimum:
        because = f" ({reason})" if reason else ""
        raise ValueError(f"{flag} {value}; expected at least {minimum}{because}")


def command_line():
    """How this run was invoked, as the reports quote it."""
    return "mnist-parity " + shlex.join(sys.argv[1:])
