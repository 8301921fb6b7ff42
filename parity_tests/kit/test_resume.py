"""Resume after a crash: each side's real program, killed with SIGKILL after a checkpoint.

TF1: legacy_tf1.models.lenet5, an Estimator checkpointing `model.ckpt-N` in
--model_dir every --save_checkpoints_steps. Keras: modern_keras.models.lenet5 with
--backup_dir (callbacks.BackupEveryNSteps every --backup_every steps). Each test
starts the program, waits for a checkpoint of step >= KILL_AFTER_STEP, kills it,
restarts it and checks that it resumes from the checkpoint's step, ends at the
planned step and lost at most one checkpoint interval. The Keras resumed run must
also end with the weights of an uninterrupted run, bit for bit: it restores the
optimizer state and trains the rest of the same batch order.
"""

import os
import pathlib
import re
import signal
import subprocess
import sys
import time

import keras
import numpy as np
import pytest

from mnist_core import batches, recipes, training_data
from modern_keras import callbacks, program, training
from modern_keras.models import core_convnet, lenet5, softmax_regression

REPOSITORY = pathlib.Path(__file__).resolve().parents[2]
PLANNED_STEPS = 600
CHECKPOINT_EVERY = 100  # a multiple of training.STEPS_PER_EXECUTION, as --backup_every needs
KILL_AFTER_STEP = 200  # leaves 400 steps (seconds of work) between the kill and the run's end
SEED = 3
POLL_SECONDS = 0.05
STARTUP_TIMEOUT = 300  # TensorFlow's import and MNIST's loading, on a loaded machine


def start_program(arguments, log_path):
    """Starts `python -m ...arguments`, stdout and stderr to log_path, unbuffered, so
    that what it printed before a SIGKILL is in the file."""
    environment = dict(os.environ, PYTHONUNBUFFERED="1")
    with open(log_path, "w") as log:
        return subprocess.Popen([sys.executable, "-m", *arguments], stdout=log,
                                stderr=subprocess.STDOUT, cwd=REPOSITORY, env=environment)


def run_program(arguments, log_path):
    """Runs the program to its end; returns its output (AssertionError on a failure)."""
    process = start_program(arguments, log_path)
    try:
        returncode = process.wait(timeout=STARTUP_TIMEOUT + 120)
    except subprocess.TimeoutExpired:
        process.kill()  # not left running after the test
        raise
    output = pathlib.Path(log_path).read_text()
    assert returncode == 0, f"{arguments[0]} exited {returncode}:\n{output[-3000:]}"
    return output


def kill_after_checkpoint(process, checkpoint_step, log_path):
    """Waits until `checkpoint_step()` >= KILL_AFTER_STEP, then SIGKILLs the process.

    Returns the checkpoint step seen just before the kill.
    """
    deadline = time.monotonic() + STARTUP_TIMEOUT
    step = None
    while step is None or step < KILL_AFTER_STEP:
        if process.poll() is not None:
            raise AssertionError(f"the program ended (status {process.returncode}) before a "
                                 f"checkpoint of step {KILL_AFTER_STEP}:\n"
                                 f"{pathlib.Path(log_path).read_text()[-3000:]}")
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"no checkpoint of step >= {KILL_AFTER_STEP} after "
                                 f"{STARTUP_TIMEOUT} s (last seen: {step})")
        time.sleep(POLL_SECONDS)
        step = checkpoint_step()
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait(timeout=60) == -signal.SIGKILL, "the program was not killed by SIGKILL"
    return step


def estimator_checkpoint_step(model_dir):
    """The step of the checkpoint model_dir's `checkpoint` file points at, or None.

    Read as text: the Saver writes that file last (and atomically), after the checkpoint.
    """
    try:
        state = (pathlib.Path(model_dir) / "checkpoint").read_text()
    except FileNotFoundError:
        return None
    match = re.search(r'^model_checkpoint_path: "(?:.*/)?model\.ckpt-(\d+)"', state, re.MULTILINE)
    return int(match.group(1)) if match else None


def keras_backup_step(backup_dir):
    """The step of backup_dir's backup.npz, or None (not written yet, or removed at the end)."""
    try:
        with np.load(pathlib.Path(backup_dir) / "backup.npz", allow_pickle=False) as backup:
            return int(backup["step"])
    except FileNotFoundError:
        return None


def logged_steps(output, pattern):
    """The step numbers `pattern` (one group) finds in the output, in order."""
    return [int(step) for step in re.findall(pattern, output, re.MULTILINE)]


def test_estimator_resumes_from_its_last_checkpoint(tmp_path):
    """SIGKILL after checkpoint K, then `--steps PLANNED - K`: Estimator.train(steps=N)
    trains N *more* steps from the restored global step (TF1's semantics, kept by the
    program), so that is what finishes the planned run."""
    model_dir = tmp_path / "lenet5_model"
    arguments = ["legacy_tf1.models.lenet5", "--model_dir", str(model_dir), "--seed", str(SEED),
                 "--save_checkpoints_steps", str(CHECKPOINT_EVERY)]
    first = start_program([*arguments, "--steps", str(PLANNED_STEPS)], tmp_path / "first.log")
    kill_after_checkpoint(first, lambda: estimator_checkpoint_step(model_dir), tmp_path / "first.log")
    # TF1's "loss = ..., step = N" line: every 100 steps, counted after the update.
    loss_line = r"^INFO:tensorflow:loss = [^,]+, step = (\d+)"
    last_logged = logged_steps((tmp_path / "first.log").read_text(), loss_line)[-1]
    resume_step = estimator_checkpoint_step(model_dir)

    output = run_program([*arguments, "--steps", str(PLANNED_STEPS - resume_step)],
                         tmp_path / "second.log")
    restored = logged_steps(output, r"Restoring parameters from .*model\.ckpt-(\d+)$")
    assert restored[0] == resume_step, f"restored {restored[0]}, latest checkpoint {resume_step}"
    assert logged_steps(output, loss_line)[0] == resume_step + 1
    assert estimator_checkpoint_step(model_dir) == PLANNED_STEPS
    assert f"'global_step': np.int64({PLANNED_STEPS})" in output
    # Logged at step K+1 after checkpoint K, so the log may trail the checkpoint by one interval.
    assert KILL_AFTER_STEP <= resume_step and last_logged - resume_step <= CHECKPOINT_EVERY


def test_keras_program_resumes_from_its_backup_and_matches_an_uninterrupted_run(tmp_path):
    """SIGKILL after backup K, then the same command: it resumes at K, ends at the
    planned step, removes the backup, and its weights equal an uninterrupted run's."""
    backup_dir = tmp_path / "backup"
    arguments = ["modern_keras.models.lenet5", "--steps", str(PLANNED_STEPS), "--seed", str(SEED),
                 "--backup_dir", str(backup_dir), "--backup_every", str(CHECKPOINT_EVERY),
                 "--save", str(tmp_path / "resumed.keras")]
    first = start_program(arguments, tmp_path / "first.log")
    kill_after_checkpoint(first, lambda: keras_backup_step(backup_dir), tmp_path / "first.log")
    last_printed = logged_steps((tmp_path / "first.log").read_text(), r"^step (\d+), loss")[-1]
    resume_step = keras_backup_step(backup_dir)

    output = run_program(arguments, tmp_path / "second.log")
    assert logged_steps(output, rf"^resuming from step (\d+) of {PLANNED_STEPS}") == [resume_step]
    assert logged_steps(output, r"^step (\d+), loss")[0] == resume_step + CHECKPOINT_EVERY
    assert f"trained to step {PLANNED_STEPS}" in output
    assert not backup_dir.exists(), "the backup outlived a completed run"
    assert KILL_AFTER_STEP <= resume_step and 0 <= last_printed - resume_step <= CHECKPOINT_EVERY

    # The reference runs in this process: same threads (inherited environment), same seed.
    uninterrupted, accuracy = program.run(recipes.LENET5, lenet5.build_model, PLANNED_STEPS, SEED)
    assert f"test accuracy {accuracy:g}" in output
    resumed = keras.models.load_model(tmp_path / "resumed.keras", safe_mode=True)
    for expected, actual in zip(uninterrupted.weights, resumed.weights, strict=True):
        np.testing.assert_array_equal(np.asarray(actual), np.asarray(expected),
                                      err_msg=f"{actual.path} after resuming at step {resume_step}")


def write_backup(backup_dir, recipe, build_model, step, settings):
    """A backup of `step` for a freshly built and compiled model of `recipe`; returns the model."""
    model = training.compile_model(build_model(recipe), recipe)
    backup = callbacks.BackupEveryNSteps(backup_dir, CHECKPOINT_EVERY, settings["steps"], settings)
    backup.set_model(model)
    model.optimizer.build(model.trainable_variables)
    backup.save(step)
    return model


def test_a_backup_of_the_last_step_is_evaluated_without_training(tmp_path, capsys):
    """Killed after its last backup (while evaluating or saving): the rerun restores the
    weights, trains nothing, and keeps the batch-order seed drawn for a run without --seed."""
    recipe = recipes.SOFTMAX_REGRESSION
    settings = {"model": recipe.key, "steps": 200, "seed": None, "order_seed": 12345}
    saved = write_backup(tmp_path, recipe, softmax_regression.build_model, 200, settings)
    backup, order_seed = program.open_backup(recipe, 200, None, tmp_path, CHECKPOINT_EVERY)
    assert order_seed == 12345 and backup.settings == settings

    model, _ = program.run(recipe, softmax_regression.build_model, 200, backup_dir=str(tmp_path),
                           backup_every=CHECKPOINT_EVERY)
    output = capsys.readouterr().out
    assert "resuming from step 200 of 200" in output and "step 200, loss" not in output
    for expected, actual in zip(saved.weights, model.weights, strict=True):
        np.testing.assert_array_equal(np.asarray(actual), np.asarray(expected), err_msg=actual.path)
    assert not tmp_path.exists(), "the backup (and its emptied directory) outlived the run"


def test_a_backup_of_another_run_or_model_is_refused(tmp_path):
    """Other --steps or --seed than the backed-up run's, or another model's variables: ValueError."""
    settings = {"model": "lenet5", "steps": PLANNED_STEPS, "seed": SEED, "order_seed": SEED}
    write_backup(tmp_path, recipes.LENET5, lenet5.build_model, 100, settings)
    with pytest.raises(ValueError, match=r"this run is model='lenet5', steps=700, seed=3"):
        program.open_backup(recipes.LENET5, 700, SEED, tmp_path, CHECKPOINT_EVERY)
    with pytest.raises(ValueError, match=r"steps=600, seed=None"):
        program.open_backup(recipes.LENET5, PLANNED_STEPS, None, tmp_path, CHECKPOINT_EVERY)
    recipe = recipes.SOFTMAX_REGRESSION
    other_model = training.compile_model(softmax_regression.build_model(recipe), recipe)
    backup = callbacks.BackupEveryNSteps(tmp_path, CHECKPOINT_EVERY, PLANNED_STEPS)
    with pytest.raises(ValueError, match=r"holds variables .*conv2d.*expected those of model"):
        backup.restore(other_model)


@pytest.mark.parametrize("backup_every", [0, 150])
def test_a_backup_interval_between_executions_is_refused(backup_every):
    """Callbacks run once per execution of STEPS_PER_EXECUTION steps: a backup can only go there."""
    expected = rf"backup_every={backup_every}; expected a positive multiple of 100"
    with pytest.raises(ValueError, match=expected):
        program.check_arguments(PLANNED_STEPS, None, backup_every)


@pytest.mark.slow  # 200 + 100 core_convnet steps: 39 s on the 2-core machine under load
def test_a_resumed_dropout_model_matches_an_uninterrupted_run(tmp_path):
    """core_convnet has dropout: its seed generator's state is in the backup, so the
    resumed steps draw the masks the uninterrupted run drew (bitwise equal weights).
    The crash is simulated in-process, a first fit that stops at step 100."""
    recipe, steps = recipes.CORE_CONVNET, 200
    uninterrupted, _ = program.run(recipe, core_convnet.build_model, steps, SEED)
    keras.backend.clear_session()
    keras.utils.set_random_seed(SEED)
    data = training_data.load_training_data(recipe)
    order = batches.batch_order(len(data.train_images), recipe.batch_size, steps, SEED)
    model = training.compile_model(core_convnet.build_model(recipe), recipe)
    settings = {"model": recipe.key, "steps": steps, "seed": SEED, "order_seed": SEED}
    backup = callbacks.BackupEveryNSteps(tmp_path, CHECKPOINT_EVERY, steps, settings)
    training.train(model, data.train_images, data.train_labels, order[:100], callbacks=[backup])
    assert any("seed_generator" in variable.path for variable in model.variables)

    keras.backend.clear_session()
    resumed, _ = program.run(recipe, core_convnet.build_model, steps, SEED,
                             backup_dir=str(tmp_path), backup_every=CHECKPOINT_EVERY)
    for expected, actual in zip(uninterrupted.weights, resumed.weights, strict=True):
        np.testing.assert_array_equal(np.asarray(actual), np.asarray(expected), err_msg=actual.path)
