"""The thin program entry every Keras twin shares (the twin of each TF1 `main`).

A model module only names its recipe and builder:

    def main(argv=None):
        return program.main(RECIPE, build_model, argv, description=__doc__)

and `python -m modern_keras.models.<key> --steps 200 --seed 0 --save model.keras`
then trains it on the recipe's data, in the batch order TF1's `next_batch`
gives for the seed, prints the test accuracy and saves the model.
`--deterministic` switches on TensorFlow op determinism for the process, so that
two runs with the same `--seed` give the same losses and accuracy bit for bit.
Exit statuses are the kit's one table (mnist_core.exit_codes), as for `mnist-parity`:
bad arguments and a save path that cannot be written exit BAD_INPUT (2), a diverged
training RUN_FAILED (1); each with one line `PROGRAM: error: ...` on stderr.

`--backup_dir DIR` backs the training up every `--backup_every` steps (the
Estimator's model_dir checkpoints, callbacks.BackupEveryNSteps); run the same
command again after a crash and it prints `resuming from step K of N`, trains
steps K+1..N on the same batches the uninterrupted run would, and removes the
backup once the model is evaluated and saved.
"""

import argparse
import os
import secrets
import sys

import keras
import tensorflow as tf

from mnist_core import batches, exit_codes, training_data
from modern_keras import backends, callbacks, training

PROGRESS_EVERY = 100  # steps between progress lines, as the TF1 programs print
# Steps between backups: a multiple of training.STEPS_PER_EXECUTION (callbacks, and so
# backups, run once per execution). A kill loses at most this many steps.
BACKUP_EVERY = 500


def parse_arguments(recipe, argv=None, description=None):
    """--steps (default: the recipe's full length), --seed, --save PATH.keras, --deterministic,
    --backup_dir DIR and --backup_every STEPS."""
    first_line = (description or f"Keras twin of {recipe.key}").strip().splitlines()[0]
    parser = argparse.ArgumentParser(prog=f"modern_keras.models.{recipe.key}", description=first_line)
    parser.add_argument("--steps", type=int, default=recipe.steps,
                        help=f"training steps of batch {recipe.batch_size} (default {recipe.steps})")
    parser.add_argument("--seed", type=int, default=None,
                        help="seeds Keras initializers, dropout and the batch order")
    parser.add_argument("--save", metavar="PATH.keras", default=None,
                        help="where to save the trained model (Keras 3 needs the .keras suffix)")
    parser.add_argument("--deterministic", action="store_true",
                        help="TensorFlow op determinism: same --seed, bitwise the same run")
    parser.add_argument("--backup_dir", metavar="DIR", default=None,
                        help="back the training up here; rerun the same command to resume")
    parser.add_argument("--backup_every", type=int, default=BACKUP_EVERY, metavar="STEPS",
                        help=f"steps between backups, a multiple of {training.STEPS_PER_EXECUTION} "
                             f"(default {BACKUP_EVERY})")
    return parser.parse_args(argv)


def check_save_path(save_path):
    """ValueError unless `save_path` ends in .keras and its directory exists and is writable."""
    save_path = str(save_path)
    if not save_path.endswith(".keras"):
        raise ValueError(f"save path {save_path!r}; expected a path ending in '.keras'")
    directory = os.path.dirname(os.path.abspath(save_path))
    if not os.path.isdir(directory):
        raise ValueError(f"save path {save_path!r}: directory {directory!r} does not exist "
                         "(or is not a directory); expected an existing, writable directory")
    if os.path.isdir(save_path):
        raise ValueError(f"save path {save_path!r} is a directory; expected a file path")
    if not os.access(directory, os.W_OK):
        raise ValueError(f"save path {save_path!r}: directory {directory!r} is not writable")


def check_arguments(steps, save_path, backup_every=BACKUP_EVERY):
    """ValueError for a step count below 1, a save path Keras 3 would refuse or cannot
    write, or a backup interval that is not a positive multiple of STEPS_PER_EXECUTION."""
    if steps < 1:
        raise ValueError(f"steps={steps}; expected >= 1")
    if save_path is not None:
        check_save_path(save_path)
    if backup_every < 1 or backup_every % training.STEPS_PER_EXECUTION:
        raise ValueError(f"backup_every={backup_every}; expected a positive multiple of "
                         f"{training.STEPS_PER_EXECUTION} (fit's steps per execution: "
                         "backups are taken between executions)")


def save_atomically(model, save_path):
    """model.save through a temporary .keras file and a rename: an existing file is
    replaced only by a complete model, never left half-written."""
    directory, name = os.path.split(os.path.abspath(save_path))
    # Keras creates the file itself (usual permissions); the pid keeps two runs apart.
    temporary = os.path.join(directory, f".{name}.{os.getpid()}.tmp.keras")
    try:
        model.save(temporary)
        os.replace(temporary, save_path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def print_progress(step, loss):
    """on_step callback: one line every PROGRESS_EVERY steps."""
    if step == 1 or step % PROGRESS_EVERY == 0:
        print(f"step {step}, loss {loss:g}")


def open_backup(recipe, steps, seed, backup_dir, backup_every):
    """The BackupEveryNSteps for backup_dir and the batch-order seed of the run it backs up.

    A backup remembers its run (model, steps, seed): resuming with other arguments
    would train a different run, so that is a ValueError. Without --seed the batch
    order still needs a seed that a restart can find: one is drawn and kept in the backup.
    """
    # Created now, so that a directory that cannot be made fails before training.
    os.makedirs(backup_dir, exist_ok=True)
    settings = {"model": recipe.key, "steps": steps, "seed": seed,
                "order_seed": seed if seed is not None else secrets.randbits(31)}
    backup = callbacks.BackupEveryNSteps(backup_dir, backup_every, steps, settings)
    saved = backup.saved_settings()
    if saved is not None:
        if any(saved.get(name) != settings[name] for name in ("model", "steps", "seed")):
            raise ValueError(f"backup {backup.path!r} is of the run {saved}; this run is "
                             f"model={recipe.key!r}, steps={steps}, seed={seed}: rerun with the "
                             "backed-up run's arguments, or remove the backup")
        backup.settings = saved
    return backup, backup.settings["order_seed"]


def train_with_backup(model, data, order, backup):
    """Restores `backup` into `model` (if there is one), then trains the rest of `order`."""
    start_step = backup.restore(model)
    if start_step:
        print(f"resuming from step {start_step} of {len(order)} (backup {backup.path})")
    # A backup of the last step leaves nothing to train (killed while evaluating or saving).
    if start_step < len(order):
        training.train(model, data.train_images, data.train_labels, order,
                       on_step=print_progress, callbacks=[backup], initial_step=start_step)


def run(recipe, build_model, steps, seed=None, save_path=None, deterministic=False,
        backup_dir=None, backup_every=BACKUP_EVERY):
    """Builds, trains `steps` batches and evaluates; returns (model, test accuracy).

    `deterministic` enables TensorFlow op determinism for the rest of the process: it
    cannot be switched off again, so library code never enables it; a program's user
    asks for it with --deterministic. With `backup_dir`, training is backed up every
    `backup_every` steps and resumed from the backup found there (open_backup).
    """
    # Checked first, so a bad save path fails before training, not after it.
    check_arguments(steps, save_path, backup_every)
    if deterministic and backends.is_tensorflow():  # TensorFlow's switch; JAX's XLA CPU ops have none
        tf.config.experimental.enable_op_determinism()
    if seed is not None:
        # One seed reaches the initializers and dropout here, and the batch order below.
        keras.utils.set_random_seed(seed)
    backup, order_seed = (open_backup(recipe, steps, seed, backup_dir, backup_every)
                          if backup_dir is not None else (None, seed))
    data = training_data.load_training_data(recipe)
    order = batches.batch_order(len(data.train_images), recipe.batch_size, steps, order_seed)
    model = training.compile_model(build_model(recipe), recipe)
    if backup is None:
        training.train(model, data.train_images, data.train_labels, order, on_step=print_progress)
    else:
        train_with_backup(model, data, order, backup)
    print(f"trained to step {steps}")
    accuracy = training_data.accuracy(training.predict_logits(model, data.test_images), data.test_labels)
    print(f"test accuracy {accuracy:g}")
    if save_path is not None:
        save_atomically(model, save_path)
        print(f"saved {save_path}")
    if backup is not None:
        backup.remove()  # only now: a kill while evaluating or saving resumes at the end
    return model, accuracy


def main(recipe, build_model, argv=None, description=None):
    """Parses argv and runs the program; returns the test accuracy.

    Exits with one line `PROGRAM: error: MESSAGE` on stderr and the status exit_codes
    gives: RUN_FAILED for errors.TrainingDivergedError, BAD_INPUT for another ValueError
    or OSError (bad argument, unwritable save path), as argparse does for a bad flag.
    """
    arguments = parse_arguments(recipe, argv, description)
    try:
        _, accuracy = run(recipe, build_model, arguments.steps, arguments.seed, arguments.save,
                          arguments.deterministic, arguments.backup_dir, arguments.backup_every)
    except exit_codes.REPORTED as error:
        print(f"modern_keras.models.{recipe.key}: error: {error}", file=sys.stderr)
        sys.exit(exit_codes.status_for(error))
    return accuracy
