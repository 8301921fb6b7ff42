"""TF 1.x `tensorflow_estimator/python/estimator/canned`: the v1 canned Estimators.

`DNNClassifier`, `DNNRegressor` (dnn.py), `LinearClassifier`, `LinearRegressor`
(linear.py), `DNNLinearCombinedClassifier`, `DNNLinearCombinedRegressor`
(dnn_linear_combined.py): subclasses of the layer's `tf.estimator.Estimator` whose
model_fn builds TF1's variables (same names, so TF1 checkpoints' keys match), TF1's
heads (head.py) and TF1's default optimizers, on tf.compat.v1 feature columns and
tf_keras's legacy layers. Deviations from TF1: no `warm_start_from`, no
`batch_norm`, no LinearSDCA, no `export_outputs` (the layer has no SavedModel export);
a constructor rejects empty feature columns (TF1 did so only in `train`).
"""

from legacy_tf1.compat.estimator.canned.dnn import DNNClassifier, DNNRegressor
from legacy_tf1.compat.estimator.canned.dnn_linear_combined import (
    DNNLinearCombinedClassifier,
    DNNLinearCombinedRegressor,
)
from legacy_tf1.compat.estimator.canned.linear import LinearClassifier, LinearRegressor

__all__ = [
    "DNNClassifier",
    "DNNLinearCombinedClassifier",
    "DNNLinearCombinedRegressor",
    "DNNRegressor",
    "LinearClassifier",
    "LinearRegressor",
]
