"""Keras callbacks standing in for the TF1 training hooks the programs used.

    tf.train.LoggingTensorHook(tensors, every_n_iter=N) -> LogEveryNSteps(every_n_steps=N)
    tf.train.StopAtStepHook(num_steps=N)               -> fit(..., steps_per_epoch=N, epochs=1)
    tf.train.NanTensorHook(loss)                       -> keras.callbacks.TerminateOnNaN()

docs/MIGRATION.md has the table; parity_tests/test_migration_guide.py runs each
hook and its Keras counterpart side by side.
"""

import keras
import numpy as np


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
