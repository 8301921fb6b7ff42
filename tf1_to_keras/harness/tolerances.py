"""Every parity tolerance, in one place, each with its reason (the parity suite, `compare`,
`convert`, `export`, `port` and `verify` all read them; harness.Tolerances carries them).

A bar is `atol + rtol * |expected|` (closeness.compare); forward bars add a term relative to
the largest |expected| of the tensor (`magnitude_rtol`), since an output element is a sum of
terms as large as the tensor's largest and its rounding error scales with those, not with
its own value.
"""

import numpy as np

# One float32 ulp relative to a value (2**-23): the unit of the relative bars below.
FLOAT32_EPS = float(np.finfo(np.float32).eps)

# Forward pass with transferred weights, inference mode. Measured: bitwise equal
# for deep_cnn; the bar leaves room for kernel-order differences on other CPUs.
FORWARD_ATOL = 1e-5
FORWARD_RTOL = 1e-6
FORWARD_IMAGES = 1000  # real test images compared (convert, export and port verify on as many)
# Outputs of large magnitude (a stddev-1 init gives logits ~1e2-1e4, where one float32 ulp
# exceeds FORWARD_ATOL): 8 float32 ulps of the tensor's largest |output|, since each output is
# a sum of terms that large and another kernel order rounds them differently. Chosen, not
# measured: the stddev-1 program of test_float32_step_bars.py is bitwise equal (max |output|
# 562) on this CPU. For the kit's logits (|x| < 40) it adds < 4e-5.
FORWARD_MAGNITUDE_RTOL = 8 * FLOAT32_EPS
# Deep nets with batch norm (slim's ResNet-50 v1/v2, 53 batch norms), inference: Keras'
# BatchNormalization computes x * inv + (beta - mean * inv) (tf.nn.batch_normalization), TF1's
# FusedBatchNormV3 (x - mean) * inv + beta; where a channel's |mean| is many times its spread
# the two round apart by ulps of |x * inv|, not of the output, and 50 layers compound it.
# Measured at 224x224, 1,000 classes, statistics calibrated on a batch (a trained net's):
# ResNet-50 v1's logits 8.7e-5 max abs, 1.47e-5 of their max |value| (123 float32 ulps), its
# taps up to 898 ulps of their own max |value| (block4's batch norms); v2's logits 66 ulps,
# its taps 349;
# bitwise equal at initial statistics (mean 0, variance 1). About 4.5x the worst: 4096 ulps
# (4.9e-4) of the tensor's largest |value|. A wrong epsilon, padding or a missing shortcut is
# refused at it (parity_tests/library/porting/test_slim_nets.py).
DEEP_BATCH_NORM_LAYERS = 20  # from this many BatchNormalization layers a port is "deep"
DEEP_BATCH_NORM_FORWARD_MAGNITUDE_RTOL = 4096 * FLOAT32_EPS

# Forward on another Keras backend (harness/backend_checks.py; docs/BACKENDS.md): the same
# weights, the model run by Keras on that backend in its own process, against TF1's outputs.
# Measured on JAX 0.10.2 CPU, Keras 3.15.1 (test_port_backends.py's ports, 1,000 MNIST images):
# dense 1.5e-7, LSTM 7.5e-8, GRU 3.0e-7, batch norm 7.8e-8, lenet5's conv+pooling 5.1e-7; the
# convolution moves most (XLA's sum order, not oneDNN's): deep_cnn's conv2 4.3e-6, its logits
# 1.67e-5 after fc1's 3,136-term sums, within FORWARD_ATOL plus the magnitude term. So JAX keeps
# the kit's bar; torch 2.13.0+cpu measured 7.3e-7 on one port (docs/BACKENDS.md), not a test here.
FORWARD_BACKEND_ATOL = {"tensorflow": FORWARD_ATOL, "jax": FORWARD_ATOL, "torch": FORWARD_ATOL}
FORWARD_BACKEND_REASONS = {
    "tensorflow": "the kit's forward bar",
    "jax": "measured within the kit's forward bar (conv worst: 1.67e-5 on deep_cnn's logits, inside "
           "its magnitude term)",
    "torch": "measured 7.3e-7 on one port (scaled_features_adam.py)",
}

# Training steps from identical weights on identical batches, dropout off.
# Float summation order makes trajectories drift, so the bar loosens after
# EARLY_STEPS (TensorFlow's migration guide uses the same two-stage bar).
STEP_PARITY_STEPS = 100
EARLY_STEPS = 10
EARLY_LOSS_ATOL = 1e-5
# ...plus float32 reality: a loss of 3e4 (stddev-1 init) has ulps of 2e-3, so 1e-5 alone
# refuses exact ports. Measured, exact ports of a stddev-1 ReLU regression (20-64-64-1, losses
# 6e3-5e4; parity_tests/library/harness/test_float32_step_bars.py's program, 6 seeds, first 10 steps),
# in float32 ulps of |TF1 loss|: SGD <= 0.61, Momentum <= 1.79, Adam <= 6.18 (its update divides
# by sqrt(v), amplifying the gradients' rounding); issue 21's refused port: 32180.8496 vs
# 32180.8906 = 10.7 ulps. About 3x the worst seen, so reordered sums never fail a correct port;
# a wrong learning rate is far beyond: 1% off, 2,948 ulps at step 2; 10% off, 29,515 (same program).
EARLY_LOSS_ULPS = 32
EARLY_LOSS_RTOL = EARLY_LOSS_ULPS * FLOAT32_EPS
LATE_LOSS_RTOL = 0.05

# When the strict step bar fails and TF1 does not reproduce itself within it either (its own
# steps rerun from inputs float32 cannot tell apart: each batch reordered and/or the weights one
# ulp away; harness/reference_spread.py), each step's |loss diff| must be within this many times
# TF1's own (the running max over the reruns). Measured (docs/PORT.md "The step check's two
# bars"): correct ports at most 1.0x the largest spread over the reruns (ResNet-50 v1 at 224, a
# 12-layer batch-norm net at 3 seeds), up to 2.64x against a single rerun; a learning rate x1.5
# 8.2x on ResNet-50 (step 3), 1.6e5x and more on the small net (step 2). 4 sits between.
REFERENCE_SPREAD_FACTOR = 4.0
# Reruns at most (stopping once the port is within the bar): one rerun stayed 3,456x closer to
# TF1 than another on the same step of the small net, so one is not enough.
REFERENCE_RERUNS = 3

# Batch norm training: batch statistics and their gradients come from different kernels
# (TF1 FusedBatchNormV3, Keras tf.nn.moments): layers_estimator_batch_norm.py measured up to
# 4.3e-6 apart at step 0 and 1.4e-4 by step 2, compounding; 3 steps at 1e-3, then 5% relative.
BATCH_NORM_EARLY_STEPS = 3
BATCH_NORM_EARLY_LOSS_ATOL = 1e-3

# A port's loss function: the Keras loss of TF1's logits against TF1's own loss value, on one
# batch (no training): the same float32 ops in another order, so 1e-5 absolute or relative.
LOSS_FUNCTION_ATOL = 1e-5
LOSS_FUNCTION_RTOL = 1e-5

# Short-budget accuracy: each side from its own random init, same batch order.
ACCURACY_GAP = 0.01  # 1 percentage point

# Full recipes (`mnist-parity reproduce`): the targets. Each side within half a
# point of the accuracy the original's authors reported (or above it), and the two
# sides, each from its own random init, within 0.3 points of each other.
REPRODUCTION_BELOW_REPORTED = 0.005
REPRODUCTION_GAP = 0.003

# Batch norm's moving mean and variance, compared after the training-step check's first step,
# both sides from TF1's weights (harness/moving_statistics.py; later steps read batch statistics
# of weights the steps have moved apart). What remains is the forward pass's rounding, amplified
# by earlier batch norms: measured on slim LeNet's port (parity_tests/compat/programs/
# slim_lenet_batch_norm.py) up to 1.06e-5 (fc3, after two batch norms; values ~0.1-5), on
# test_moving_statistics.py's net 6e-8. About 10x: 1e-4 plus 1e-4 relative. Keras' uncorrected
# variance against TF1's fused batch norm is (1 - momentum) * batch variance / (n - 1) apart:
# 6.2e-3 on that net's fc2 (n = 16), refused; conv layers (n = batch x height x width, 576 up)
# fall within the bar, as their correction is as small.
MOVING_STATISTICS_ATOL = 1e-4
MOVING_STATISTICS_RTOL = 1e-4
