"""TF 1.x `canned/dnn_linear_combined.py`: `tf.estimator.DNNLinearCombinedClassifier`
and `DNNLinearCombinedRegressor` (the v1 classes, "wide & deep").

As TF 1.15: the logits are the sum of a DNN on `dnn_feature_columns` (scope `dnn`,
the variables of dnn.py) and a linear model on `linear_feature_columns` (scope
`linear`, the variables of linear.py); either part may be absent. Each part has its
own optimizer, which updates only that part's variables: by default Adagrad with
learning rate 0.001 for the DNN and Ftrl with min(0.005, 1/sqrt(number of linear
columns)) for the linear part (TF1's `_DNN_LEARNING_RATE`, `_LINEAR_LEARNING_RATE`);
the train op then adds one to the global step.
"""

import collections
import math

import tensorflow as tf

from legacy_tf1.compat.estimator import estimator
from legacy_tf1.compat.estimator.canned import _arguments, dnn, linear, optimizers
from legacy_tf1.compat.estimator.canned import head as head_lib

_V1 = tf.compat.v1
_SUM = _V1.losses.Reduction.SUM
_DNN_LEARNING_RATE = 0.001
_LINEAR_LEARNING_RATE = 0.005

# One part of the model: its logits, its variable scope and the optimizer of its variables.
_Part = collections.namedtuple("_Part", ["logits", "scope", "optimizer"])

# The constructor's arguments that shape the model (the rest go to the head or the Estimator).
Settings = collections.namedtuple("Settings", [
    "linear_feature_columns", "linear_optimizer", "dnn_feature_columns", "dnn_optimizer",
    "dnn_hidden_units", "dnn_activation_fn", "dnn_dropout", "input_layer_partitioner",
    "linear_sparse_combiner"])


def linear_learning_rate(num_linear_feature_columns):
    """TF1's default for the linear part: min(0.005, 1/sqrt(number of linear columns))."""
    return min(_LINEAR_LEARNING_RATE, 1.0 / math.sqrt(num_linear_feature_columns))


def _dnn_part(features, mode, units, settings, num_ps_replicas, input_layer_partitioner):
    optimizer = optimizers.get_optimizer_instance(settings.dnn_optimizer,
                                                  learning_rate=_DNN_LEARNING_RATE)
    partitioner = _V1.min_max_variable_partitioner(max_partitions=num_ps_replicas)
    with _V1.variable_scope("dnn", values=tuple(features.values()),
                            partitioner=partitioner) as scope:
        logit_fn = dnn.dnn_logit_fn_builder(
            units, settings.dnn_hidden_units, settings.dnn_feature_columns,
            settings.dnn_activation_fn, settings.dnn_dropout, input_layer_partitioner)
        return _Part(logit_fn(features=features, mode=mode), scope.name, optimizer)


def _linear_part(features, units, settings, input_layer_partitioner):
    columns = settings.linear_feature_columns
    optimizer = optimizers.get_optimizer_instance(
        settings.linear_optimizer, learning_rate=linear_learning_rate(len(columns)))
    with _V1.variable_scope("linear", values=tuple(features.values()),
                            partitioner=input_layer_partitioner) as scope:
        logits = linear.linear_logit_fn_builder(
            units, columns, settings.linear_sparse_combiner)(features=features)
        dnn.add_layer_summary(logits, scope.name)
        return _Part(logits, scope.name, optimizer)


def _train_op_fn(parts):
    """Each part's optimizer minimizes the loss over its own variables; then step + 1."""
    def train_op_fn(loss):
        train_ops = [part.optimizer.minimize(loss, var_list=_V1.get_collection(
            _V1.GraphKeys.TRAINABLE_VARIABLES, scope=part.scope)) for part in parts]
        with tf.control_dependencies([tf.group(*train_ops)]):
            return _V1.assign_add(_V1.train.get_global_step(), 1).op
    return train_op_fn


def _dnn_linear_combined_model_fn(features, labels, mode, head, settings, config):
    """TF1's `_dnn_linear_combined_model_fn`: both parts' logits summed, then the head's spec."""
    dnn.check_features(features)
    num_ps_replicas = config.num_ps_replicas if config else 0
    input_layer_partitioner = settings.input_layer_partitioner or \
        _V1.min_max_variable_partitioner(max_partitions=num_ps_replicas, min_slice_size=64 << 20)
    parts = []
    if settings.dnn_feature_columns:
        parts.append(_dnn_part(features, mode, head.logits_dimension, settings, num_ps_replicas,
                               input_layer_partitioner))
    if settings.linear_feature_columns:
        parts.append(_linear_part(features, head.logits_dimension, settings,
                                  input_layer_partitioner))
    logits = parts[0].logits if len(parts) == 1 else parts[0].logits + parts[1].logits
    return head.create_estimator_spec(features=features, mode=mode, labels=labels,
                                      train_op_fn=_train_op_fn(parts), logits=logits)


def _checked_settings(settings):
    """The Settings with tuples of columns and widths; ValueError as TF1 for missing parts."""
    linear_columns = tuple(settings.linear_feature_columns or ())
    dnn_columns = tuple(settings.dnn_feature_columns or ())
    if not linear_columns and not dnn_columns:
        raise ValueError("Either linear_feature_columns or dnn_feature_columns must be defined.")
    hidden_units = settings.dnn_hidden_units
    if dnn_columns:
        if not hidden_units:
            raise ValueError("dnn_hidden_units must be defined when dnn_feature_columns is specified.")
        hidden_units = _arguments.check_hidden_units(hidden_units, "dnn_hidden_units")
    return settings._replace(linear_feature_columns=linear_columns,
                             dnn_feature_columns=dnn_columns, dnn_hidden_units=hidden_units)


def _estimator_model_fn(head, settings):
    def model_fn(features, labels, mode, config):
        return _dnn_linear_combined_model_fn(features, labels, mode, head, settings, config)
    return model_fn


class DNNLinearCombinedClassifier(estimator.Estimator):
    """TF1's v1 `tf.estimator.DNNLinearCombinedClassifier` (wide & deep classifier)."""

    def __init__(self, model_dir=None, linear_feature_columns=None, linear_optimizer="Ftrl",
                 dnn_feature_columns=None, dnn_optimizer="Adagrad", dnn_hidden_units=None,
                 dnn_activation_fn=tf.nn.relu, dnn_dropout=None, n_classes=2, weight_column=None,
                 label_vocabulary=None, input_layer_partitioner=None, config=None,
                 warm_start_from=None, loss_reduction=_SUM, batch_norm=False,
                 linear_sparse_combiner="sum"):
        _arguments.reject_unsupported("DNNLinearCombinedClassifier", warm_start_from, batch_norm)
        settings = _checked_settings(Settings(
            linear_feature_columns, linear_optimizer, dnn_feature_columns, dnn_optimizer,
            dnn_hidden_units, dnn_activation_fn, dnn_dropout, input_layer_partitioner,
            linear_sparse_combiner))
        head = head_lib.binary_logistic_or_multi_class_head(
            n_classes, weight_column, label_vocabulary, loss_reduction)
        super().__init__(model_fn=_estimator_model_fn(head, settings), model_dir=model_dir,
                         config=config)


class DNNLinearCombinedRegressor(estimator.Estimator):
    """TF1's v1 `tf.estimator.DNNLinearCombinedRegressor` (wide & deep regressor)."""

    def __init__(self, model_dir=None, linear_feature_columns=None, linear_optimizer="Ftrl",
                 dnn_feature_columns=None, dnn_optimizer="Adagrad", dnn_hidden_units=None,
                 dnn_activation_fn=tf.nn.relu, dnn_dropout=None, label_dimension=1,
                 weight_column=None, input_layer_partitioner=None, config=None,
                 warm_start_from=None, loss_reduction=_SUM, batch_norm=False,
                 linear_sparse_combiner="sum"):
        _arguments.reject_unsupported("DNNLinearCombinedRegressor", warm_start_from, batch_norm)
        settings = _checked_settings(Settings(
            linear_feature_columns, linear_optimizer, dnn_feature_columns, dnn_optimizer,
            dnn_hidden_units, dnn_activation_fn, dnn_dropout, input_layer_partitioner,
            linear_sparse_combiner))
        head = head_lib.regression_head(label_dimension, weight_column, loss_reduction)
        super().__init__(model_fn=_estimator_model_fn(head, settings), model_dir=model_dir,
                         config=config)
