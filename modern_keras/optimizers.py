"""Keras optimizers that update with TF's fused training kernels, as TF1's optimizers did.

TF1 `train.AdamOptimizer` updates each variable with one `ResourceApplyAdam` kernel:
one pass over the variable, m and v. Keras 3 `Adam.update_step` writes the same
formula as ~10 element-wise ops (Sub, Mul, Square, Sqrt, RealDiv, AssignAdd, ...),
each a pass over memory. On deep_cnn (3.2M-weight fc1) a profile of one training
step put those ops at ~12 ms of CPU time against the fused kernel's ~8.5 ms, the
largest difference between the two sides' steps (docs/PERFORMANCE.md).

`FusedAdam` and `FusedSGD` are keras.optimizers.Adam and SGD (same hyper-parameters,
state, serialization and `isinstance`), whose dense update runs the fused kernel
that TF1 ran. The arithmetic is the kernel's, i.e. TF1's: `1 - beta` in float32.
Beta powers are Keras' `pow(beta, t)` (TF1 keeps a running product; the two can
round an ulp apart from t = 3). Sparse gradients, amsgrad, momentum and backends
other than TensorFlow fall back to Keras' own update.

Both also order their updates (after_previous_gradient), so that no update has to
copy its variable because the backward pass still reads it.

TF1's RMSProp and Ftrl, which Keras has no faithful optimizer for, are RMSPropTF1 and FtrlTF1
in tf1_optimizers.py (keras.ops only, copied beside ported models); exported here too.
"""

import keras
import tensorflow as tf
from keras import ops

from modern_keras.tf1_optimizers import FtrlTF1, RMSPropTF1  # noqa: F401 (exported)


def _handle(variable):
    """The resource handle under a Keras variable (or a tf.Variable) for a raw training op."""
    return variable.value.handle if isinstance(variable, keras.Variable) else variable.handle


def _fused_kernel_applies(gradient):
    """Whether the TF kernels can take this update: a dense gradient on the TF backend."""
    return keras.backend.backend() == "tensorflow" and not isinstance(gradient, tf.IndexedSlices)


def after_previous_gradient(gradients):
    """`gradients`, each made to wait for the one before it (variables in layer order).

    An update that runs while the backward pass still reads the variable's old value
    makes the kernel copy the whole variable first (TF's copy-on-write for resource
    variables): deep_cnn's fc1 kernel (12.8 MB) took 4.1 ms to update with the copy
    and 3.2 ms without, in a single-threaded profile of its ~45 ms step. Layer L's
    weights are read to compute the gradient flowing into layer L-1, so once layer
    L-1's gradient exists that read is done. Values are unchanged: this only orders
    the updates.
    """
    ordered = list(gradients[:1])
    for previous, gradient in zip(gradients, gradients[1:]):
        if isinstance(previous, tf.Tensor) and isinstance(gradient, tf.Tensor):
            with tf.control_dependencies([previous]):
                gradient = tf.identity(gradient)
        ordered.append(gradient)
    return ordered


class UpdateAfterPreviousGradient:
    """Mixin: `apply` orders the updates with after_previous_gradient."""

    def apply(self, grads, trainable_variables=None):
        return super().apply(after_previous_gradient(list(grads)), trainable_variables)


@keras.saving.register_keras_serializable(package="mnist_parity")
class FusedAdam(UpdateAfterPreviousGradient, keras.optimizers.Adam):
    """keras.optimizers.Adam updating each variable with TF's ResourceApplyAdam kernel."""

    def update_step(self, gradient, variable, learning_rate):
        if self.amsgrad or not _fused_kernel_applies(gradient):
            return super().update_step(gradient, variable, learning_rate)
        dtype = variable.dtype
        step = ops.cast(self.iterations + 1, dtype)
        index = self._get_variable_index(variable)
        tf.raw_ops.ResourceApplyAdam(
            var=_handle(variable), m=_handle(self._momentums[index]),
            v=_handle(self._velocities[index]),
            beta1_power=ops.power(ops.cast(self.beta_1, dtype), step),
            beta2_power=ops.power(ops.cast(self.beta_2, dtype), step),
            lr=ops.cast(learning_rate, dtype), beta1=ops.cast(self.beta_1, dtype),
            beta2=ops.cast(self.beta_2, dtype), epsilon=ops.cast(self.epsilon, dtype),
            grad=ops.cast(gradient, dtype), use_locking=False)


@keras.saving.register_keras_serializable(package="mnist_parity")
class FusedSGD(UpdateAfterPreviousGradient, keras.optimizers.SGD):
    """keras.optimizers.SGD (no momentum) updating with TF's ResourceApplyGradientDescent."""

    def update_step(self, gradient, variable, learning_rate):
        if self.momentum != 0 or not _fused_kernel_applies(gradient):
            return super().update_step(gradient, variable, learning_rate)
        dtype = variable.dtype
        tf.raw_ops.ResourceApplyGradientDescent(
            var=_handle(variable), alpha=ops.cast(learning_rate, dtype),
            delta=ops.cast(gradient, dtype), use_locking=False)
