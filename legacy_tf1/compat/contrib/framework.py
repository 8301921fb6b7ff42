"""TF 1.x `tf.contrib.framework`: the global-step helpers the programs use.

TF 1.x moved these to `tf.train` (where `tf.compat.v1` still has them) and
kept `tf.contrib.framework.get_global_step` as an alias; so does this module.
Any other `tf.contrib.framework.<name>` raises an AttributeError naming it.
"""

import tensorflow as _tensorflow

_TRAIN = _tensorflow.compat.v1.train


def get_global_step(graph=None):
    """The graph's global step variable, or None when it has not been created."""
    return _TRAIN.get_global_step(graph)


def get_or_create_global_step(graph=None):
    """The graph's global step variable, created (int64, zero) when missing."""
    return _TRAIN.get_or_create_global_step(graph)


def create_global_step(graph=None):
    """Creates the graph's global step; ValueError when it already exists."""
    return _TRAIN.create_global_step(graph)


def assert_global_step(global_step_tensor):
    """Raises TypeError unless the tensor is a scalar integer global step."""
    _TRAIN.assert_global_step(global_step_tensor)


def __getattr__(name):
    raise AttributeError(
        f"TF 1.x API 'tf.contrib.framework.{name}' is not provided by legacy_tf1.compat "
        "(its tf.contrib.framework supplies the global-step helpers only)"
    )
