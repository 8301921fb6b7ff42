"""What the `mnist-parity` subcommands share: `--models KEY... / --seed`, the model keys they
select, the "--steps must be at least N" checks, and the command line their reports quote."""

from mnist_core import recipes
from mnist_parity import registry
from tf1_to_keras.commands.arguments import check_at_least, command_line  # noqa: F401 (re-exported)


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

