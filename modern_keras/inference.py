"""The Keras side's inference path: the model called in inference mode inside one compiled
graph function (`compiled_call`), over fixed-size batches, instead of `model.predict`.

`predict` builds a `tf.data` pipeline and a callback loop on every call: ~40-60 ms before
the first batch runs, several times what softmax_regression takes to predict 10,000
images, and hundreds of times what one image takes. The compiled call does the same
work `predict` does per batch (`model(images, training=False)` in a graph, XLA as the
model was compiled: off in the kit, as TF1's graph ran), so the logits are bitwise
`predict`'s (parity_tests/kit/test_inference_path.py); measured in `mnist-parity benchmark` and
`python -m mnist_parity.benchmarking.call_profile` (docs/PERFORMANCE.md, "Inference").
"""

import weakref

import keras
import numpy as np
import tensorflow as tf

# Images per compiled call: `predict`'s batch in the kit (and the TF1 session loop's),
# so each call computes what one `predict` step computes.
BATCH_SIZE = 1000

# TensorFlow's CPU tensors must start on a 64-byte boundary (EIGEN_MAX_ALIGN_BYTES): a
# DLPack import of other memory aborts the process (tensor.cc "Check failed: IsAligned()").
ALIGNMENT = 64

# Model -> {jit_compile: its compiled call}. Weak both ways: the functions hold the model
# weakly, so a model that goes out of scope (or a cleared Keras session) takes them along.
_FUNCTIONS = weakref.WeakKeyDictionary()


def compiled_call(model):
    """`model(images, training=False)` as a compiled function over any batch size (its
    input signature's batch dimension is None), traced once per model.

    XLA off (the kit compiles with jit_compile=False, for TF1's kernels: XLA fuses and
    reorders float arithmetic): `tf.compat.v1.wrap_function`, a graph function whose
    call passes its tensors straight through. A tf.function's concrete function first
    binds each call's arguments to its structured signature and casts them to its specs,
    in Python: one-image p50 103 against 86 us (softmax_regression; TF1's session.run
    102; docs/PERFORMANCE.md), and the tf.function's own dispatch costs more still.
    Same graph, same kernels: the logits stay bitwise. XLA on, as `predict` would run
    it: that tf.function's concrete function."""
    jit_compile = bool(model.jit_compile)
    functions = _FUNCTIONS.setdefault(model, {})
    if jit_compile not in functions:
        model_reference = weakref.ref(model)
        signature = [tf.TensorSpec((None, *model.input_shape[1:]), tf.float32, name="images")]

        def call(images):
            return model_reference()(images, training=False)

        functions[jit_compile] = (
            tf.function(call, input_signature=signature, jit_compile=True).get_concrete_function()
            if jit_compile else tf.compat.v1.wrap_function(call, signature=signature))
    return functions[jit_compile]


def logits(model, images, batch_size=BATCH_SIZE):
    """Logits of float32 `images` (already checked), `batch_size` images per compiled call,
    as float32 NumPy."""
    if batch_size < 1:
        raise ValueError(f"batch_size={batch_size}; expected >= 1")
    if keras.backend.backend() != "tensorflow":
        return other_backend_logits(model, images, batch_size)
    function = compiled_call(model)
    # Aligned batch by batch (as_tensor): copying 3 MB at a time into reused memory took
    # 0.9 ms for the 10,000 test images, one 31 MB copy 1.2 ms (fresh pages).
    images = np.ascontiguousarray(images, dtype=np.float32)
    if len(images) <= batch_size:  # a serving call: no slicing, no concatenation
        return function(as_tensor(images)).numpy()
    return np.concatenate([function(as_tensor(images[start:start + batch_size])).numpy()
                           for start in range(0, len(images), batch_size)])


def other_backend_logits(model, images, batch_size):
    """On a backend other than TensorFlow (no graph function, no DLPack into TF):
    `predict_on_batch`, the model's compiled predict step (jitted on JAX), batch by batch."""
    images = np.asarray(images, dtype=np.float32)
    return np.concatenate([np.asarray(model.predict_on_batch(images[start:start + batch_size]),
                                      dtype=np.float32)
                           for start in range(0, len(images), batch_size)])


def aligned(array):
    """`array` if its data starts on an ALIGNMENT-byte boundary and is writable (NumPy
    refuses DLPack export of a read-only array), else such a copy of it."""
    if array.ctypes.data % ALIGNMENT == 0 and array.flags.writeable:
        return array
    buffer = np.empty(array.nbytes + ALIGNMENT, np.uint8)
    offset = -buffer.ctypes.data % ALIGNMENT
    copy = buffer[offset:offset + array.nbytes].view(array.dtype).reshape(array.shape)
    copy[...] = array
    return copy


def as_tensor(images):
    """A tf.Tensor over a C-contiguous float32 array's own memory (DLPack: no copy).

    `tf.constant` copies, at ~5 GB/s measured: 0.7-1.4 ms per 1,000-image batch, more than
    softmax_regression takes to compute it, and most of the gap to TF1's feed on the
    10,000 test images (docs/PERFORMANCE.md); NumPy copies 5x faster, so a misaligned
    batch is copied by `aligned` first. The tensor lives only for the call."""
    return tf.experimental.dlpack.from_dlpack(aligned(images).__dlpack__())
