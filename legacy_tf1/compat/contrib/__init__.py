"""TF 1.x `tf.contrib`, as far as TF 1.x programs of the tutorial kind need it.

`tf.contrib` was removed in TensorFlow 2.0. This package supplies these parts,
each imported on first access:

* `learn`         -> `legacy_tf1.compat.contrib.learn` (Estimator, ModelFnOps, datasets, ...)
* `layers`        -> `legacy_tf1.compat.contrib.layers` (fully_connected, conv2d, batch_norm,
                     xavier_initializer, optimize_loss, ...)
* `framework`     -> `legacy_tf1.compat.contrib.framework` (get_global_step, ...)
* `rnn`           -> `legacy_tf1.compat.contrib.rnn` (BasicLSTMCell, static_rnn, ...)
* `factorization` -> `legacy_tf1.compat.contrib.factorization` (KMeans)
* `slim`          -> the `tf-slim` package itself (`tf_slim`: arg_scope, layers, losses,
                     learning, nets, ...), its batch norm made to work (compat/slim_support.py)
* `seq2seq`       -> `legacy_tf1.compat.contrib.seq2seq` (sequence_loss)
* `legacy_seq2seq` -> `legacy_tf1.compat.contrib.legacy_seq2seq` (sequence_loss_by_example, sequence_loss)

Any other `tf.contrib.<name>` (tensor_forest, ...) raises the layer's
NotProvidedError naming it, with the reason where one is known: a program that
needs it must fail loudly, never run a silent no-op.
"""

import importlib

from legacy_tf1.compat import slim_support
from legacy_tf1.compat._not_provided import not_provided

# The tf.contrib sub-modules this layer supplies, as sub-modules of this package.
SUPPLIED_MODULES = ("learn", "layers", "framework", "rnn", "factorization", "seq2seq",
                    "legacy_seq2seq")
# tf.contrib parts that live on as packages of their own: name -> function returning the package.
SUPPLIED_PACKAGES = {"slim": slim_support.slim_package}


def __getattr__(name):
    if name.startswith("__") and name.endswith("__"):
        raise AttributeError(name)
    if name in SUPPLIED_PACKAGES:
        return SUPPLIED_PACKAGES[name]()
    if name not in SUPPLIED_MODULES:
        raise not_provided(f"tf.contrib.{name}", "its tf.contrib supplies only "
                           f"{', '.join((*SUPPLIED_MODULES, *SUPPLIED_PACKAGES))}")
    return importlib.import_module(f"{__name__}.{name}")


def __dir__():
    return sorted(set(globals()) | set(SUPPLIED_MODULES) | set(SUPPLIED_PACKAGES))
