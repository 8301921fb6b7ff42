"""TF 1.x `tf.contrib.layers` summaries (`contrib/layers/python/layers/summaries.py`).

`summarize_tensor` writes a scalar summary for a scalar tensor and a histogram
for any other (string and boolean tensors get none), tagged `<op name>_summary`
unless a tag is given; `summarize_activation` adds, for ReLU-like activations,
the fraction of zeros (`<op name>/zeros`, and `/sixes` for ReLU6) and a
histogram `<op name>/activation`. The summaries go to the SUMMARIES collection,
so `tf.summary.merge_all()` picks them up.
"""

import functools
import re

import tensorflow as _tensorflow

_V1 = _tensorflow.compat.v1

_RELU_LIKE = ("Relu", "Softplus", "Relu6")


def _add_scalar_summary(tensor, tag=None):
    tensor.shape.assert_has_rank(0)
    return _V1.summary.scalar(tag or f"{tensor.op.name}_summary", tensor)


def _add_histogram_summary(tensor, tag=None):
    return _V1.summary.histogram(tag or f"{tensor.op.name}_summary", tensor)


def _fraction(condition):
    return _V1.reduce_mean(_V1.cast(condition, _tensorflow.float32))


def summarize_activation(op):
    """Histogram of an activation, plus its fraction of zeros for ReLU, Softplus, ReLU6."""
    pre_activation = op.op.inputs[0] if op.op.type in _RELU_LIKE else None
    if pre_activation is not None:
        # The inputs, not the outputs, are compared: no floating point equality needed.
        zero = _V1.cast(0.0, pre_activation.dtype)
        _add_scalar_summary(_fraction(_V1.less(pre_activation, zero)), f"{op.op.name}/zeros")
    if op.op.type == "Relu6":
        six = _V1.cast(6.0, pre_activation.dtype)
        _add_scalar_summary(_fraction(_V1.greater(pre_activation, six)), f"{op.op.name}/sixes")
    return _add_histogram_summary(op, f"{op.op.name}/activation")


def summarize_tensor(tensor, tag=None):
    """A scalar summary for a scalar, a histogram otherwise; None for string and bool tensors."""
    if (tensor.dtype.is_compatible_with(_tensorflow.string)
            or tensor.dtype.base_dtype == _tensorflow.bool):
        return None
    if tensor.shape.ndims == 0:
        return _add_scalar_summary(tensor, tag)
    # An unknown rank lands here too: a histogram of a scalar does no harm.
    return _add_histogram_summary(tensor, tag)


def summarize_tensors(tensors, summarizer=summarize_tensor):
    """`summarizer(tensor)` for each tensor: the list of summary ops."""
    return [summarizer(tensor) for tensor in tensors]


def summarize_collection(collection, name_filter=None, summarizer=summarize_tensor):
    """Summarizes the tensors of a graph collection whose op names match `name_filter`."""
    tensors = [tensor for tensor in _V1.get_collection(collection)
               if name_filter is None or re.match(name_filter, tensor.op.name)]
    return summarize_tensors(tensors, summarizer)


summarize_variables = functools.partial(summarize_collection, _V1.GraphKeys.GLOBAL_VARIABLES)
summarize_weights = functools.partial(summarize_collection, _V1.GraphKeys.WEIGHTS)
summarize_biases = functools.partial(summarize_collection, _V1.GraphKeys.BIASES)


def summarize_activations(name_filter=None, summarizer=summarize_activation):
    """Summarizes the ACTIVATIONS collection with `summarize_activation`."""
    return summarize_collection(_V1.GraphKeys.ACTIVATIONS, name_filter, summarizer)
