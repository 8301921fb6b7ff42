"""Which Keras backend this process runs, and what the kit's Keras side does on each.

Keras picks its backend once, at import (KERAS_BACKEND); a process is on one backend for
its life. On TensorFlow the kit runs TF1's own kernels without XLA (fused optimizers, a
tf.data pipeline, a graph-function inference call). On any other backend (JAX) those
TensorFlow pieces cannot run inside the model's step, so the Keras side uses Keras' own
optimizers (with TF1's hyper-parameters), NumPy batches and XLA: JAX compiles only through
XLA, and without jit Keras runs each op of each step from Python.
"""

import keras


def backend():
    """The Keras backend of this process: "tensorflow", "jax", "torch" or "numpy"."""
    return keras.backend.backend()


def is_tensorflow():
    """Whether the kit's TensorFlow-only speed-ups (fused kernels, tf.data) apply."""
    return backend() == "tensorflow"


def jit_compile():
    """compile()'s jit_compile: off on TensorFlow (TF1's graph ran its kernels unfused), on
    elsewhere (JAX's compiled path is XLA; off, Keras runs a JAX step op by op)."""
    return not is_tensorflow()
