"""TF 1.x `tf.contrib.layers` initializers (`contrib/layers/python/layers/initializers.py`).

Written on `tf.compat.v1` ops, so a program gets the numbers it got in TF 1.x:

* `variance_scaling_initializer(factor, mode, uniform)`: fans as TF1 contrib
  counted them (receptive field times input / output channels); uniform in
  [-sqrt(3 * factor / n), +sqrt(3 * factor / n)], or truncated normal with
  stddev sqrt(1.3 * factor / n).
* `xavier_initializer(uniform=True)`: variance scaling with factor 1.0 over
  FAN_AVG, i.e. uniform in [-limit, limit] with limit = sqrt(6 / (fan_in + fan_out)).
"""

import math

import tensorflow as _tensorflow

_V1 = _tensorflow.compat.v1

VARIANCE_SCALING_MODES = ("FAN_IN", "FAN_OUT", "FAN_AVG")


def _fans(shape):
    """TF1 contrib's (fan_in, fan_out): receptive field times input and output channels."""
    shape = [int(dimension) for dimension in shape]
    if not shape:
        return 1.0, 1.0
    fan_in = float(shape[-2]) if len(shape) > 1 else float(shape[-1])
    fan_out = float(shape[-1])
    for dimension in shape[:-2]:
        fan_in *= dimension
        fan_out *= dimension
    return fan_in, fan_out


def variance_scaling_initializer(factor=2.0, mode="FAN_IN", uniform=False, seed=None,
                                 dtype=_tensorflow.float32):
    """TF1 contrib's variance scaling: an initializer(shape, dtype, partition_info)."""
    if mode not in VARIANCE_SCALING_MODES:
        raise ValueError(f"mode={mode!r}; expected one of {VARIANCE_SCALING_MODES}")
    if not _tensorflow.as_dtype(dtype).is_floating:
        raise ValueError(f"dtype={dtype!r}; expected a floating point type")

    def _initializer(shape, dtype=dtype, partition_info=None):
        del partition_info  # TF1 ignored it too: the fans come from the full shape.
        fan_in, fan_out = _fans(shape)
        count = {"FAN_IN": fan_in, "FAN_OUT": fan_out, "FAN_AVG": (fan_in + fan_out) / 2.0}[mode]
        if uniform:
            limit = math.sqrt(3.0 * factor / count)
            return _V1.random_uniform(shape, -limit, limit, dtype, seed=seed)
        # 1.3 makes up for the truncation at two standard deviations (TF1's constant).
        standard_deviation = math.sqrt(1.3 * factor / count)
        return _V1.truncated_normal(shape, 0.0, standard_deviation, dtype, seed=seed)

    return _initializer


def xavier_initializer(uniform=True, seed=None, dtype=_tensorflow.float32):
    """Glorot & Bengio's initializer, with TF1 contrib's numbers (see the module docstring)."""
    return variance_scaling_initializer(factor=1.0, mode="FAN_AVG", uniform=uniform,
                                        seed=seed, dtype=dtype)


xavier_initializer_conv2d = xavier_initializer
