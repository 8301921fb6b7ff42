"""A second reference for the step check: TF1's own graph with its batch norms in float64.

TF1's fused batch norm kernel (FusedBatchNorm, V2, V3 in training mode) computes the batch
statistics less precisely than float32 allows: on slim LeNet restored from a 30-step
checkpoint its normalized outputs were 4.3e-5 (relative) from float64, Keras' 1.2e-5; where
two values of a max-pooling window are that close, TF1 routes the gradient to the other one,
and its conv kernels' gradients part from float64 by 2-6% of their largest element (Keras:
2e-5). Adam then carries that into step 2 (2.5e-3 apart at a loss of 3.1, the bar 1e-3).
Reruns an ulp apart cannot show it: the kernel's error is the same in every one of them.

This reference measures it: a copy of TF1's graph (tf1_copies.py) in which every
training-mode fused batch norm is computed from the same inputs in float64 (the same
mathematics: batch mean, biased variance to normalize, the n / (n - 1) variance TF1's
moving average takes; exponential_avg_factor as the op has it), trained with the same
optimizer on the same batches from the same weights. How far TF1 is from it is how far
TF1's kernel is from its own mathematics; reference_spread.held_to_float64 holds the port
to it under the strict bar. Measured in docs/PORT.md "The step check's two bars".

    float64_batch_norm.rerun(tf1, batches, optimizer, feed, stop) -> losses, or None
"""

import legacy_tf1.compat as tf
from tf1_to_keras.harness import tf1_copies

KIND = "batch norms in float64"
_REDUCED = {b"NHWC": [0, 1, 2], b"NCHW": [0, 2, 3], b"NDHWC": [0, 1, 2, 3], b"NCDHW": [0, 2, 3, 4]}


def training_batch_norms(graph):
    """The graph's fused batch norm ops in training mode (their batch statistics)."""
    return [op for op in graph.get_operations()
            if op.type in ("FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3") and op.get_attr("is_training")]


def _float64_outputs(op):
    """{output index: tensor} for y, batch mean and batch variance of `op`, in float64 then cast."""
    x, scale, offset = op.inputs[0], op.inputs[1], op.inputs[2]
    layout = op.get_attr("data_format")
    axes = _REDUCED[layout]
    shape = [1] * x.shape.ndims
    shape[1 if layout.startswith(b"NC") else -1] = -1
    x64 = tf.cast(x, tf.float64)
    mean = tf.reduce_mean(x64, axes, keepdims=True)
    variance = tf.reduce_mean(tf.square(x64 - mean), axes, keepdims=True)
    y = ((x64 - mean) * tf.rsqrt(variance + op.get_attr("epsilon")) * tf.reshape(tf.cast(scale, tf.float64), shape)
         + tf.reshape(tf.cast(offset, tf.float64), shape))
    count = tf.cast(tf.size(x) // tf.size(scale), tf.float64)
    statistics = [tf.reshape(mean, [-1]), tf.reshape(variance, [-1]) * count / tf.maximum(count - 1.0, 1.0)]
    factor = op.get_attr("exponential_avg_factor") if op.type == "FusedBatchNormV3" else 1.0
    if factor != 1.0:  # the op folds the moving average in: (1 - f) * running + f * batch
        statistics = [factor * value + (1.0 - factor) * tf.cast(running, tf.float64)
                      for value, running in zip(statistics, op.inputs[3:5])]
    return {0: tf.cast(y, x.dtype), 1: tf.cast(statistics[0], scale.dtype), 2: tf.cast(statistics[1], scale.dtype)}


def rewire(graph):
    """Feeds every consumer of each training-mode fused batch norm's y, batch mean and batch
    variance from their float64 computation instead (graph surgery: only on a copy whose
    session has not run). Returns the ops' names."""
    rewired = training_batch_norms(graph)
    for op in rewired:
        context = op._get_control_flow_context()  # build inside the op's tf.cond / while branch
        with graph.as_default(), tf.name_scope(op.name + "_float64"):
            if context is not None:
                context.Enter()
            try:
                outputs = _float64_outputs(op)
            finally:
                if context is not None:
                    context.Exit()
        for index, tensor in outputs.items():
            for consumer in list(op.outputs[index].consumers()):
                for position, source in enumerate(consumer.inputs):
                    if source is op.outputs[index]:
                        consumer._update_input(position, tensor)
    return [op.name for op in rewired]


def rerun(tf1, batches, optimizer, feed=None, stop=None):
    """TF1's losses on `batches` with `optimizer` (a function returning a fresh one) from the
    weights its last train_steps started from, its training-mode fused batch norms in float64
    (ended early when `stop(losses)`); None when the graph has none."""
    if not training_batch_norms(tf1.graph):
        return None
    try:
        with tf1_copies.copy_of(tf1, tf1.training_start(), rewrite=rewire) as twin:
            moved = {twin.graph.get_tensor_by_name(tensor.name): value for tensor, value in (feed or {}).items()}
            return twin.train_steps(batches, optimizer, feed=moved, stop=stop)
    except Exception:  # a graph that will not copy: the verdict stays with the other bars (never looser)
        return None
