"""TF 1.x `canned/dnn.py`: `tf.estimator.DNNClassifier` and `DNNRegressor` (the v1 classes).

As TF 1.15's v1 classes: the model is `input_layer` of the feature columns
(variable scope `dnn/input_from_feature_columns`), then one dense layer per
`hidden_units` entry (`dnn/hiddenlayer_<i>/kernel`, `/bias`; glorot-uniform
kernels seeded by the graph seed, zero biases, `activation_fn` default relu,
dropout in training only), then `dnn/logits`. Variables are created under TF1's
min-max partitioner, so in the graph they are `.../kernel/part_0` and in the
checkpoint `.../kernel`, as in TF1. The default optimizer is Adagrad with learning
rate 0.05; the head's loss is reduced with `loss_reduction` (default SUM). The
layers' `fraction_of_zero_values` and `activation` summaries are written as TF1 did.
"""

import contextlib
import warnings

import tensorflow as tf
from tensorflow.python.util import deprecation
from tf_keras.src.legacy_tf_layers import core as legacy_layers

from legacy_tf1.compat.estimator import estimator
from legacy_tf1.compat.estimator import model_fn as model_fn_lib
from legacy_tf1.compat.estimator.canned import _arguments, optimizers
from legacy_tf1.compat.estimator.canned import head as head_lib

_V1 = tf.compat.v1
_SUM = _V1.losses.Reduction.SUM
_LEARNING_RATE = 0.05  # TF1's default for the DNN's Adagrad.


def dnn_logit_fn_builder(units, hidden_units, feature_columns, activation_fn, dropout,
                         input_layer_partitioner):
    """A function (features, mode) -> logits [batch, units], built in the current scope."""
    if not isinstance(units, int):
        raise ValueError(f"units must be an int.  Given type: {type(units)}")

    def dnn_logit_fn(features, mode):
        with quiet_legacy_layers():
            with _V1.variable_scope("input_from_feature_columns", values=tuple(features.values()),
                                    partitioner=input_layer_partitioner):
                net = _V1.feature_column.input_layer(features, feature_columns)
            for layer_id, width in enumerate(hidden_units):
                with _V1.variable_scope(f"hiddenlayer_{layer_id}", values=(net,)) as scope:
                    net = _dense(net, width, activation_fn, scope)
                    if dropout is not None and mode == model_fn_lib.ModeKeys.TRAIN:
                        net = legacy_layers.Dropout(rate=dropout)(net, training=True)
                add_layer_summary(net, scope.name)
            with _V1.variable_scope("logits", values=(net,)) as scope:
                logits = _dense(net, units, None, scope)
            add_layer_summary(logits, scope.name)
        return logits

    return dnn_logit_fn


def _dense(inputs, units, activation, scope):
    """TF1's `core_layers.Dense` whose variables live in `scope` itself (`<scope>/kernel`)."""
    layer = legacy_layers.Dense(units, activation=activation,
                                kernel_initializer=_V1.glorot_uniform_initializer(),
                                name=scope, _scope=scope)
    return layer(inputs)


@contextlib.contextmanager
def quiet_legacy_layers():
    """Hides the notices TF1's canned models never printed (input_layer, `add_variable`)."""
    with warnings.catch_warnings(), deprecation.silence():
        warnings.filterwarnings("ignore", message=r"`layer\.add_variable` is deprecated")
        yield


def add_layer_summary(value, tag):
    _V1.summary.scalar(f"{tag}/fraction_of_zero_values", tf.math.zero_fraction(value))
    _V1.summary.histogram(f"{tag}/activation", value)


def _dnn_model_fn(features, labels, mode, head, hidden_units, feature_columns, optimizer="Adagrad",
                  activation_fn=tf.nn.relu, dropout=None, input_layer_partitioner=None, config=None):
    """TF1's v1 `_dnn_model_fn`: the DNN's logits in scope `dnn`, then the head's spec."""
    optimizer = optimizers.get_optimizer_instance(optimizer, learning_rate=_LEARNING_RATE)
    check_features(features)
    num_ps_replicas = config.num_ps_replicas if config else 0
    partitioner = _V1.min_max_variable_partitioner(max_partitions=num_ps_replicas)
    with _V1.variable_scope("dnn", values=tuple(features.values()), partitioner=partitioner):
        input_layer_partitioner = input_layer_partitioner or _V1.min_max_variable_partitioner(
            max_partitions=num_ps_replicas, min_slice_size=64 << 20)
        logit_fn = dnn_logit_fn_builder(head.logits_dimension, hidden_units, feature_columns,
                                        activation_fn, dropout, input_layer_partitioner)
        logits = logit_fn(features=features, mode=mode)
        return head.create_estimator_spec(features=features, mode=mode, labels=labels,
                                          optimizer=optimizer, logits=logits)


def check_features(features):
    if not isinstance(features, dict):
        raise ValueError(f"features should be a dictionary of `Tensor`s. Given type: {type(features)}")


def _estimator_model_fn(head, hidden_units, feature_columns, optimizer, activation_fn, dropout,
                        input_layer_partitioner):
    """The model_fn a DNN Estimator passes to the layer's Estimator."""
    def model_fn(features, labels, mode, config):
        return _dnn_model_fn(features, labels, mode, head, hidden_units, feature_columns,
                             optimizer, activation_fn, dropout, input_layer_partitioner, config)
    return model_fn


class DNNClassifier(estimator.Estimator):
    """TF1's v1 `tf.estimator.DNNClassifier`: a feed-forward classifier on feature columns.

    n_classes == 2 uses the sigmoid head (predictions add `logistic`), more classes
    the softmax head; `label_vocabulary` maps string labels to class ids.
    """

    def __init__(self, hidden_units, feature_columns, model_dir=None, n_classes=2,
                 weight_column=None, label_vocabulary=None, optimizer="Adagrad",
                 activation_fn=tf.nn.relu, dropout=None, input_layer_partitioner=None,
                 config=None, warm_start_from=None, loss_reduction=_SUM, batch_norm=False):
        _arguments.reject_unsupported("DNNClassifier", warm_start_from, batch_norm)
        hidden_units = _arguments.check_hidden_units(hidden_units)
        feature_columns = _arguments.check_feature_columns(feature_columns)
        head = head_lib.binary_logistic_or_multi_class_head(
            n_classes, weight_column, label_vocabulary, loss_reduction)
        super().__init__(model_fn=_estimator_model_fn(
            head, hidden_units, feature_columns, optimizer, activation_fn, dropout,
            input_layer_partitioner), model_dir=model_dir, config=config)


class DNNRegressor(estimator.Estimator):
    """TF1's v1 `tf.estimator.DNNRegressor`: `label_dimension` values by squared error."""

    def __init__(self, hidden_units, feature_columns, model_dir=None, label_dimension=1,
                 weight_column=None, optimizer="Adagrad", activation_fn=tf.nn.relu, dropout=None,
                 input_layer_partitioner=None, config=None, warm_start_from=None,
                 loss_reduction=_SUM, batch_norm=False):
        _arguments.reject_unsupported("DNNRegressor", warm_start_from, batch_norm)
        hidden_units = _arguments.check_hidden_units(hidden_units)
        feature_columns = _arguments.check_feature_columns(feature_columns)
        head = head_lib.regression_head(label_dimension, weight_column, loss_reduction)
        super().__init__(model_fn=_estimator_model_fn(
            head, hidden_units, feature_columns, optimizer, activation_fn, dropout,
            input_layer_partitioner), model_dir=model_dir, config=config)
