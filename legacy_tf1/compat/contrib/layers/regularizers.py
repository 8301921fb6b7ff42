"""TF 1.x `tf.contrib.layers` regularizers (`contrib/layers/python/layers/regularizers.py`).

A regularizer is a function `weights -> scalar Tensor` (or None when disabled):

* `l1_regularizer(scale)`:  scale * sum(|w|)
* `l2_regularizer(scale)`:  scale * sum(w ** 2) / 2  (`tf.nn.l2_loss`)
* `l1_l2_regularizer(scale_l1, scale_l2)`: their sum
* `sum_regularizer(list)`: the sum of the regularizers' penalties

As in TF1, a scale of 0.0 disables the regularizer (it returns None), an integer
or a negative scale is a ValueError, and a scalar Tensor is accepted as scale.
`apply_regularization(regularizer, weights_list)` sums the penalties over the
weights (the graph's `WEIGHTS` collection when none are given) and adds the sum
to `REGULARIZATION_LOSSES`.
"""

import numbers

import tensorflow as _tensorflow

_V1 = _tensorflow.compat.v1


def _check_scale(scale, argument="scale"):
    """TF1's checks; True when the scale disables the regularizer."""
    if isinstance(scale, numbers.Integral):  # bool included, as in TF1
        raise ValueError(f"{argument}={scale!r}; expected a float, not an integer")
    if isinstance(scale, numbers.Real):
        if scale < 0.0:
            raise ValueError(f"{argument}={scale}; expected a regularization scale >= 0")
        if scale == 0.0:
            _V1.logging.info("Scale of 0 disables regularizer.")
            return True
        return False
    if not _tensorflow.is_tensor(scale):
        raise ValueError(f"{argument}={scale!r}; expected a float or a scalar Tensor")
    return False


def _scaled_penalty(scale, scope, default_name, penalty):
    """A regularizer computing `scale * penalty(weights)` under TF1's name scope."""
    if _check_scale(scale):
        return lambda weights: None

    def regularizer(weights):
        with _V1.name_scope(scope, default_name, [weights]) as name:
            factor = _V1.convert_to_tensor(scale, dtype=weights.dtype.base_dtype, name="scale")
            return _V1.multiply(factor, penalty(weights), name=name)

    return regularizer


def l1_regularizer(scale, scope=None):
    """Regularizer weights -> scale * sum(|weights|); None when scale is 0."""
    return _scaled_penalty(scale, scope, "l1_regularizer",
                           lambda weights: _V1.reduce_sum(_V1.abs(weights)))


def l2_regularizer(scale, scope=None):
    """Regularizer weights -> scale * sum(weights ** 2) / 2; None when scale is 0."""
    return _scaled_penalty(scale, scope, "l2_regularizer", _V1.nn.l2_loss)


def sum_regularizer(regularizer_list, scope=None):
    """Regularizer summing the penalties of `regularizer_list` (None when the list is empty)."""
    regularizer_list = [regularizer for regularizer in regularizer_list if regularizer is not None]
    if not regularizer_list:
        return None

    def sum_reg(weights):
        with _V1.name_scope(scope, "sum_regularizer", [weights]) as name:
            penalties = [regularizer(weights) for regularizer in regularizer_list]
            penalties = [penalty for penalty in penalties if penalty is not None]
            return _V1.add_n(penalties, name=name) if penalties else None

    return sum_reg


def l1_l2_regularizer(scale_l1=1.0, scale_l2=1.0, scope=None):
    """Regularizer weights -> scale_l1 * sum(|w|) + scale_l2 * sum(w ** 2) / 2."""
    disabled_l1 = _check_scale(scale_l1, "scale_l1")
    disabled_l2 = _check_scale(scale_l2, "scale_l2")
    scope = scope or "l1_l2_regularizer"
    if disabled_l1:
        return l2_regularizer(scale_l2, scope)
    if disabled_l2:
        return l1_regularizer(scale_l1, scope)
    return sum_regularizer([l1_regularizer(scale_l1), l2_regularizer(scale_l2)], scope=scope)


def apply_regularization(regularizer, weights_list=None):
    """The summed penalty of `regularizer` over the weights, added to REGULARIZATION_LOSSES.

    `weights_list` None or empty means the graph's `tf.GraphKeys.WEIGHTS` collection
    (which contrib's layers fill only when asked to, via `variables_collections`).
    """
    if not weights_list:
        weights_list = _V1.get_collection(_V1.GraphKeys.WEIGHTS)
    if not weights_list:
        raise ValueError("weights_list is empty and the graph's WEIGHTS collection too; "
                         "expected weights to regularize")
    with _V1.name_scope("get_regularization_penalty", values=weights_list) as scope:
        penalties = [regularizer(weights) for weights in weights_list]
        penalties = [_V1.constant(0.0) if penalty is None else penalty for penalty in penalties]
        for penalty in penalties:
            if penalty.shape.ndims != 0:
                raise ValueError(f"regularizer returned {penalty} of rank {penalty.shape.ndims}; "
                                 "expected a scalar Tensor")
        summed_penalty = _V1.add_n(penalties, name=scope)
    _V1.add_to_collection(_V1.GraphKeys.REGULARIZATION_LOSSES, summed_penalty)
    return summed_penalty
