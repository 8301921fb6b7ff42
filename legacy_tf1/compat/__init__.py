"""Stands in for the TF 1.x `tensorflow` package: `import legacy_tf1.compat as tf`.

Everything `tf.compat.v1` has is reachable here; the pieces TF 2.21 removed
(`tf.layers`, `tf.contrib`, `tf.estimator`, `tf.examples`) come from this
package's sub-modules, which take precedence over `tf.compat.v1`'s names.
Importing it changes no global TensorFlow state: graph code runs inside
`tf.Graph().as_default()` while Keras 3 keeps running eagerly in the same process.
"""

import importlib

import tensorflow as _tensorflow

_V1 = _tensorflow.compat.v1

# Names this layer supplies itself, as sub-modules of this package.
SUPPLIED_MODULES = ("layers", "contrib", "estimator", "examples")


def __getattr__(name):
    if name in SUPPLIED_MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    try:
        return getattr(_V1, name)
    except AttributeError:
        raise AttributeError(
            f"TF 1.x API 'tf.{name}' is not provided by legacy_tf1.compat "
            "(neither tf.compat.v1 nor the compatibility layer has it)"
        ) from None


def __dir__():
    return sorted(set(globals()) | set(dir(_V1)) | set(SUPPLIED_MODULES))
