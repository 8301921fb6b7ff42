"""Checks of the canned Estimators' constructor arguments, shared by dnn, linear and combined.

TF1 found an empty `feature_columns` or a bad `hidden_units` only when the
model_fn ran (in `train`); here the constructor raises the same ValueError.
Arguments TF1 had that this layer does not implement raise its not-provided error.
"""

import numbers

from legacy_tf1.compat._not_provided import not_provided


def check_feature_columns(feature_columns, argument="feature_columns"):
    """The columns as a tuple; ValueError when there are none."""
    columns = tuple(feature_columns or ())
    if not columns:
        raise ValueError(f"{argument} must not be empty; got {feature_columns!r}")
    return columns


def check_hidden_units(hidden_units, argument="hidden_units"):
    """The layer widths as a tuple of positive integers (empty is allowed, as in TF1)."""
    if hidden_units is None or isinstance(hidden_units, (str, bytes)):
        raise ValueError(f"{argument}={hidden_units!r}; expected a list of layer widths")
    widths = tuple(hidden_units)
    for width in widths:
        if not isinstance(width, numbers.Integral) or width < 1:
            raise ValueError(f"{argument}={hidden_units!r}; every width must be an integer >= 1")
    return widths


def reject_unsupported(estimator_name, warm_start_from=None, batch_norm=False):
    """The layer's not-provided error for the TF1 arguments it does not implement."""
    if warm_start_from is not None:
        raise not_provided(f"tf.estimator.{estimator_name}(warm_start_from=...)",
                           "warm starting is not implemented; restore through model_dir instead")
    if batch_norm:
        raise not_provided(f"tf.estimator.{estimator_name}(batch_norm=True)",
                           "batch normalization of the canned DNN is not implemented")
