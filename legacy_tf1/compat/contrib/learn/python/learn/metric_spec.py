"""`tf.contrib.learn.MetricSpec`: which prediction, label and weight a metric function gets.

As TF1, the metric function's own argument names decide how it is called: a
`labels`-like and a `predictions`-like argument are passed by name (so both
`tf.metrics.accuracy(labels, predictions)` and old
`streaming_accuracy(predictions, labels)` work); without names, predictions go
first positionally.
"""

from legacy_tf1.compat.estimator import function_calls

_LABELS_ARGUMENTS = ("labels", "label", "targets", "target")
_PREDICTIONS_ARGUMENTS = ("predictions", "prediction", "logits", "logit")
_WEIGHTS_ARGUMENTS = ("weights", "weight")


def _matching_argument(function_name, arguments, candidates, is_required=False):
    """The one argument of `arguments` among `candidates` (None if none)."""
    matches = [name for name in arguments if name in candidates]
    if len(matches) > 1:
        raise ValueError(f"Ambiguous arguments {matches} of {function_name}, "
                         f"must provide only one of {list(candidates)}.")
    if not matches and is_required:
        raise ValueError(f"{list(candidates)} missing from {function_name}({', '.join(arguments)}).")
    return matches[0] if matches else None


def _adapt_metric_fn(metric_fn, is_labels_required, is_weights_required):
    """metric_fn as a function of named `labels`, `predictions`, `weights` (TF1 rules)."""
    name = getattr(metric_fn, "__name__", str(metric_fn))
    arguments = function_calls.fn_args(metric_fn)
    labels_name = _matching_argument(name, arguments, _LABELS_ARGUMENTS, is_labels_required)
    predictions_name = _matching_argument(name, arguments, _PREDICTIONS_ARGUMENTS)
    weights_name = _matching_argument(name, arguments, _WEIGHTS_ARGUMENTS, is_weights_required)

    def adapted(labels=None, predictions=None, weights=None):
        keywords = {} if weights is None else {weights_name: weights}
        positional = []
        if labels_name and not predictions_name and labels_name == arguments[0]:
            positional = [labels, predictions]  # labels first, predictions unnamed: both positional
        else:
            if labels_name:
                keywords[labels_name] = labels
            if predictions_name:
                keywords[predictions_name] = predictions
            else:
                positional = [predictions]
        return metric_fn(*positional, **keywords)

    return adapted


class MetricSpec:
    """Connects a metric function to a model's predictions, labels and weights."""

    def __init__(self, metric_fn, prediction_key=None, label_key=None, weight_key=None):
        self._metric_fn_name = getattr(metric_fn, "__name__", str(metric_fn))
        self._metric_fn = _adapt_metric_fn(metric_fn, label_key is not None, weight_key is not None)
        self._prediction_key = prediction_key
        self._label_key = label_key
        self._weight_key = weight_key

    prediction_key = property(lambda self: self._prediction_key)
    label_key = property(lambda self: self._label_key)
    weight_key = property(lambda self: self._weight_key)
    metric_fn = property(lambda self: self._metric_fn)

    def __str__(self):
        return (f"MetricSpec(metric_fn={self._metric_fn_name}, prediction_key={self.prediction_key}, "
                f"label_key={self.label_key}, weight_key={self.weight_key})")

    def create_metric_ops(self, inputs, labels, predictions):
        """metric_fn(labels=labels[label_key], predictions=predictions[prediction_key], ...)."""
        prediction = _select("prediction", predictions, self.prediction_key)
        label = _select("label", labels, self.label_key)
        weights = None if self.weight_key is None else inputs[self.weight_key]
        return self.metric_fn(labels=label, predictions=prediction, weights=weights)


def _select(name, dict_or_tensor, key):
    """dict_or_tensor[key]; or the tensor itself / the single entry when key is None."""
    if key:
        if not isinstance(dict_or_tensor, dict):
            raise ValueError(f"MetricSpec with {name}_key specified requires {name}s dict, "
                             f"got {dict_or_tensor}")
        if key not in dict_or_tensor:
            raise KeyError(f"Key {key!r} missing from {sorted(dict_or_tensor)}.")
        return dict_or_tensor[key]
    if isinstance(dict_or_tensor, dict):
        if len(dict_or_tensor) != 1:
            raise ValueError(f"MetricSpec without specified {name}_key requires {name}s tensor "
                             f"or single element dict, got {dict_or_tensor}")
        return next(iter(dict_or_tensor.values()))
    return dict_or_tensor
