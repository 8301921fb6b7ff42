"""Compile, tf.data input, fit and evaluate: the Keras side of every recipe.

What each TF1 construct becomes here:
- `train.AdamOptimizer(lr)` -> `keras.optimizers.Adam(lr, epsilon=1e-8)` (Keras 3
  defaults to 1e-7); `GradientDescentOptimizer(lr)` -> `keras.optimizers.SGD(lr)`.
- `reduce_mean(softmax_cross_entropy_with_logits)` -> `CategoricalCrossentropy(
  from_logits=True)` (sparse variant for integer labels); both average over the batch.
- placeholders + feed_dict + `next_batch` -> a `tf.data` pipeline over the same
  index order (mnist_parity.batches), consumed by `fit`.
"""

import time

import keras
import numpy as np
import tensorflow as tf


# TF1's ApplyAdam kernel computes 1 - beta in float32 (1 - float32(0.999) = 0.00099998713);
# Keras computes it in float64 and casts (0.001). Passing the float32-rounded betas makes
# Keras do TF1's arithmetic: without it Adam losses drift ~1e-5 apart from step 2.
TF1_ADAM_BETA_1 = float(np.float32(0.9))
TF1_ADAM_BETA_2 = float(np.float32(0.999))


def make_optimizer(recipe, optimizer_name=None):
    """The recipe's optimizer with TF1's hyper-parameters (or `optimizer_name`'s)."""
    name = optimizer_name or recipe.optimizer
    if name == "adam":
        return keras.optimizers.Adam(
            recipe.learning_rate, beta_1=TF1_ADAM_BETA_1, beta_2=TF1_ADAM_BETA_2,
            epsilon=recipe.adam_epsilon)
    if name == "sgd":
        return keras.optimizers.SGD(recipe.learning_rate)
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
        return self.value

    def reset_state(self):
        self.value.assign(0.0)


def compile_model(model, recipe, optimizer_name=None):
    """compile() with the recipe's optimizer and loss; XLA off to match the TF1 graph's kernels."""
    model.compile(
        optimizer=make_optimizer(recipe, optimizer_name), loss=make_loss(recipe),
        metrics=[StepLoss(recipe.one_hot_labels)], jit_compile=False)
    return model


def make_dataset(images, labels, order):
    """tf.data batches `images[order[i]], labels[order[i]]`, i.e. TF1's next_batch order."""
    images = tf.constant(images)
    labels = tf.constant(labels)
    dataset = tf.data.Dataset.from_tensor_slices(np.asarray(order, dtype=np.int64))
    dataset = dataset.map(
        lambda indices: (tf.gather(images, indices), tf.gather(labels, indices)),
        num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    return dataset.prefetch(tf.data.AUTOTUNE)


class StepHistory(keras.callbacks.Callback):
    """Records each training step's loss and the wall clock at its end."""

    def __init__(self, on_step=None):
        super().__init__()
        self.losses, self.times = [], []
        self.on_step = on_step

    def on_train_batch_end(self, batch, logs=None):
        self.losses.append(float(logs["step_loss"]))
        self.times.append(time.perf_counter())
        if self.on_step is not None:
            self.on_step(len(self.losses), self.losses[-1])


def train(model, images, labels, order, on_step=None, callbacks=()):
    """fit() over the batches in `order`; returns the StepHistory (loss and time per step)."""
    history = StepHistory(on_step)
    # shuffle=False: the order is TF1's next_batch order, already shuffled per epoch.
    model.fit(make_dataset(images, labels, order), epochs=1, verbose=0, shuffle=False,
              callbacks=[history, *callbacks])
    return history


def predict_logits(model, images, batch_size=1000):
    """Logits in inference mode (dropout off), as float32 NumPy."""
    return np.asarray(model.predict(images, batch_size=batch_size, verbose=0))
