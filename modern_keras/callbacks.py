"""Keras callbacks standing in for the TF1 training hooks the programs used.

    tf.train.LoggingTensorHook(tensors, every_n_iter=N) -> LogEveryNSteps(every_n_steps=N)
    tf.train.StopAtStepHook(num_steps=N)               -> fit(..., steps_per_epoch=N, epochs=1)
    tf.train.NanTensorHook(loss)                       -> keras.callbacks.TerminateOnNaN() (stops),
                                                          RaiseOnNonFiniteLoss (raises, as the hook did)
    tf.train.CheckpointSaverHook(save_steps=N)         -> BackupEveryNSteps(backup_dir, every_n_steps=N)
      + the Estimator's resume from model_dir             (keras.callbacks.BackupAndRestore resumes
                                                           whole epochs only; the kit trains one)

docs/MIGRATION.md has the table; parity_tests/kit/test_migration_guide.py runs each
hook and its Keras counterpart side by side.
"""

import json
import math
import os

import keras
import numpy as np

from mnist_core import errors


class LogEveryNSteps(keras.callbacks.Callback):
    """Keras twin of `tf.train.LoggingTensorHook({"probabilities": "softmax_tensor"}, every_n_iter=N)`.

    Logs the first step of each `fit` and every `every_n_steps`-th after it
    (steps counted from 0 in each `fit`, as the hook counted iterations in each
    `train` call: 0, N, 2N, ...). Each log is a dict in `self.records`, also
    printed: {"step": step, **fit's logs}. When `batch_images` is given (a
    function: step -> the images of that step's batch), the dict also holds
    "probabilities": the softmax of the model on that batch *before* the step's
    update, which is what the hook printed for 'softmax_tensor' (inference
    mode here, so without dropout).
    """

    def __init__(self, every_n_steps=50, batch_images=None, from_logits=True, print_function=print):
        super().__init__()
        if every_n_steps < 1:
            raise ValueError(f"every_n_steps={every_n_steps}; expected >= 1")
        self.every_n_steps = every_n_steps
        self.batch_images = batch_images
        self.from_logits = from_logits  # False for a model that already ends in softmax
        self.print_function = print_function
        self.records = []
        self._step = 0
        self._probabilities = None

    def _due(self):
        return self._step % self.every_n_steps == 0

    def on_train_begin(self, logs=None):
        self._step = 0  # the hook restarted its count in every train() call

    def on_train_batch_begin(self, batch, logs=None):
        if self._due() and self.batch_images is not None:
            # Before the update: the hook read softmax_tensor in the same run as the train op.
            outputs = self.model(self.batch_images(self._step), training=False)
            if self.from_logits:
                outputs = keras.ops.softmax(outputs)
            self._probabilities = np.asarray(outputs)

    def on_train_batch_end(self, batch, logs=None):
        if self._due():
            record = {"step": self._step, **{name: float(value) for name, value in (logs or {}).items()}}
            if self._probabilities is not None:
                record["probabilities"] = self._probabilities
                self._probabilities = None
            self.records.append(record)
            self.print_function(", ".join(f"{name} = {value}" for name, value in record.items()))
        self._step += 1


class RaiseOnNonFiniteLoss(keras.callbacks.Callback):
    """Stops `fit` with errors.TrainingDivergedError when the loss turns NaN or infinite.

    The twin of the Estimator's `NanTensorHook(loss)`, which raised; Keras'
    `TerminateOnNaN` only stops. Callbacks run once per execution, so with
    `steps_per_execution=N` this sees every N-th step: the error names the step it
    saw, the last finite loss it saw, and says "checked every N steps". The loss it
    reports is that step's (`step_loss`, when compiled with training.StepLoss; else
    fit's running-mean `loss`); it also reads the running mean, which stays NaN once
    any step of the epoch was, so a bad step between two checks is not missed.
    Steps count from 1 in each epoch (the kit trains one epoch); `total_steps` caps
    the step count of the last execution, which stops early when the data runs out
    (as StepHistory does); `initial_step`, the steps a resumed run had done before
    this fit (BackupEveryNSteps), is added so that the error names the run's step.
    """

    def __init__(self, total_steps=None, initial_step=0):
        super().__init__()
        self.total_steps = total_steps
        self.initial_step = initial_step
        self.monitor = errors.DivergenceMonitor()

    def on_train_begin(self, logs=None):
        self.monitor = errors.DivergenceMonitor(
            check_every=getattr(self.model, "steps_per_execution", 1),
            where=f"Keras model {self.model.name!r}")

    def on_train_batch_end(self, batch, logs=None):
        logs = logs or {}
        step = self.initial_step + batch + 1
        step = step if self.total_steps is None else min(step, self.total_steps)
        loss = float(logs.get("step_loss", logs.get("loss", 0.0)))
        running_mean = float(logs.get("loss", loss))
        # A finite step loss under a non-finite running mean: an unchecked step went bad.
        self.monitor.observe(step, loss if not math.isfinite(loss) or math.isfinite(running_mean)
                             else running_mean)


class BackupEveryNSteps(keras.callbacks.Callback):
    """Backs up the training state every `every_n_steps` steps; `restore` resumes from it.

    The Keras twin of the Estimator's CheckpointSaverHook(save_steps=N) and its
    resume from model_dir. keras.callbacks.BackupAndRestore does not fit here: it
    restores the epoch number only (Keras 3.x `_load_model` sets `_initial_epoch`
    and ignores the saved batch), so a run killed mid-epoch restarts that epoch
    from its first batch, and the kit trains one epoch. This backs up everything
    the next step depends on: the model's variables (which hold the dropout seed
    generators' state), the optimizer's (slots and iteration count), the step, and
    `settings` (a JSON-able dict naming the run, checked by the caller on resume).
    `backup_dir/backup.npz` is written to a temporary file and renamed over the
    last one: a kill leaves the old backup or the new one, never half of one.

    Callbacks run once per execution: `every_n_steps` must be a multiple of the
    model's `steps_per_execution` (ValueError in on_train_begin otherwise). Steps
    count from 1 over the whole run: `initial_step` (set by `restore`) plus fit's.
    """

    FILE_NAME = "backup.npz"

    def __init__(self, backup_dir, every_n_steps, total_steps, settings=None):
        super().__init__()
        if every_n_steps < 1:
            raise ValueError(f"every_n_steps={every_n_steps}; expected >= 1")
        self.backup_dir = os.fspath(backup_dir)
        self.path = os.path.join(self.backup_dir, self.FILE_NAME)
        self.every_n_steps = every_n_steps
        self.total_steps = total_steps
        self.settings = dict(settings or {})
        self.initial_step = 0

    def saved_settings(self):
        """The settings dict of the backup in backup_dir, or None when there is none."""
        if not os.path.exists(self.path):
            return None
        with np.load(self.path, allow_pickle=False) as backup:
            return json.loads(str(backup["settings"]))

    def restore(self, model):
        """Loads the backup (if any) into the compiled `model`; returns its step (0: none).

        ValueError when the backup's variables differ in number or shape (another model
        or optimizer). Shapes, not paths, are compared: Keras numbers the names of a
        second optimizer in one process (`sgd_1/iteration`).
        """
        if not os.path.exists(self.path):
            return 0
        variables = _training_state(model, build_optimizer=True)
        with np.load(self.path, allow_pickle=False) as backup:
            arrays = [backup[f"variable_{index}"] for index in range(len(backup["paths"]))]
            saved = [(str(path), array.shape) for path, array in zip(backup["paths"], arrays)]
            expected = [(variable.path, tuple(variable.shape)) for variable in variables]
            if [shape for _, shape in saved] != [shape for _, shape in expected]:
                raise ValueError(f"backup {self.path!r} holds variables {saved}; "
                                 f"expected those of model {model.name!r}: {expected}")
            for variable, array in zip(variables, arrays):
                variable.assign(array)
            self.initial_step = int(backup["step"])
        return self.initial_step

    def on_train_begin(self, logs=None):
        steps_per_execution = getattr(self.model, "steps_per_execution", 1)
        if self.every_n_steps % steps_per_execution:
            raise ValueError(f"every_n_steps={self.every_n_steps}; expected a multiple of the "
                             f"model's steps_per_execution ({steps_per_execution}): callbacks, "
                             "and so backups, run between executions only")

    def on_train_batch_end(self, batch, logs=None):
        step = min(self.initial_step + batch + 1, self.total_steps)
        if step % self.every_n_steps == 0:
            self.save(step)

    def save(self, step):
        """Writes the model's and optimizer's variables and `step`, atomically."""
        variables = _training_state(self.model)
        arrays = {f"variable_{index}": np.asarray(variable) for index, variable in enumerate(variables)}
        os.makedirs(self.backup_dir, exist_ok=True)
        temporary = self.path + ".tmp"
        with open(temporary, "wb") as file:
            np.savez(file, step=np.int64(step), settings=np.str_(json.dumps(self.settings)),
                     paths=np.array([variable.path for variable in variables], dtype=str), **arrays)
            file.flush()
            os.fsync(file.fileno())  # the rename must not land before the data
        os.replace(temporary, self.path)

    def remove(self):
        """Deletes the backup, and backup_dir if that leaves it empty (as BackupAndRestore
        does when fit completes; a directory holding other files is kept)."""
        for path in (self.path, self.path + ".tmp"):
            if os.path.exists(path):
                os.remove(path)
        if os.path.isdir(self.backup_dir) and not os.listdir(self.backup_dir):
            os.rmdir(self.backup_dir)


def _training_state(model, build_optimizer=False):
    """The variables a step depends on: the model's (seed generators included), then the optimizer's."""
    optimizer = model.optimizer
    if build_optimizer and optimizer is not None and not optimizer.built:
        # As BackupAndRestore: the optimizer's slots exist only once it is built.
        optimizer.build(model.trainable_variables)
    return list(model.variables) + (list(optimizer.variables) if optimizer is not None else [])
