"""TF 1.x `canned/linear.py`: `tf.estimator.LinearClassifier` and `LinearRegressor` (v1 classes).

As TF 1.15's v1 classes: the logits are `tf.feature_column.linear_model` of the
feature columns in variable scope `linear` (`linear/linear_model/<column>/weights`,
`linear/linear_model/bias_weights`, zero-initialized, under TF1's min-max
partitioner: `.../weights/part_0` in the graph, `.../weights` in the checkpoint).
The optimizer argument defaults to 'Ftrl', which TF1 built with learning rate
0.2; `optimizer=None` gives TF1's `_get_default_optimizer`, Ftrl with
min(0.2, 1/sqrt(number of feature columns)). The `bias` and
`fraction_of_zero_weights` summaries are written as TF1 did. Not provided:
`tf.estimator.experimental.LinearSDCA` as the optimizer.
"""

import math

import tensorflow as tf

from legacy_tf1.compat.estimator import estimator
from legacy_tf1.compat.estimator.canned import _arguments, dnn, optimizers
from legacy_tf1.compat.estimator.canned import head as head_lib

_V1 = tf.compat.v1
_SUM = _V1.losses.Reduction.SUM
_LEARNING_RATE = 0.2  # TF1's learning rate for the 'Ftrl' name.


def default_optimizer(feature_columns):
    """TF1's `_get_default_optimizer`: Ftrl, min(0.2, 1/sqrt(number of columns))."""
    return _V1.train.FtrlOptimizer(
        learning_rate=min(_LEARNING_RATE, 1.0 / math.sqrt(len(feature_columns))))


def linear_logit_fn_builder(units, feature_columns, sparse_combiner="sum"):
    """A function (features) -> logits [batch, units], built in the current scope."""

    def linear_logit_fn(features):
        columns_to_variables = {}
        with dnn.quiet_legacy_layers():
            logits = _V1.feature_column.linear_model(
                features, feature_columns, units=units, sparse_combiner=sparse_combiner,
                cols_to_vars=columns_to_variables)
        bias = columns_to_variables.pop("bias")
        if units > 1:
            _V1.summary.histogram("bias", bias)
        else:  # a list of one partition holding one value
            _V1.summary.scalar("bias", bias[0][0])
        weights = [part for parts in columns_to_variables.values() for part in parts]
        _V1.summary.scalar("fraction_of_zero_weights", _fraction_of_zero(weights))
        return logits

    return linear_logit_fn


def _fraction_of_zero(variables):
    """The share of zeros among all the variables' values (sparsity of the model)."""
    with _V1.name_scope("zero_fraction"):
        sizes = [tf.cast(tf.size(variable), tf.float32) for variable in variables]
        zeros = [tf.math.zero_fraction(variable) * size for variable, size in zip(variables, sizes)]
        return tf.identity(tf.add_n(zeros) / tf.add_n(sizes), name="zero_fraction_or_nan")


def _linear_model_fn(features, labels, mode, head, feature_columns, optimizer, partitioner,
                     config, sparse_combiner="sum"):
    """TF1's v1 `_linear_model_fn`: linear logits in scope `linear`, then the head's spec."""
    dnn.check_features(features)
    num_ps_replicas = config.num_ps_replicas if config else 0
    partitioner = partitioner or _V1.min_max_variable_partitioner(
        max_partitions=num_ps_replicas, min_slice_size=64 << 20)
    with _V1.variable_scope("linear", values=tuple(features.values()), partitioner=partitioner):
        logits = linear_logit_fn_builder(head.logits_dimension, feature_columns,
                                         sparse_combiner)(features=features)
        optimizer = optimizers.get_optimizer_instance(
            optimizer or default_optimizer(feature_columns), learning_rate=_LEARNING_RATE)
        return head.create_estimator_spec(features=features, mode=mode, labels=labels,
                                          optimizer=optimizer, logits=logits)


def _estimator_model_fn(head, feature_columns, optimizer, partitioner, sparse_combiner):
    """The model_fn a linear Estimator passes to the layer's Estimator."""
    def model_fn(features, labels, mode, config):
        return _linear_model_fn(features, labels, mode, head, feature_columns, optimizer,
                                partitioner, config, sparse_combiner)
    return model_fn


class LinearClassifier(estimator.Estimator):
    """TF1's v1 `tf.estimator.LinearClassifier`: a linear model of the feature columns.

    n_classes == 2 uses the sigmoid head (predictions add `logistic`), more classes
    the softmax head; `label_vocabulary` maps string labels to class ids.
    """

    def __init__(self, feature_columns, model_dir=None, n_classes=2, weight_column=None,
                 label_vocabulary=None, optimizer="Ftrl", config=None, partitioner=None,
                 warm_start_from=None, loss_reduction=_SUM, sparse_combiner="sum"):
        _arguments.reject_unsupported("LinearClassifier", warm_start_from)
        feature_columns = _arguments.check_feature_columns(feature_columns)
        head = head_lib.binary_logistic_or_multi_class_head(
            n_classes, weight_column, label_vocabulary, loss_reduction)
        super().__init__(model_fn=_estimator_model_fn(
            head, feature_columns, optimizer, partitioner, sparse_combiner),
            model_dir=model_dir, config=config)


class LinearRegressor(estimator.Estimator):
    """TF1's v1 `tf.estimator.LinearRegressor`: `label_dimension` values by squared error."""

    def __init__(self, feature_columns, model_dir=None, label_dimension=1, weight_column=None,
                 optimizer="Ftrl", config=None, partitioner=None, warm_start_from=None,
                 loss_reduction=_SUM, sparse_combiner="sum"):
        _arguments.reject_unsupported("LinearRegressor", warm_start_from)
        feature_columns = _arguments.check_feature_columns(feature_columns)
        head = head_lib.regression_head(label_dimension, weight_column, loss_reduction)
        super().__init__(model_fn=_estimator_model_fn(
            head, feature_columns, optimizer, partitioner, sparse_combiner),
            model_dir=model_dir, config=config)
