"""A training that went wrong, on either side: NaN or infinite loss, with where and when.

The TF1 session loop and the Keras callback both raise `TrainingDivergedError`
(a ValueError) through a `DivergenceMonitor`; every command exits with
`exit_codes.RUN_FAILED` for it (a run that went wrong, not a bad argument).
"""

import math


class TrainingDivergedError(ValueError):
    """The training loss became NaN or infinite.

    `step` is where it was seen, `last_finite_step` / `last_finite_loss` the last
    loss that was finite (None when the first checked loss already was not).
    `check_every` is how often the loss is looked at: 1 on the TF1 side; the
    Keras side sees the loss of every `steps_per_execution`-th step only, so the
    loss went bad somewhere after `last_finite_step` and at or before `step`.
    """

    def __init__(self, step, loss, last_finite_step=None, last_finite_loss=None, check_every=1,
                 where="training"):
        self.step, self.loss = step, loss
        self.last_finite_step, self.last_finite_loss = last_finite_step, last_finite_loss
        self.check_every, self.where = check_every, where
        checked = "" if check_every == 1 else f" (loss checked every {check_every} steps)"
        last = ("no finite loss seen before it" if last_finite_step is None
                else f"last finite loss {last_finite_loss:g} at step {last_finite_step}")
        super().__init__(f"{where}: training diverged: loss {loss} at step {step}{checked}; {last}; "
                         "expected a finite loss (lower the learning rate or check the inputs)")

    def __reduce__(self):
        # Pickles (e.g. across processes) with the fields, not only the message.
        return (type(self), (self.step, self.loss, self.last_finite_step, self.last_finite_loss,
                             self.check_every, self.where))


class DivergenceMonitor:
    """Remembers the last finite loss; `observe` raises TrainingDivergedError on a bad one."""

    def __init__(self, check_every=1, where="training"):
        self.check_every = check_every
        self.where = where  # which side or model, for the message
        self.last_finite_step = None
        self.last_finite_loss = None

    def observe(self, step, loss):
        """Records `loss` at `step`, or raises when it is NaN or infinite."""
        if not math.isfinite(loss):
            raise TrainingDivergedError(step, loss, self.last_finite_step, self.last_finite_loss,
                                        self.check_every, self.where)
        self.last_finite_step, self.last_finite_loss = step, loss
