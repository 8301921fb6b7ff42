"""TF 1.x `tf.flags` (also `tf.app.flags`): absl's flags as TF wraps them, with `log_dir` free.

Since TF 1.14 `absl.logging` is loaded with TensorFlow and defines a `--log_dir`
flag of its own, so a TF 1.x program defining `log_dir` (a common name for the
summaries directory) stopped with DuplicateFlagError. absl reads that flag only
when it writes log files, which nothing here asks it to do; so when a program
defines one of `PROGRAM_OWNED_FLAGS`, absl's definition is dropped first and the
program's own takes its place, as it did on TF 1.13 and earlier.
"""

import functools

import tensorflow as _tensorflow

_V1_FLAGS = _tensorflow.compat.v1.flags

# absl.logging's flags that a program may define for itself.
PROGRAM_OWNED_FLAGS = ("log_dir",)
_ABSL_LOGGING = "absl.logging"


def _release_from_absl_logging(name, flag_values):
    """Drops absl.logging's definition of `name`, if it is one a program may own."""
    if name in PROGRAM_OWNED_FLAGS and name in flag_values:
        if flag_values.find_module_defining_flag(name) == _ABSL_LOGGING:
            delattr(flag_values, name)


def _define(function):
    @functools.wraps(function)
    def define(name, *args, **kwargs):
        _release_from_absl_logging(name, kwargs.get("flag_values", _V1_FLAGS.FLAGS))
        return function(name, *args, **kwargs)
    return define


def __getattr__(name):
    value = getattr(_V1_FLAGS, name)
    return _define(value) if name.startswith("DEFINE") and callable(value) else value


def __dir__():
    return dir(_V1_FLAGS)
