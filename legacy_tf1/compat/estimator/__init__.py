"""`tf.estimator` as TF 1.x had it (TF 2.16 removed it): Estimator, EstimatorSpec,
ModeKeys, RunConfig and `inputs.numpy_input_fn`, on tf.compat.v1 graphs and sessions,
and the v1 canned Estimators (DNN, Linear and DNNLinearCombined classifiers and
regressors, from `canned/`).
"""

from legacy_tf1.compat._not_provided import module_getattr as _module_getattr
from legacy_tf1.compat.estimator import inputs
from legacy_tf1.compat.estimator.canned import (
    DNNClassifier,
    DNNLinearCombinedClassifier,
    DNNLinearCombinedRegressor,
    DNNRegressor,
    LinearClassifier,
    LinearRegressor,
)
from legacy_tf1.compat.estimator.estimator import Estimator
from legacy_tf1.compat.estimator.model_fn import EstimatorSpec, ModeKeys
from legacy_tf1.compat.estimator.run_config import RunConfig
from legacy_tf1.compat.estimator.training_and_evaluation import EvalSpec, TrainSpec, train_and_evaluate

__all__ = [
    "DNNClassifier",
    "DNNLinearCombinedClassifier",
    "DNNLinearCombinedRegressor",
    "DNNRegressor",
    "Estimator",
    "EstimatorSpec",
    "LinearClassifier",
    "LinearRegressor",
    "EvalSpec",
    "ModeKeys",
    "RunConfig",
    "TrainSpec",
    "inputs",
    "train_and_evaluate",
]

__getattr__ = _module_getattr(
    "tf.estimator", "its tf.estimator supplies Estimator, EstimatorSpec, ModeKeys, RunConfig, "
    "inputs, train_and_evaluate (TrainSpec, EvalSpec) and the DNN / Linear / DNNLinearCombined "
    "classifiers and regressors")
