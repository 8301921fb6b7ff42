"""Stands in for the TF 1.x `tensorflow` package: `import legacy_tf1.compat as tf`.

Everything `tf.compat.v1` has is reachable here; the pieces TF 2.21 removed
(`tf.layers`, `tf.contrib`, `tf.estimator`, `tf.examples`, `tf.nn.rnn_cell`) come
from this package's sub-modules, which take precedence over `tf.compat.v1`'s names
(`tf.nn`, `tf.app` and `tf.flags` are TF's own, with `rnn_cell`, `run` and a
program's own `log_dir` flag supplied here).
Importing it changes no global TensorFlow state: graph code runs inside
`tf.Graph().as_default()` while Keras 3 keeps running eagerly in the same process.
"""

import sys
import types

import tensorflow as _tensorflow

from legacy_tf1.compat._not_provided import delegating_module as _delegating_module

_V1 = _tensorflow.compat.v1

# Names this layer supplies itself, as sub-modules of this package.
SUPPLIED_MODULES = ("layers", "contrib", "estimator", "examples", "nn", "app", "flags")


class _CompatModule(types.ModuleType):
    """`tf.compat` as a TF 1.x program sees it: `v1` is this layer, the rest is TF's."""

    def __getattr__(self, name):
        if name == "v1":
            return sys.modules[__name__]
        return getattr(_V1.compat, name)


# `tf.compat.v1.layers` must be this layer's tf.layers (TF's raises under Keras 3), and
# `import tensorflow.compat.v1 as tf` must keep working after the rule's rewrite to
# `import legacy_tf1.compat.compat.v1 as tf`: hence a real `compat` module and its alias.
compat = _CompatModule(f"{__name__}.compat", "TF 1.x tf.compat, with v1 = legacy_tf1.compat")
sys.modules[compat.__name__] = compat
sys.modules[f"{compat.__name__}.v1"] = sys.modules[__name__]


# TensorFlow's internal packages, so that `import tensorflow.python.X as x` binds TF's module.
INTERNAL_PACKAGES = ("python", "core")


__getattr__, __dir__ = _delegating_module(
    globals(), _V1, "tf.compat.v1", "tf", SUPPLIED_MODULES,
    packages={name: f"tensorflow.{name}" for name in INTERNAL_PACKAGES})
