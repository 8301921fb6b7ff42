"""TF 1.x's `_BinaryLogisticHeadWithSigmoidCrossEntropyLoss` (canned/head.py), n_classes = 2.

One logit per example; labels 0/1 (any number type, or strings from
`label_vocabulary`). Predictions: logits, logistic (sigmoid), probabilities
(softmax of [0, logit]), class_ids, classes, all_class_ids, all_classes. Metrics,
as TF1: accuracy, average_loss, precision, recall, prediction/mean, label/mean,
accuracy_baseline, auc, auc_precision_recall (no `thresholds` metrics: the v1
canned classifiers never set them).
"""

import tensorflow as tf

from legacy_tf1.compat.estimator.canned import base_head
from legacy_tf1.compat.estimator.canned.metric_keys import MetricKeys
from legacy_tf1.compat.estimator.canned.prediction_keys import PredictionKeys

_V1 = tf.compat.v1


class BinaryClassHead(base_head.Head):
    """Sigmoid cross-entropy on a single logit."""

    def __init__(self, weight_column=None, label_vocabulary=None,
                 loss_reduction=_V1.losses.Reduction.SUM):
        if label_vocabulary is not None and not isinstance(label_vocabulary, (list, tuple)):
            raise TypeError("label_vocabulary should be a list or tuple. "
                            f"Given type: {type(label_vocabulary)}")
        super().__init__(1, weight_column, loss_reduction)
        self._label_vocabulary = label_vocabulary

    def _predictions(self, logits):
        two_class_logits = tf.concat((tf.zeros_like(logits), logits), axis=-1,
                                     name="two_class_logits")
        class_ids = tf.expand_dims(
            tf.argmax(two_class_logits, axis=-1, name=PredictionKeys.CLASS_IDS), axis=-1)
        predictions = {
            PredictionKeys.LOGITS: logits,
            PredictionKeys.LOGISTIC: tf.sigmoid(logits, name=PredictionKeys.LOGISTIC),
            PredictionKeys.PROBABILITIES: tf.nn.softmax(
                two_class_logits, name=PredictionKeys.PROBABILITIES),
        }
        predictions.update(base_head.class_predictions(
            logits, class_ids, 2, self._label_vocabulary))
        return predictions

    def create_loss(self, features, mode, logits, labels):
        """Per-example sigmoid cross-entropy [batch, 1], weighted and reduced."""
        del mode  # The same loss in every mode, as TF1.
        labels = base_head.check_labels(labels, logits, 1)
        if self._label_vocabulary is not None:
            labels = base_head.label_ids_from_vocabulary(labels, self._label_vocabulary)
        labels = base_head.assert_range(tf.cast(labels, tf.float32), 2)
        unweighted_loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
        return self.weighted_loss(features, logits, unweighted_loss, labels)

    def _eval_metric_ops(self, predictions, loss):
        labels, weights = loss.processed_labels, loss.weights
        class_ids, logistic = predictions[PredictionKeys.CLASS_IDS], predictions[PredictionKeys.LOGISTIC]
        labels_mean = base_head.weighted_mean(labels, weights, MetricKeys.LABEL_MEAN)
        metrics = {
            MetricKeys.LOSS_MEAN: base_head.loss_mean_metric(loss),
            MetricKeys.ACCURACY: _V1.metrics.accuracy(
                labels, class_ids, weights=weights, name=MetricKeys.ACCURACY),
            MetricKeys.PRECISION: _V1.metrics.precision(
                labels, class_ids, weights=weights, name=MetricKeys.PRECISION),
            MetricKeys.RECALL: _V1.metrics.recall(
                labels, class_ids, weights=weights, name=MetricKeys.RECALL),
            MetricKeys.PREDICTION_MEAN: base_head.weighted_mean(
                logistic, weights, MetricKeys.PREDICTION_MEAN),
            MetricKeys.LABEL_MEAN: labels_mean,
            MetricKeys.ACCURACY_BASELINE: _accuracy_baseline(labels_mean),
            MetricKeys.AUC: _auc(labels, logistic, weights, "ROC", MetricKeys.AUC),
            MetricKeys.AUC_PR: _auc(labels, logistic, weights, "PR", MetricKeys.AUC_PR),
        }
        return metrics


def _accuracy_baseline(labels_mean):
    """max(mean, 1 - mean) of the labels: always predicting the commoner class."""
    value, update_op = labels_mean
    with _V1.name_scope(None, "accuracy_baseline", labels_mean):
        return (tf.maximum(value, 1.0 - value, name="value"),
                tf.maximum(update_op, 1.0 - update_op, name="update_op"))


def _auc(labels, logistic, weights, curve, name):
    """tf.metrics.auc of the logistic predictions (TF1's 200 thresholds, trapezoidal)."""
    weights = base_head.broadcast_weights(weights, logistic)
    return _V1.metrics.auc(labels=labels, predictions=logistic, weights=weights, curve=curve,
                           name=name)
