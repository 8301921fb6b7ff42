"""TF 1.x `tf.app`: `flags` and `run`, with each TensorFlow log line printed once.

`tf.app.run` is absl's `app.run`, which adds absl's handler to the root logger.
TensorFlow's logger has a handler of its own and also passes its records up to
the root, so under `tf.app.run` every TensorFlow warning was printed twice (once
as `WARNING:tensorflow:...`, once in absl's `W1130 ...` format). `run` keeps the
first: when TensorFlow's logger has its own handler, it stops passing records up.
"""

import tensorflow as _tensorflow

from legacy_tf1.compat import flags  # noqa: F401 - TF1's tf.app.flags is tf.flags
from legacy_tf1.compat._not_provided import module_getattr as _module_getattr

_V1_APP = _tensorflow.compat.v1.app


def run(main=None, argv=None):
    """Parses flags, then calls `main(argv)` (or `__main__.main`) and exits with its result."""
    logger = _tensorflow.get_logger()
    if logger.handlers:
        logger.propagate = False
    return _V1_APP.run(main=main, argv=argv)


__getattr__ = _module_getattr("tf.app", "it supplies tf.app.flags and tf.app.run")
