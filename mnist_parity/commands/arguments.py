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



# Keras backends the kit's Keras side runs on (docs/BACKENDS.md, "The MNIST kit on JAX"); on any
# but TensorFlow it runs in its own process (tf1_to_keras.harness.backend_process).
KERAS_BACKENDS = ("tensorflow", "jax")


def add_keras_backend(parser):
    """--keras-backend, the same flag on compare and benchmark."""
    parser.add_argument("--keras-backend", choices=KERAS_BACKENDS, default="tensorflow",
                        help="Keras backend of the Keras side (default tensorflow, in this process; "
                             "jax: in its own process, the TF1 side still run once here)")


def check_keras_backend(name):
    """`name` if its package is installed; ValueError (BackendUnavailable) with the pip command."""
    from tf1_to_keras.harness import backend_process

    return backend_process.require_backend(name)
