"""TF 1.x's `_RegressionHeadWithMeanSquaredErrorLoss` (canned/head.py).

Logits [batch, label_dimension] are the predictions; labels are cast to float32.
Predictions: `predictions`. Metrics: average_loss, prediction/mean, label/mean.
"""

import tensorflow as tf

from legacy_tf1.compat.estimator.canned import base_head
from legacy_tf1.compat.estimator.canned.metric_keys import MetricKeys
from legacy_tf1.compat.estimator.canned.prediction_keys import PredictionKeys

_V1 = tf.compat.v1


class RegressionHead(base_head.Head):
    """Squared error of `label_dimension` predicted values."""

    def __init__(self, label_dimension=1, weight_column=None,
                 loss_reduction=_V1.losses.Reduction.SUM):
        if label_dimension < 1:
            raise ValueError(f"Invalid label_dimension {label_dimension}.")
        super().__init__(label_dimension, weight_column, loss_reduction)

    def _predictions(self, logits):
        return {PredictionKeys.PREDICTIONS: logits}

    def create_loss(self, features, mode, logits, labels):
        """Per-example squared errors [batch, label_dimension], weighted and reduced."""
        del mode  # The same loss in every mode, as TF1.
        labels = tf.cast(base_head.check_labels(labels, logits, self.logits_dimension), tf.float32)
        unweighted_loss = _V1.losses.mean_squared_error(
            labels=labels, predictions=logits, reduction=_V1.losses.Reduction.NONE)
        return self.weighted_loss(features, logits, unweighted_loss, labels, per_logit_weights=True)

    def _eval_metric_ops(self, predictions, loss):
        return {
            MetricKeys.LOSS_MEAN: base_head.loss_mean_metric(loss),
            MetricKeys.PREDICTION_MEAN: base_head.weighted_mean(
                predictions[PredictionKeys.PREDICTIONS], loss.weights, MetricKeys.PREDICTION_MEAN),
            MetricKeys.LABEL_MEAN: base_head.weighted_mean(
                loss.processed_labels, loss.weights, MetricKeys.LABEL_MEAN),
        }
