"""`tf.estimator.ModeKeys` and `tf.estimator.EstimatorSpec`, as TF 1.x defined them."""

import collections

import tensorflow as tf

_V1 = tf.compat.v1

# The metric every evaluation reports, and the key TF1 reserved for it.
LOSS_METRIC_KEY = "loss"


class ModeKeys:
    """The mode a `model_fn` is called in (TF1's string values)."""

    TRAIN = "train"
    EVAL = "eval"
    PREDICT = "infer"


_MODES = (ModeKeys.TRAIN, ModeKeys.EVAL, ModeKeys.PREDICT)

_SPEC_FIELDS = [
    "mode", "predictions", "loss", "train_op", "eval_metric_ops", "export_outputs",
    "training_chief_hooks", "training_hooks", "scaffold", "evaluation_hooks", "prediction_hooks",
]


class EstimatorSpec(collections.namedtuple("EstimatorSpec", _SPEC_FIELDS)):
    """What a `model_fn` returns: the ops the Estimator runs in one mode.

    TRAIN needs `loss` and `train_op`, EVAL needs `loss`, PREDICT needs
    `predictions`; everything given is checked as TF1 did.
    """

    def __new__(cls, mode, predictions=None, loss=None, train_op=None, eval_metric_ops=None,
                export_outputs=None, training_chief_hooks=None, training_hooks=None,
                scaffold=None, evaluation_hooks=None, prediction_hooks=None):
        _check_required(mode, predictions, loss, train_op)
        return super().__new__(
            cls, mode=mode,
            predictions=_checked_predictions(predictions),
            loss=_checked_loss(loss),
            train_op=None if train_op is None else _as_operation(train_op, "train_op"),
            eval_metric_ops=_checked_metric_ops(eval_metric_ops),
            export_outputs=export_outputs,
            training_chief_hooks=check_hooks(training_chief_hooks),
            training_hooks=check_hooks(training_hooks),
            scaffold=_checked_scaffold(scaffold),
            evaluation_hooks=check_hooks(evaluation_hooks),
            prediction_hooks=check_hooks(prediction_hooks))


def _check_required(mode, predictions, loss, train_op):
    if mode not in _MODES:
        raise ValueError(f"mode={mode!r}; expected one of {list(_MODES)}")
    if mode == ModeKeys.TRAIN and train_op is None:
        raise ValueError("Missing train_op (EstimatorSpec in mode 'train').")
    if mode in (ModeKeys.TRAIN, ModeKeys.EVAL) and loss is None:
        raise ValueError(f"Missing loss (EstimatorSpec in mode {mode!r}).")
    if mode == ModeKeys.PREDICT and predictions is None:
        raise ValueError("Missing predictions (EstimatorSpec in mode 'infer').")


def _checked_predictions(predictions):
    if predictions is None:
        return {}
    if isinstance(predictions, dict):
        for key, value in predictions.items():
            _as_tensor(value, f"predictions[{key!r}]")
        return predictions
    return _as_tensor(predictions, "predictions")


def _checked_loss(loss):
    if loss is None:
        return None
    loss = _as_tensor(loss, "loss")
    if loss.shape.rank not in (None, 0) and loss.shape.num_elements() != 1:
        raise ValueError(f"Loss must be scalar, given: {loss}")
    # TF1 reshaped a [1]-shaped loss to a scalar.
    return tf.reshape(loss, []) if loss.shape.rank else loss


def _checked_metric_ops(eval_metric_ops):
    eval_metric_ops = dict(eval_metric_ops or {})
    for key, value in eval_metric_ops.items():
        if not isinstance(value, tuple) or len(value) != 2:
            raise TypeError(
                f"Values of eval_metric_ops must be (metric_value, update_op) tuples, "
                f"given: {value!r} for key: {key!r}")
    return eval_metric_ops


def _checked_scaffold(scaffold):
    if scaffold is None:
        return _V1.train.Scaffold()
    if not isinstance(scaffold, _V1.train.Scaffold):
        raise TypeError(f"scaffold must be tf.train.Scaffold. Given: {scaffold!r}")
    return scaffold


def check_hooks(hooks):
    """`hooks` as a tuple; TypeError naming any that is not a SessionRunHook."""
    hooks = tuple(hooks or ())
    for hook in hooks:
        if not isinstance(hook, _V1.train.SessionRunHook):
            raise TypeError(f"All hooks must be SessionRunHook instances, given: {hook!r}")
    return hooks


def _as_tensor(value, name):
    if not isinstance(value, (tf.Tensor, tf.Variable, tf.SparseTensor)):
        value = tf.convert_to_tensor(value)
    _check_graph(value, name)
    return value


def _as_operation(value, name):
    operation = value if isinstance(value, tf.Operation) else _as_tensor(value, name).op
    _check_graph(operation, name)
    return value


def _check_graph(value, name):
    # A tensor from another graph cannot run in the Estimator's session.
    if value.graph is not _V1.get_default_graph():
        raise ValueError(f"{name} must be from the default graph. Given: {value}")
