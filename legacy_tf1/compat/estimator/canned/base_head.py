"""What TF 1.x's v1 canned heads (`canned/head.py`'s `_Head`) share.

A head turns the model's logits into the EstimatorSpec of each mode: the
predictions (under `head/predictions/`), the loss of the labels, the metrics
(under `head/metrics/`) and the train op, with TF1's checks of the labels',
logits' and weights' shapes. The training loss is `compute_weighted_loss` of the
per-example losses with the head's `loss_reduction` (`SUM` for the v1 canned
Estimators); in TRAIN mode the `loss` and, for SUM, `average_loss` summaries are
written at the graph's root as TF1 did.
"""

import collections

import tensorflow as tf
from tensorflow.python.feature_column import feature_column_v2
from tensorflow.python.ops import lookup_ops, weights_broadcast_ops
from tensorflow.python.util import deprecation

from legacy_tf1.compat.estimator import model_fn as model_fn_lib
from legacy_tf1.compat.estimator.canned.metric_keys import MetricKeys
from legacy_tf1.compat.estimator.canned.prediction_keys import PredictionKeys

_V1 = tf.compat.v1
_REDUCTION = _V1.losses.Reduction
ModeKeys = model_fn_lib.ModeKeys

# The reduced training loss, the per-example losses, the weights and the labels as the loss saw them.
LossSpec = collections.namedtuple(
    "LossSpec", ["training_loss", "unreduced_loss", "weights", "processed_labels"])


class Head:
    """A TF1 v1 head; subclasses supply `_predictions`, `create_loss`, `_eval_metric_ops`."""

    def __init__(self, logits_dimension, weight_column, loss_reduction):
        if loss_reduction not in _REDUCTION.all() or loss_reduction == _REDUCTION.NONE:
            raise ValueError(f"Invalid loss_reduction: {loss_reduction}")
        self._logits_dimension = logits_dimension
        self._weight_column = weight_column
        self._loss_reduction = loss_reduction

    logits_dimension = property(lambda self: self._logits_dimension)
    loss_reduction = property(lambda self: self._loss_reduction)

    def create_estimator_spec(self, features, mode, logits, labels=None, optimizer=None,
                              train_op_fn=None):
        """The EstimatorSpec for `mode`; TRAIN minimizes with `optimizer` or `train_op_fn`."""
        # TF1's heads use v1 metrics and feature columns, whose notices TF1 never printed.
        with deprecation.silence(), _V1.name_scope("head"):
            logits = check_logits_final_dim(logits, self._logits_dimension)
            with _V1.name_scope("predictions"):
                predictions = self._predictions(logits)
            if mode == ModeKeys.PREDICT:
                return model_fn_lib.EstimatorSpec(mode, predictions=predictions)
            loss = self.create_loss(features, mode, logits, labels)
            if mode == ModeKeys.EVAL:
                with _V1.name_scope("metrics"):
                    metrics = self._eval_metric_ops(predictions, loss)
                return model_fn_lib.EstimatorSpec(mode, predictions=predictions,
                                                  loss=loss.training_loss, eval_metric_ops=metrics)
            train_op = _train_op(loss.training_loss, optimizer, train_op_fn)
            mean_loss = self._mean_loss(loss)
        _add_loss_summaries(loss.training_loss, mean_loss)
        return model_fn_lib.EstimatorSpec(mode, predictions=predictions, loss=loss.training_loss,
                                          train_op=train_op)

    def weighted_loss(self, features, logits, unweighted_loss, labels, per_logit_weights=False):
        """The LossSpec of per-example losses, weighted and reduced as the head says."""
        weights = example_weights(features, self._weight_column, logits, per_logit_weights)
        training_loss = _V1.losses.compute_weighted_loss(
            unweighted_loss, weights=weights, reduction=self._loss_reduction)
        return LossSpec(training_loss, unweighted_loss, weights, labels)

    def _mean_loss(self, loss):
        # As TF1: `average_loss` is summarized in training only under SUM reduction.
        if self._loss_reduction != _REDUCTION.SUM:
            return None
        weight_sum = tf.reduce_sum(loss.weights * tf.ones_like(loss.unreduced_loss))
        return loss.training_loss / weight_sum


def check_labels(labels, logits, expected_labels_dimension):
    """Dense labels shaped [D0, ... DN, dimension] (a [D0, ... DN] input gains the last axis)."""
    if labels is None:
        raise ValueError("You must provide a labels Tensor. Given: None. Suggested troubleshooting "
                         "steps: Check that your data contain your label feature. Check that your "
                         "input_fn properly parses and returns labels.")
    with _V1.name_scope(None, "labels", (labels, logits)) as scope:
        labels = _V1.convert_to_tensor_or_sparse_tensor(labels)
        if isinstance(labels, tf.SparseTensor):
            raise ValueError("SparseTensor labels are not supported. labels must be a Tensor of "
                             f"shape [D0, D1, ..., DN, {expected_labels_dimension}].")
        if None not in (labels.shape.rank, logits.shape.rank) and \
                labels.shape.rank == logits.shape.rank - 1:
            labels = tf.expand_dims(labels, -1)
        message = (f"labels shape must be [D0, D1, ... DN, {expected_labels_dimension}]. Suggested "
                   "Fix: check your n_classes argument to the estimator and/or the shape of your label.")
        if labels.shape.rank is not None and labels.shape[-1] not in (None, expected_labels_dimension):
            raise ValueError(f"Mismatched label shape. Expected labels dimension="
                             f"{expected_labels_dimension}.  Received {labels.shape[-1]}.")
        expected_shape = tf.concat([tf.shape(logits)[:-1], [expected_labels_dimension]], axis=0)
        checks = [_V1.debugging.assert_rank_at_least(labels, 2, message=message),
                  _V1.debugging.assert_equal(expected_shape, tf.shape(labels), message=message)]
        with tf.control_dependencies(checks):
            return tf.identity(labels, name=scope)


def check_logits_final_dim(logits, expected_logits_dimension):
    """Float32 logits whose last dimension is the head's logits dimension."""
    with _V1.name_scope(None, "logits", (logits,)) as scope:
        logits = tf.cast(logits, tf.float32)
        last = logits.shape[-1] if logits.shape.rank else None
        if last is not None:
            if last != expected_logits_dimension:
                raise ValueError(f"logits shape must be [D0, D1, ... DN, logits_dimension="
                                 f"{expected_logits_dimension}], got {logits.shape}.")
            return logits
        check = _V1.debugging.assert_equal(
            expected_logits_dimension, tf.shape(logits)[-1],
            message=f"logits shape must be [D0, D1, ... DN, logits_dimension={expected_logits_dimension}]")
        with tf.control_dependencies([check]):
            return tf.identity(logits, name=scope)


def assert_range(labels, n_classes):
    """`labels`, checked at run time to lie in [0, n_classes - 1]."""
    with _V1.name_scope(None, "assert_range", (labels,)):
        checks = (_V1.debugging.assert_less_equal(
                      labels, tf.cast(n_classes - 1, labels.dtype),
                      message="Labels must <= n_classes - 1"),
                  _V1.debugging.assert_non_negative(labels, message="Labels must >= 0"))
        with tf.control_dependencies(checks):
            return tf.identity(labels)


def example_weights(features, weight_column, logits, per_logit_weights=False):
    """The weight_column's values as [D0, ... DN, 1] float32 (1. when there is none)."""
    if weight_column is None:
        return 1.0
    if isinstance(weight_column, str):
        weight_column = _V1.feature_column.numeric_column(key=weight_column, shape=(1,))
    if not isinstance(weight_column, feature_column_v2.DenseColumn):
        raise TypeError("Weight column must be either a string or _DenseColumn. "
                        f"Given type: {type(weight_column)}.")
    with _V1.name_scope(None, "weights", tuple(features.values()) + (logits,)) as scope:
        weights = _V1.feature_column.input_layer(features, [weight_column])
        logits_shape = tf.shape(logits)
        one_weight = tf.reduce_all(tf.equal(tf.concat([logits_shape[:-1], [1]], 0), tf.shape(weights)))
        if per_logit_weights:
            one_weight = tf.logical_or(one_weight, tf.reduce_all(tf.equal(logits_shape, tf.shape(weights))))
        message = "weights shape must be [D0, D1, ... DN] or [D0, D1, ... DN, 1]"
        check = tf.debugging.Assert(one_weight, [message, tf.shape(weights)])
        with tf.control_dependencies([check]):
            return tf.identity(weights, name=scope)


def broadcast_weights(weights, values):
    """`weights` broadcast to `values`' shape (TF1's metrics take them so)."""
    return weights_broadcast_ops.broadcast_weights(weights, values)


def weighted_mean(values, weights, name):
    """tf.metrics.mean of float32 `values` weighted by the examples' weights."""
    values = tf.cast(values, tf.float32)
    return _V1.metrics.mean(values, weights=broadcast_weights(weights, values), name=name)


def loss_mean_metric(loss):
    """`average_loss`: the weighted mean of the per-example losses."""
    return _V1.metrics.mean(loss.unreduced_loss, weights=loss.weights, name=MetricKeys.LOSS_MEAN)


def class_predictions(logits, class_ids, n_classes, label_vocabulary):
    """`class_ids`, `classes` (strings) and the `all_class_ids` / `all_classes` rows."""
    if label_vocabulary:
        table = lookup_ops.index_to_string_table_from_tensor(
            vocabulary_list=label_vocabulary, name="class_string_lookup")
        classes, class_list = table.lookup(class_ids), tf.constant(label_vocabulary)
    else:
        classes = tf.strings.as_string(class_ids, name="str_classes")
        class_list = tf.strings.as_string(tf.range(n_classes))
    rows = [tf.shape(logits)[0], 1]
    return {PredictionKeys.CLASS_IDS: class_ids, PredictionKeys.CLASSES: classes,
            PredictionKeys.ALL_CLASS_IDS: tf.tile(tf.range(n_classes)[tf.newaxis], rows),
            PredictionKeys.ALL_CLASSES: tf.tile(class_list[tf.newaxis], rows)}


def label_ids_from_vocabulary(labels, label_vocabulary):
    """String labels looked up in the vocabulary: their int64 indices (-1 if absent)."""
    if labels.dtype != tf.string:
        raise ValueError("Labels dtype should be string if there is a vocabulary. "
                         f"Instead got {labels.dtype}")
    table = lookup_ops.index_table_from_tensor(vocabulary_list=tuple(label_vocabulary),
                                               name="class_id_lookup")
    return table.lookup(labels)


def _train_op(loss, optimizer, train_op_fn):
    """optimizer.minimize (stepping the global step) or train_op_fn(loss), with UPDATE_OPS."""
    if optimizer is not None and train_op_fn is not None:
        raise ValueError("train_op_fn and optimizer cannot both be set.")
    if optimizer is not None:
        train_op = optimizer.minimize(loss, global_step=_V1.train.get_global_step())
    elif train_op_fn is not None:
        train_op = train_op_fn(loss)
    else:
        raise ValueError("train_op_fn and optimizer cannot both be None.")
    update_ops = _V1.get_collection(_V1.GraphKeys.UPDATE_OPS)
    return tf.group(train_op, *update_ops) if update_ops else train_op


def _add_loss_summaries(training_loss, mean_loss):
    with _V1.name_scope(""):  # the graph's root, as TF1: tags `loss`, `average_loss`
        _V1.summary.scalar(MetricKeys.LOSS, training_loss)
        if mean_loss is not None:
            _V1.summary.scalar(MetricKeys.LOSS_MEAN, mean_loss)
