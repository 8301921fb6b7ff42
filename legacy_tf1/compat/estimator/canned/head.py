"""TF 1.x `canned/head.py`: the heads the v1 canned Estimators build.

`binary_logistic_or_multi_class_head` picks, as TF1's
`_binary_logistic_or_multi_class_head`, the sigmoid head for n_classes == 2 and
the softmax head otherwise (which rejects n_classes < 3); `regression_head` is
TF1's `_regression_head`. The classes live in binary_class_head.py,
multi_class_head.py and regression_head.py (TF 1.15's head/ layout).
"""

from legacy_tf1.compat.estimator.canned import binary_class_head, multi_class_head
from legacy_tf1.compat.estimator.canned import regression_head as _regression


def binary_logistic_or_multi_class_head(n_classes, weight_column, label_vocabulary, loss_reduction):
    """The classifier head for `n_classes` (ValueError when it is not an integer > 1)."""
    if n_classes == 2:
        return binary_class_head.BinaryClassHead(weight_column, label_vocabulary, loss_reduction)
    return multi_class_head.MultiClassHead(n_classes, weight_column, label_vocabulary, loss_reduction)


def regression_head(label_dimension, weight_column, loss_reduction):
    """The mean-squared-error head for `label_dimension` values per example."""
    return _regression.RegressionHead(label_dimension, weight_column, loss_reduction)
