"""Which TF1 variables are training state rather than the model: optimizer slots and
step counters. A name map skips them (and lists them); weights never travel through them.

* a slot is named after its variable: `dense/kernel/Adam`, `dense/kernel/Adam_1`,
  `conv1/Variable/Momentum`, `fc/bias/ExponentialMovingAverage`;
* step counters and Adam's power accumulators: `global_step`, `beta1_power`, `beta2_power`
  (also under a scope, and with a `_1` suffix when a graph holds several optimizers);
* a learning rate held in a variable: `learning_rate` (contrib.layers.optimize_loss makes
  `OptimizeLoss/learning_rate`).
"""

import re

COUNTER = re.compile(r"(?:^|/)(?:global_step|beta[12]_power|learning_rate)(?:_\d+)?$")


def is_training_state(name, names):
    """Whether variable `name` is training state, given every variable name of its graph."""
    return bool(COUNTER.search(name)) or any(name.startswith(other + "/") for other in names
                                             if other != name)


def split_training_state(names):
    """(model variable names, training-state names), each in the given order."""
    names = list(names)
    state = [name for name in names if is_training_state(name, names)]
    excluded = set(state)
    return [name for name in names if name not in excluded], state
