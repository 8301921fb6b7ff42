"""`tf.contrib.learn.Estimator`, built on this layer's `tf.estimator.Estimator`.

The contrib API (fit / evaluate / predict with NumPy `x`, `y`, `batch_size`,
`monitors`, `metrics` of MetricSpecs) is translated into tf.estimator calls:
`x`/`y` go through contrib's DataFeeder and a FeedFnHook, the model_fn's
ModelFnOps become an EstimatorSpec. As TF1: fit shuffles (RandomState(42))
and repeats the data forever; evaluate and predict go through it once, in
order, by default in one batch of all of `x`. Checkpoints, logs and hooks are
the tf.estimator ones, which TF1's contrib Estimator also matched.
"""

import numpy as np
import tensorflow as tf

from legacy_tf1.compat.contrib.learn.python.learn import metric_spec
from legacy_tf1.compat.contrib.learn.python.learn.estimators import model_fn as model_fn_lib
from legacy_tf1.compat.contrib.learn.python.learn.learn_io import data_feeder
from legacy_tf1.compat.estimator import estimator as core_estimator
from legacy_tf1.compat.estimator import function_calls

_V1 = tf.compat.v1


class NotFittedError(ValueError, AttributeError):
    """evaluate or predict before any checkpoint exists (TF1's sklearn-style error)."""


class Estimator:
    """contrib.learn's Estimator for a model_fn returning ModelFnOps (or a 3-tuple)."""

    def __init__(self, model_fn=None, model_dir=None, config=None, params=None,
                 feature_engineering_fn=None):
        if model_fn is None:
            raise ValueError("model_fn must be provided to Estimator.")
        # contrib.learn, unlike tf.estimator, did not require an argument named `features`.
        function_calls.verify_params_argument(model_fn, params)
        self._model_fn = model_fn
        self.params = params
        self._feature_engineering_fn = feature_engineering_fn or _unchanged
        # Metrics are an argument of each evaluate() call in contrib.learn, while a
        # tf.estimator model_fn is fixed at construction: evaluate() sets them here.
        self._evaluation_metrics = None
        self._core = core_estimator.Estimator(self._core_model_fn, model_dir=model_dir, config=config)

    model_dir = property(lambda self: self._core.model_dir)
    config = property(lambda self: self._core.config)

    def fit(self, x=None, y=None, input_fn=None, steps=None, batch_size=None, monitors=None,
            max_steps=None):
        """Trains on x/y (shuffled, repeated) or input_fn for `steps` or up to `max_steps`."""
        if steps is not None and max_steps is not None:
            raise ValueError(f"Can not provide both steps ({steps}) and max_steps ({max_steps}).")
        input_fn, input_hooks = _input_fn_and_hooks(
            x, y, input_fn, None, batch_size, shuffle=True, epochs=None)
        self._core.train(input_fn, hooks=list(monitors or []) + input_hooks, steps=steps,
                         max_steps=max_steps)
        return self

    def evaluate(self, x=None, y=None, input_fn=None, feed_fn=None, batch_size=None, steps=None,
                 metrics=None, name=None, checkpoint_path=None, hooks=None):
        """Runs `metrics` (name -> MetricSpec) once over the data; adds `loss` and `global_step`."""
        if metrics is not None and not isinstance(metrics, dict):
            raise ValueError(f"Metrics argument should be None or dict. Got {metrics}.")
        input_fn, input_hooks = _input_fn_and_hooks(x, y, input_fn, feed_fn, batch_size)
        checkpoint_path = checkpoint_path or self._require_checkpoint()
        self._evaluation_metrics = metrics
        try:
            return self._core.evaluate(input_fn, steps=steps, hooks=list(hooks or []) + input_hooks,
                                       checkpoint_path=checkpoint_path, name=name)
        finally:
            self._evaluation_metrics = None

    def predict(self, x=None, input_fn=None, batch_size=None, outputs=None, as_iterable=True,
                iterate_batches=False):
        """Predictions per example (as_iterable) or as arrays; `outputs` picks dict keys."""
        input_fn, input_hooks = _input_fn_and_hooks(x, None, input_fn, None, batch_size)
        self._require_checkpoint()
        batches = self._core.predict(input_fn, predict_keys=outputs or None, hooks=input_hooks,
                                     yield_single_examples=as_iterable and not iterate_batches)
        if as_iterable:
            return batches
        if x is None:
            return next(iter(batches))  # TF1 ran input_fn's first batch only.
        return _concatenate(list(batches))

    def get_variable_value(self, name):
        """A variable's value from the latest checkpoint."""
        return self._core.get_variable_value(name)

    def get_variable_names(self):
        """Names of the variables in the latest checkpoint."""
        return self._core.get_variable_names()

    def _require_checkpoint(self):
        path = self._core.latest_checkpoint()
        if not path:
            raise NotFittedError(f"Couldn't find trained model at {self.model_dir}.")
        return path

    def _core_model_fn(self, features, labels, mode, config):
        """The tf.estimator model_fn: contrib's ModelFnOps, plus evaluate()'s metrics."""
        features, labels = self._feature_engineering_fn(features, labels)
        model_fn_ops = self._call_model_fn(features, labels, mode, config)
        if mode == model_fn_lib.ModeKeys.EVAL and self._evaluation_metrics:
            model_fn_ops.eval_metric_ops.update(_make_metrics_ops(
                self._evaluation_metrics, features, labels, model_fn_ops.predictions))
        return model_fn_ops.estimator_spec()

    def _call_model_fn(self, features, labels, mode, config):
        """model_fn(features, labels, [mode], [params], [config], [model_dir]) as ModelFnOps."""
        arguments = function_calls.fn_args(self._model_fn)
        offered = {"mode": mode, "params": self.params, "config": config,
                   "model_dir": self.model_dir}
        keywords = {name: value for name, value in offered.items() if name in arguments}
        results = self._model_fn(features, labels, **keywords)
        if isinstance(results, model_fn_lib.ModelFnOps):
            return results
        if not isinstance(results, (tuple, list)) or len(results) != 3:
            raise ValueError("Unrecognized value returned by model_fn, please return ModelFnOps "
                             f"or (predictions, loss, train_op); got {results!r}")
        predictions, loss, train_op = results
        return model_fn_lib.ModelFnOps(mode=mode, predictions=predictions, loss=loss,
                                       train_op=train_op)


def _unchanged(features, labels):
    """The default feature_engineering_fn."""
    return features, labels


def _input_fn_and_hooks(x, y, input_fn, feed_fn, batch_size, shuffle=False, epochs=1):
    """(input_fn, hooks) for NumPy x/y through a DataFeeder, or the given input_fn."""
    if input_fn is None:
        if x is None:
            raise ValueError("Either x or input_fn must be provided.")
        if tf.is_tensor(x) or (y is not None and tf.is_tensor(y)):
            raise ValueError("Inputs cannot be tensors. Please provide input_fn.")
        if feed_fn is not None:
            raise ValueError("Can not provide both feed_fn and x or y.")
        feeder = data_feeder.setup_train_data_feeder(
            x, y, n_classes=None, batch_size=batch_size, shuffle=shuffle, epochs=epochs)
        return feeder.input_builder, [_V1.train.FeedFnHook(feeder.get_feed_dict_fn())]
    if x is not None or y is not None:
        raise ValueError("Can not provide both input_fn and x or y.")
    if batch_size is not None:
        raise ValueError(f"Can not provide both input_fn and batch_size ({batch_size}).")
    return input_fn, [_V1.train.FeedFnHook(feed_fn)] if feed_fn else []


def _make_metrics_ops(metrics, features, labels, predictions):
    """{name: metric ops} for MetricSpecs or bare metric functions (single-tensor predictions)."""
    results = {}
    for name, metric in sorted(metrics.items()):  # Sorted: the same graph every run.
        if isinstance(metric, metric_spec.MetricSpec):
            results[name] = metric.create_metric_ops(features, labels, predictions)
        elif isinstance(predictions, dict):
            raise ValueError(f"Metric {name!r} is a bare function but predictions are a dict "
                             f"({sorted(predictions)}); use a MetricSpec with a prediction_key.")
        else:
            results[name] = metric(predictions, labels)
    return results


def _concatenate(batches):
    """Batches of predictions (arrays or dicts of arrays) joined along the batch axis."""
    if batches and isinstance(batches[0], dict):
        return {key: np.concatenate([batch[key] for batch in batches]) for key in batches[0]}
    return np.concatenate(batches)
