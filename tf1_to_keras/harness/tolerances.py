"""Every parity tolerance, in one place (the parity suite and `compare` both read them)."""

# Forward pass with transferred weights, inference mode. Measured: bitwise equal
# for deep_cnn; the bar leaves room for kernel-order differences on other CPUs.
FORWARD_ATOL = 1e-5
FORWARD_RTOL = 1e-6
FORWARD_IMAGES = 1000  # real test images compared

# Training steps from identical weights on identical batches, dropout off.
# Float summation order makes trajectories drift, so the bar loosens after
# EARLY_STEPS (TensorFlow's migration guide uses the same two-stage bar).
STEP_PARITY_STEPS = 100
EARLY_STEPS = 10
EARLY_LOSS_ATOL = 1e-5
LATE_LOSS_RTOL = 0.05

# Short-budget accuracy: each side from its own random init, same batch order.
ACCURACY_GAP = 0.01  # 1 percentage point

# Full recipes (`mnist-parity reproduce`): the targets. Each side within half a
# point of the accuracy the original's authors reported (or above it), and the two
# sides, each from its own random init, within 0.3 points of each other.
REPRODUCTION_BELOW_REPORTED = 0.005
REPRODUCTION_GAP = 0.003
