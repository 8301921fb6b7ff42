"""TF 1.x `tf.contrib.learn`: Estimator, ModelFnOps, ModeKeys, MetricSpec, RunConfig, datasets.

TF 2.0 removed tf.contrib. This package rebuilds the part of contrib.learn the
MNIST programs use on top of this layer's `tf.estimator`; its module tree
mirrors TF1's, so that
`from tensorflow.contrib.learn.python.learn.estimators import model_fn as model_fn_lib`
works after the layer's import rewrite.
"""

from legacy_tf1.compat._not_provided import module_getattr as _module_getattr
from legacy_tf1.compat.contrib.learn.python.learn import datasets
from legacy_tf1.compat.contrib.learn.python.learn.estimators.estimator import Estimator
from legacy_tf1.compat.contrib.learn.python.learn.estimators.estimator import NotFittedError
from legacy_tf1.compat.contrib.learn.python.learn.estimators.model_fn import ModeKeys
from legacy_tf1.compat.contrib.learn.python.learn.estimators.model_fn import ModelFnOps
from legacy_tf1.compat.contrib.learn.python.learn.metric_spec import MetricSpec
from legacy_tf1.compat.estimator.run_config import RunConfig

__all__ = ["Estimator", "MetricSpec", "ModeKeys", "ModelFnOps", "NotFittedError", "RunConfig",
           "datasets"]

__getattr__ = _module_getattr(
    "tf.contrib.learn", "its tf.contrib.learn supplies Estimator, ModelFnOps, ModeKeys, MetricSpec, RunConfig, datasets")
