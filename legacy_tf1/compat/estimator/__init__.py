"""`tf.estimator` as TF 1.x had it (TF 2.16 removed it): Estimator, EstimatorSpec,
ModeKeys, RunConfig and `inputs.numpy_input_fn`, on tf.compat.v1 graphs and sessions.
"""

from legacy_tf1.compat.estimator import inputs
from legacy_tf1.compat.estimator.estimator import Estimator
from legacy_tf1.compat.estimator.model_fn import EstimatorSpec, ModeKeys
from legacy_tf1.compat.estimator.run_config import RunConfig

__all__ = ["Estimator", "EstimatorSpec", "ModeKeys", "RunConfig", "inputs"]
