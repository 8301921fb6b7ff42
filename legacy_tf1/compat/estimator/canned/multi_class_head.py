"""TF 1.x's `_MultiClassHeadWithSoftmaxCrossEntropyLoss` (canned/head.py), n_classes > 2.

Logits [batch, n_classes]; labels integer class ids [batch] or [batch, 1], or
strings from `label_vocabulary`. Predictions: logits, probabilities (softmax),
class_ids, classes, all_class_ids, all_classes. Metrics: accuracy, average_loss.
"""

import tensorflow as tf

from legacy_tf1.compat.estimator.canned import base_head
from legacy_tf1.compat.estimator.canned.metric_keys import MetricKeys
from legacy_tf1.compat.estimator.canned.prediction_keys import PredictionKeys

_V1 = tf.compat.v1


class MultiClassHead(base_head.Head):
    """Softmax cross-entropy over n_classes > 2 classes."""

    def __init__(self, n_classes, weight_column=None, label_vocabulary=None,
                 loss_reduction=_V1.losses.Reduction.SUM):
        if n_classes is None:
            raise ValueError("n_classes cannot be None")
        if n_classes <= 2:
            raise ValueError(f"n_classes must be > 2: {n_classes}.")
        if label_vocabulary is not None and not isinstance(label_vocabulary, (list, tuple)):
            raise ValueError("label_vocabulary should be a list or a tuple. "
                             f"Given type: {type(label_vocabulary)}")
        super().__init__(n_classes, weight_column, loss_reduction)
        self._n_classes = n_classes
        self._label_vocabulary = label_vocabulary

    def _predictions(self, logits):
        class_ids = tf.expand_dims(
            tf.argmax(logits, axis=-1, name=PredictionKeys.CLASS_IDS), axis=-1)
        predictions = {
            PredictionKeys.LOGITS: logits,
            PredictionKeys.PROBABILITIES: tf.nn.softmax(logits, name=PredictionKeys.PROBABILITIES),
        }
        predictions.update(base_head.class_predictions(
            logits, class_ids, self._n_classes, self._label_vocabulary))
        return predictions

    def create_loss(self, features, mode, logits, labels):
        """Per-example softmax cross-entropy [batch, 1], weighted and reduced."""
        del mode  # The same loss in every mode, as TF1.
        labels = base_head.check_labels(labels, logits, 1)
        label_ids = base_head.assert_range(self._label_ids(labels), self._n_classes)
        unweighted_loss = tf.expand_dims(_V1.losses.sparse_softmax_cross_entropy(
            labels=label_ids, logits=logits, reduction=_V1.losses.Reduction.NONE), axis=-1)
        return self.weighted_loss(features, logits, unweighted_loss, label_ids)

    def _label_ids(self, labels):
        if self._label_vocabulary is not None:
            return base_head.label_ids_from_vocabulary(labels, self._label_vocabulary)
        if not labels.dtype.is_integer:
            raise ValueError(f"Labels dtype should be integer. Instead got {labels.dtype}.")
        return labels

    def _eval_metric_ops(self, predictions, loss):
        return {
            MetricKeys.LOSS_MEAN: base_head.loss_mean_metric(loss),
            MetricKeys.ACCURACY: _V1.metrics.accuracy(
                labels=loss.processed_labels, predictions=predictions[PredictionKeys.CLASS_IDS],
                weights=loss.weights, name=MetricKeys.ACCURACY),
        }
