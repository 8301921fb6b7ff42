"""TF 1.x `tf.contrib`, as far as the kit's programs need it.

`tf.contrib` was removed in TensorFlow 2.0. This package supplies the three
parts the MNIST programs use, each imported on first access:

* `learn`     -> `legacy_tf1.compat.contrib.learn` (Estimator, ModelFnOps, datasets, ...)
* `layers`    -> `legacy_tf1.compat.contrib.layers` (xavier_initializer, optimize_loss, ...)
* `framework` -> `legacy_tf1.compat.contrib.framework` (get_global_step, ...)

Any other `tf.contrib.<name>` (slim, rnn, keras, ...) raises an AttributeError
naming it: a program that needs it must fail loudly, never run a silent no-op.
"""

import importlib

# The tf.contrib sub-modules this layer supplies, as sub-modules of this package.
SUPPLIED_MODULES = ("learn", "layers", "framework")


def __getattr__(name):
    if name not in SUPPLIED_MODULES:
        raise AttributeError(
            f"TF 1.x API 'tf.contrib.{name}' is not provided by legacy_tf1.compat "
            f"(its tf.contrib supplies only {', '.join(SUPPLIED_MODULES)})"
        )
    module_name = f"{__name__}.{name}"
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name != module_name:
            raise  # a bug inside the sub-module: keep its own message
        raise AttributeError(
            f"TF 1.x API 'tf.contrib.{name}' should come from {module_name}, "
            "which is not installed"
        ) from error


def __dir__():
    return sorted(set(globals()) | set(SUPPLIED_MODULES))
