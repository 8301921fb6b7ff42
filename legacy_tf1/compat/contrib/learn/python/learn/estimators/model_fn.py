"""`tf.contrib.learn`'s ModeKeys and ModelFnOps (contrib/learn/.../estimators/model_fn.py).

TF1 programs import it as
`from tensorflow.contrib.learn.python.learn.estimators import model_fn as model_fn_lib`.
"""

import collections

import tensorflow as tf

from legacy_tf1.compat.estimator import model_fn as core_model_fn_lib

# The loss metric key of contrib.learn (metric_key.MetricKey.LOSS).
LOSS_METRIC_KEY = "loss"


class ModeKeys:
    """The mode a contrib.learn model_fn is called in (same strings as tf.estimator)."""

    TRAIN = "train"
    EVAL = "eval"
    INFER = "infer"

    @classmethod
    def validate(cls, key):
        """ValueError unless `key` is one of the three modes."""
        if key not in (cls.TRAIN, cls.EVAL, cls.INFER):
            raise ValueError(f"Invalid mode {key!r}; expected 'train', 'eval' or 'infer'.")


_FIELDS = ["predictions", "loss", "train_op", "eval_metric_ops", "output_alternatives",
           "training_chief_hooks", "training_hooks", "scaffold", "mode"]


class ModelFnOps(collections.namedtuple("ModelFnOps", _FIELDS)):
    """What a contrib.learn model_fn returns; checked as TF1 did."""

    def __new__(cls, mode, predictions=None, loss=None, train_op=None, eval_metric_ops=None,
                output_alternatives=None, training_chief_hooks=None, training_hooks=None,
                scaffold=None):
        ModeKeys.validate(mode)
        if train_op is None and mode == ModeKeys.TRAIN:
            raise ValueError("Missing train_op (ModelFnOps in mode 'train').")
        if loss is None and mode in (ModeKeys.TRAIN, ModeKeys.EVAL):
            raise ValueError(f"Missing loss (ModelFnOps in mode {mode!r}).")
        if predictions is None and mode in (ModeKeys.INFER, ModeKeys.EVAL):
            raise ValueError(f"Missing predictions (ModelFnOps in mode {mode!r}).")
        if eval_metric_ops is not None and not isinstance(eval_metric_ops, dict):
            raise ValueError(f"eval_metric_ops must be a dict; got {type(eval_metric_ops).__name__}")
        return super().__new__(
            cls, predictions=predictions, loss=_scalar_loss(loss), train_op=train_op,
            eval_metric_ops=dict(eval_metric_ops or {}), output_alternatives=output_alternatives,
            training_chief_hooks=list(core_model_fn_lib.check_hooks(training_chief_hooks)),
            training_hooks=list(core_model_fn_lib.check_hooks(training_hooks)),
            scaffold=scaffold, mode=mode)

    def estimator_spec(self, default_serving_output_alternative_key=None):
        """The equivalent tf.estimator EstimatorSpec (its `loss` metric is the Estimator's own)."""
        del default_serving_output_alternative_key  # Export is not supported by this layer.
        metric_ops = {key: value for key, value in self.eval_metric_ops.items()
                      if key != LOSS_METRIC_KEY}
        return core_model_fn_lib.EstimatorSpec(
            mode=self.mode, predictions=self.predictions, loss=self.loss,
            train_op=self.train_op, eval_metric_ops=metric_ops,
            training_chief_hooks=self.training_chief_hooks, training_hooks=self.training_hooks,
            scaffold=self.scaffold)


def _scalar_loss(loss):
    if loss is None:
        return None
    loss = tf.convert_to_tensor(loss)
    if loss.shape.num_elements() not in (None, 1):
        raise ValueError(f"Loss must be scalar: {loss}.")
    return tf.reshape(loss, []) if loss.shape.rank else loss
