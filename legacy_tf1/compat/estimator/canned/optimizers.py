"""TF 1.x `tensorflow_estimator/python/estimator/canned/optimizers.py`: the canned
Estimators' `optimizer` argument, turned into a tf.compat.v1 Optimizer.

As TF1: a name ('Adagrad', 'Adam', 'Ftrl', 'RMSProp', 'SGD') gives that v1
optimizer with the Estimator's default learning rate; an Optimizer instance is
used as it is; a callable is called (in the model_fn's graph) and must return one.
"""

import tensorflow as tf

_V1 = tf.compat.v1

OPTIMIZER_CLASSES = {
    "Adagrad": _V1.train.AdagradOptimizer,
    "Adam": _V1.train.AdamOptimizer,
    "Ftrl": _V1.train.FtrlOptimizer,
    "RMSProp": _V1.train.RMSPropOptimizer,
    "SGD": _V1.train.GradientDescentOptimizer,
}


def get_optimizer_instance(optimizer, learning_rate=None):
    """A tf.compat.v1 Optimizer for a name, an instance, or a callable returning one."""
    if isinstance(optimizer, str):
        if optimizer not in OPTIMIZER_CLASSES:
            raise ValueError(f"Unsupported optimizer name: {optimizer}. Supported names are: "
                             f"{tuple(sorted(OPTIMIZER_CLASSES))}")
        if not learning_rate:
            raise ValueError("learning_rate must be specified when opt is string.")
        return OPTIMIZER_CLASSES[optimizer](learning_rate=learning_rate)
    if callable(optimizer) and not isinstance(optimizer, _V1.train.Optimizer):
        optimizer = optimizer()
    if not isinstance(optimizer, _V1.train.Optimizer):
        raise ValueError(f"The given object is not an Optimizer instance. Given: {optimizer}")
    return optimizer
