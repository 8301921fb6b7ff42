"""The one loss curve both sides of `compare` can show alike: the mean loss of each window of
steps, at the window's last step.

The sides log different things. TF1's session loop fetches every step's loss; Keras runs
`steps_per_execution` steps per call, so its callbacks see only every 100th step's loss, and
fit's running mean of the loss since its first step. A step's loss is noisy (one batch), so
plotting TF1's every step against Keras' every 100th compares different quantities. The mean
of each window is known on both sides: TF1's from its steps, Keras' from the difference of two
running means (equal batches, one epoch: sum to step s = s * mean at s).
"""

import dataclasses

import numpy as np


@dataclasses.dataclass
class LossWindows:
    """`means[i]`: the mean loss of the steps after `steps[i - 1]` up to `steps[i]` (from 1)."""

    steps: list
    means: list


def from_every_step(steps, losses, ends):
    """Windows ending at `ends` from each step's loss (`steps` 1, 2, ... as TF1 logs them)."""
    steps, losses = np.asarray(steps), np.asarray(losses, np.float64)
    if len(steps) != len(losses) or not np.array_equal(steps, np.arange(1, len(steps) + 1)):
        raise ValueError(f"expected a loss for each step 1..{len(losses)}; got steps "
                         f"{list(steps[:3])}... ({len(steps)} steps, {len(losses)} losses)")
    _check_ends(ends, len(steps))
    sums = np.concatenate([[0.0], np.cumsum(losses)])
    return _windows(ends, sums[list(ends)])


def from_running_means(steps, running_means):
    """Windows ending at the logged `steps` from the running mean of the loss since step 1
    at each of them (Keras fit's `loss` log over one epoch of equal batches)."""
    if len(steps) != len(running_means):
        raise ValueError(f"{len(steps)} steps but {len(running_means)} running means")
    _check_ends(steps, steps[-1] if steps else 0)
    sums = np.asarray(steps, np.float64) * np.asarray(running_means, np.float64)
    return _windows(steps, sums)


def window_ends(total_steps, window):
    """Every `window`-th step and the last: where Keras logs with steps_per_execution=window."""
    if total_steps < 1 or window < 1:
        raise ValueError(f"total_steps={total_steps}, window={window}; expected both >= 1")
    return sorted({*range(window, total_steps + 1, window), total_steps})


def _check_ends(ends, total_steps):
    if not len(ends) or list(ends) != sorted(set(ends)) or ends[0] < 1 or ends[-1] != total_steps:
        raise ValueError(f"window ends {list(ends)[:5]}...: expected increasing steps from 1 "
                         f"ending at the last step, {total_steps}")


def _windows(ends, sums_at_ends):
    """Means from the loss sums up to each end (the sum up to step 0 is 0)."""
    starts = np.concatenate([[0], ends[:-1]])
    previous = np.concatenate([[0.0], sums_at_ends[:-1]])
    means = (np.asarray(sums_at_ends) - previous) / (np.asarray(ends) - starts)
    return LossWindows(steps=[int(end) for end in ends], means=[float(mean) for mean in means])
