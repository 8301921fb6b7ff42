"""The thin program entry every Keras twin shares (the twin of each TF1 `main`).

A model module only names its recipe and builder:

    def main(argv=None):
        return program.main(RECIPE, build_model, argv, description=__doc__)

and `python -m modern_keras.models.<key> --steps 200 --seed 0 --save model.keras`
then trains it on the recipe's data, in the batch order TF1's `next_batch`
gives for the seed, prints the test accuracy and saves the model.
"""

import argparse

import keras

from mnist_parity import batches, sides
from modern_keras import training

PROGRESS_EVERY = 100  # steps between progress lines, as the TF1 programs print


def parse_arguments(recipe, argv=None, description=None):
    """--steps (default: the recipe's full length), --seed and --save PATH.keras."""
    first_line = (description or f"Keras twin of {recipe.key}").strip().splitlines()[0]
    parser = argparse.ArgumentParser(prog=f"modern_keras.models.{recipe.key}", description=first_line)
    parser.add_argument("--steps", type=int, default=recipe.steps,
                        help=f"training steps of batch {recipe.batch_size} (default {recipe.steps})")
    parser.add_argument("--seed", type=int, default=None,
                        help="seeds Keras initializers, dropout and the batch order")
    parser.add_argument("--save", metavar="PATH.keras", default=None,
                        help="where to save the trained model (Keras 3 needs the .keras suffix)")
    return parser.parse_args(argv)


def check_arguments(steps, save_path):
    """ValueError for a step count below 1 or a save path Keras 3 would refuse."""
    if steps < 1:
        raise ValueError(f"steps={steps}; expected >= 1")
    if save_path is not None and not str(save_path).endswith(".keras"):
        raise ValueError(f"save path {str(save_path)!r}; expected a path ending in '.keras'")


def print_progress(step, loss):
    """on_step callback: one line every PROGRESS_EVERY steps."""
    if step == 1 or step % PROGRESS_EVERY == 0:
        print(f"step {step}, loss {loss:g}")


def run(recipe, build_model, steps, seed=None, save_path=None):
    """Builds, trains `steps` batches and evaluates; returns (model, test accuracy)."""
    # Checked first, so a bad save path fails before training, not after it.
    check_arguments(steps, save_path)
    if seed is not None:
        # One seed reaches the initializers and dropout here, and the batch order below.
        keras.utils.set_random_seed(seed)
    data = sides.load_training_data(recipe)
    order = batches.batch_order(len(data.train_images), recipe.batch_size, steps, seed)
    model = training.compile_model(build_model(recipe), recipe)
    training.train(model, data.train_images, data.train_labels, order, on_step=print_progress)
    accuracy = sides.accuracy(training.predict_logits(model, data.test_images), data.test_labels)
    print(f"test accuracy {accuracy:g}")
    if save_path is not None:
        model.save(save_path)
        print(f"saved {save_path}")
    return model, accuracy


def main(recipe, build_model, argv=None, description=None):
    """Parses argv and runs the program; returns the test accuracy."""
    arguments = parse_arguments(recipe, argv, description)
    _, accuracy = run(recipe, build_model, arguments.steps, arguments.seed, arguments.save)
    return accuracy
