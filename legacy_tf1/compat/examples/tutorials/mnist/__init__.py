"""`tensorflow.examples.tutorials.mnist`: `input_data` (the reader) and `mnist` (the tutorial model)."""

from legacy_tf1.compat._not_provided import module_getattr as _module_getattr
from legacy_tf1.compat.examples.tutorials.mnist import input_data, mnist

__all__ = ["input_data", "mnist"]

__getattr__ = _module_getattr("tf.examples.tutorials.mnist", "it supplies input_data and mnist")
