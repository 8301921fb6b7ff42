"""Compile, tf.data input, fit and evaluate: the Keras side of every recipe.

What each TF1 construct becomes here:
- `train.AdamOptimizer(lr)` -> `keras.optimizers.Adam(lr, epsilon=1e-8)` (Keras 3
  defaults to 1e-7); `GradientDescentOptimizer(lr)` -> `keras.optimizers.SGD(lr)`.
  By default as their subclasses in modern_keras/optimizers.py, which update with
  the fused kernels TF1 ran (same maths, fewer passes over memory).
- `reduce_mean(softmax_cross_entropy_with_logits)` -> `CategoricalCrossentropy(
  from_logits=True)` (sparse variant for integer labels); both average over the batch.
- placeholders + feed_dict + `next_batch` -> a `tf.data` pipeline over the same
  index order (mnist_core.batches), consumed by `fit`.
- one `sess.run` per step -> `steps_per_execution=STEPS_PER_EXECUTION` steps per call
  of fit's compiled loop (the same maths: parity_tests/kit/test_training_steps.py), which
  is what lets Keras keep up with the session loop on the small models (docs/PERFORMANCE.md).
"""

import time
import weakref

import keras
import numpy as np
import tensorflow as tf

from mnist_core import input_checks
from modern_keras import backends
from modern_keras import callbacks as callbacks_lib
from modern_keras import inference
from modern_keras import numpy_batches
from modern_keras import optimizers


# TF1's ApplyAdam kernel computes 1 - beta in float32 (1 - float32(0.999) = 0.00099998713);
# Keras computes it in float64 and casts (0.001). Passing the float32-rounded betas makes
# Keras do TF1's arithmetic: without it Adam losses drift ~1e-5 apart from step 2.
TF1_ADAM_BETA_1 = float(np.float32(0.9))
TF1_ADAM_BETA_2 = float(np.float32(0.999))

# Steps per call of fit's compiled loop. At 1, each step pays Python and callback
# overhead: `mnist-parity benchmark` measured softmax_regression at ~0.5x the TF1
# session loop's throughput with 1 and 1.68x with 100 (docs/PERFORMANCE.md). It is
# also the log interval of the originals (a loss line every 100 steps).
STEPS_PER_EXECUTION = 100


def make_optimizer(recipe, optimizer_name=None, fused=True):
    """The recipe's optimizer with TF1's hyper-parameters (or `optimizer_name`'s).

    `fused` (default) picks optimizers.FusedAdam/FusedSGD, the Keras optimizers updating
    with TF1's fused kernels; False, Keras' own (the same maths, slower: docs/PERFORMANCE.md).
    The fused kernels are TensorFlow's: on other backends Keras' own, with the same arguments.
    """
    name = optimizer_name or recipe.optimizer
    fused = fused and backends.is_tensorflow()
    if name == "adam":
        adam = optimizers.FusedAdam if fused else keras.optimizers.Adam
        return adam(recipe.learning_rate, beta_1=TF1_ADAM_BETA_1, beta_2=TF1_ADAM_BETA_2,
                    epsilon=recipe.adam_epsilon)
    if name == "sgd":
        sgd = optimizers.FusedSGD if fused else keras.optimizers.SGD
        return sgd(recipe.learning_rate)
    raise ValueError(f"optimizer {name!r}; expected 'adam' or 'sgd'")


def make_loss(recipe):
    """Mean softmax cross-entropy on logits, one-hot or integer labels per the recipe."""
    if recipe.one_hot_labels:
        return keras.losses.CategoricalCrossentropy(from_logits=True)
    return keras.losses.SparseCategoricalCrossentropy(from_logits=True)


@keras.saving.register_keras_serializable(package="mnist_parity")
class StepLoss(keras.metrics.Metric):
    """The last batch's loss (fit's `loss` log is a running mean; parity needs each step)."""

    def __init__(self, one_hot_labels=True, name="step_loss", **kwargs):
        super().__init__(name=name, **kwargs)
        self.one_hot_labels = one_hot_labels
        loss_class = (keras.losses.CategoricalCrossentropy if one_hot_labels
                      else keras.losses.SparseCategoricalCrossentropy)
        self.loss = loss_class(from_logits=True)
        self.value = self.add_variable(shape=(), initializer="zeros", name="value")

    def get_config(self):
        return {**super().get_config(), "one_hot_labels": self.one_hot_labels}

    def update_state(self, y_true, y_pred, sample_weight=None):
        self.value.assign(self.loss(y_true, y_pred))

    def result(self):
        # A tensor, not the variable: JAX's tracing (compute_output_spec) refuses a variable.
        return keras.ops.convert_to_tensor(self.value)

    def reset_state(self):
        self.value.assign(0.0)


def compile_model(model, recipe, optimizer_name=None, steps_per_execution=STEPS_PER_EXECUTION,
                  fused_optimizer=True):
    """compile() with the recipe's optimizer and loss; on TensorFlow XLA off to match the TF1
    graph's kernels (on JAX on: backends.jit_compile).

    `steps_per_execution=1` gives a loss per step (the parity checks need each one);
    above 1, fit's callbacks see the loss of every `steps_per_execution`-th step.
    `fused_optimizer=False` uses Keras' own Adam/SGD (make_optimizer).
    """
    if steps_per_execution < 1:
        raise ValueError(f"steps_per_execution={steps_per_execution}; expected >= 1")
    model.compile(
        optimizer=make_optimizer(recipe, optimizer_name, fused_optimizer), loss=make_loss(recipe),
        metrics=[StepLoss(recipe.one_hot_labels)], jit_compile=backends.jit_compile(),
        steps_per_execution=steps_per_execution)
    return model


# NumPy array id -> (weak reference to the array, its tf.Variable copy); see resident_copy.
_RESIDENT_COPIES = {}


def resident_copy(array):
    """One tf.Variable copy of a NumPy array per process, reused by every dataset over it.

    Measured on the 55,000 x 784 float32 training images (172 MB): `tf.constant` raised
    resident memory by 357 MB, a variable by 185 MB; and each fit's dataset lives in a
    reference cycle until garbage collection, so a copy per call piled up (+175 MB per
    fit in `mnist-parity benchmark` before this cache).
    """
    key = id(array)
    entry = _RESIDENT_COPIES.get(key)
    if entry is not None and entry[0]() is array:
        return entry[1]
    copy = tf.Variable(array, trainable=False)
    _RESIDENT_COPIES[key] = (weakref.ref(array, lambda _: _RESIDENT_COPIES.pop(key, None)), copy)
    return copy


PREFETCH_BATCHES = 2


def make_dataset(images, labels, order):
    """tf.data batches `images[order[i]], labels[order[i]]`, i.e. TF1's next_batch order
    (on backends other than TensorFlow, the same batches from NumPy: numpy_batches)."""
    if not backends.is_tensorflow():
        return numpy_batches.OrderedBatches(images, labels, order)
    images = resident_copy(images)
    labels = resident_copy(labels)
    dataset = tf.data.Dataset.from_tensor_slices(np.asarray(order, dtype=np.int64))
    # A gather per batch is microseconds of work: one map thread and a batch in flight.
    dataset = dataset.map(lambda indices: (tf.gather(images, indices), tf.gather(labels, indices)))
    dataset = dataset.prefetch(PREFETCH_BATCHES)
    # tf.data's autotuner kept a core busy on and off: on 2 cores, runs of the same model
    # took 51 ms/step or 34 ms/step by chance (deep_cnn, core_convnet); off, always ~34.
    # docs/PERFORMANCE.md.
    options = tf.data.Options()
    options.autotune.enabled = False
    return dataset.with_options(options)


class StepHistory(keras.callbacks.Callback):
    """The loss of each step fit reports (every `steps_per_execution`-th), and the clock.

    Steps count from `initial_step` + 1: a resumed run's steps go on from its backup's.
    `running_means`: fit's `loss` log at those steps, the mean loss since this fit began
    (compare's windowed loss curve, mnist_parity/loss_windows.py).
    """

    def __init__(self, on_step=None, total_steps=None, initial_step=0):
        super().__init__()
        self.steps, self.losses, self.times, self.running_means = [], [], [], []
        self.on_step = on_step
        self.total_steps = total_steps
        self.initial_step = initial_step

    def on_train_batch_end(self, batch, logs=None):
        # `batch` is the execution's last step counted from 0, as if it ran all
        # steps_per_execution steps; the last execution stops early when data runs out.
        step = self.initial_step + batch + 1
        step = step if self.total_steps is None else min(step, self.total_steps)
        self.steps.append(step)
        self.losses.append(float(logs["step_loss"]))
        self.running_means.append(float(logs["loss"]))
        self.times.append(time.perf_counter())
        if self.on_step is not None:
            self.on_step(self.steps[-1], self.losses[-1])


def train(model, images, labels, order, on_step=None, callbacks=(), initial_step=0):
    """fit() over the batches in `order`; returns the StepHistory (loss and time per step).

    A NaN or infinite loss stops fit with errors.TrainingDivergedError, seen at the
    first `steps_per_execution`-th step after it (callbacks_lib.RaiseOnNonFiniteLoss).
    `initial_step` > 0 resumes a run (callbacks_lib.BackupEveryNSteps): fit trains
    `order[initial_step:]`, the batches the uninterrupted run would still see, and
    steps are counted from initial_step + 1.
    """
    if not 0 <= initial_step < len(order):
        raise ValueError(f"initial_step={initial_step}; expected 0 <= initial_step < {len(order)} "
                         "(the number of batches in order)")
    history = StepHistory(on_step, total_steps=len(order), initial_step=initial_step)
    divergence = callbacks_lib.RaiseOnNonFiniteLoss(total_steps=len(order), initial_step=initial_step)
    # shuffle=False: the order is TF1's next_batch order, already shuffled per epoch.
    model.fit(make_dataset(images, labels, order[initial_step:]), epochs=1, verbose=0,
              shuffle=False, callbacks=[history, divergence, *callbacks])
    return history


def predict_logits(model, images, batch_size=inference.BATCH_SIZE):
    """Logits in inference mode (dropout off), as float32 NumPy: the model's compiled call
    over batches of `batch_size` (modern_keras/inference.py), bitwise `model.predict`'s
    and without its per-call tf.data pipeline.

    ValueError (input_checks.check_images) unless `images` are float pixels in [0, 1]
    shaped like the model's input.
    """
    images = input_checks.check_images(images, model.input_shape[1:], where=f"Keras model {model.name!r} input")
    return inference.logits(model, images, batch_size)
