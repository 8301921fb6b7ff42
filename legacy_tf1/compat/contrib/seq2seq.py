"""TF 1.x `tf.contrib.seq2seq`, as far as char-RNN and language-model tutorials used it:
`sequence_loss`, the weighted softmax cross-entropy over [batch, time, classes] logits.

Written here on `tf.compat.v1` as TF 1.15 computed it (same ops, same name scope
`sequence_loss`): sparse softmax cross-entropy of each step, times `weights`, then
summed over time and/or batch and divided by the summed weights where
`average_across_timesteps` / `average_across_batch` ask; `sum_over_timesteps` /
`sum_over_batch` divide by the count of non-zero weights instead (div_no_nan both). The decoders
(BasicDecoder, dynamic_decode, attention wrappers, beam search) are not provided.
"""

import tensorflow as _tensorflow

from legacy_tf1.compat._not_provided import module_getattr as _module_getattr

_V1 = _tensorflow.compat.v1


def _check_ranks(logits, targets, weights):
    """TF 1.15's argument checks: logits rank 3, targets and weights rank 2."""
    if len(logits.get_shape()) != 3:
        raise ValueError(f"Logits must be a [batch_size x sequence_length x logits] tensor, "
                         f"got shape {logits.get_shape()}")
    if len(targets.get_shape()) != 2:
        raise ValueError(f"Targets must be a [batch_size x sequence_length] tensor, got shape "
                         f"{targets.get_shape()}")
    if len(weights.get_shape()) != 2:
        raise ValueError(f"Weights must be a [batch_size x sequence_length] tensor, got shape "
                         f"{weights.get_shape()}")


def _check_flags(average_across_timesteps, average_across_batch, sum_over_timesteps, sum_over_batch):
    if average_across_timesteps and sum_over_timesteps:
        raise ValueError("average_across_timesteps and sum_over_timesteps cannot be set to True at same time.")
    if average_across_batch and sum_over_batch:
        raise ValueError("average_across_batch and sum_over_batch cannot be set to True at same time.")


def _reduced(crossent, weights, axis, by_count):
    """`crossent` summed over `axis` (None: all), divided by the weights' sum there, or with
    `by_count` by the count of non-zero weights (div_no_nan: 0 where there are none)."""
    crossent = _V1.reduce_sum(crossent, axis=axis)
    if by_count:
        total = _V1.cast(_V1.count_nonzero(weights, axis=axis), crossent.dtype)
    else:
        total = _V1.reduce_sum(weights, axis=axis)
    return _V1.div_no_nan(crossent, total)


def _reduce(crossent, logits, weights, averages, sums):
    """TF 1.15's reduction, quirks kept: with one average flag on, the other axis' sum flag is
    ignored. `averages`/`sums`: (across timesteps, across batch)."""
    if all(averages):
        return _reduced(crossent, weights, None, False)
    if all(sums):
        return _reduced(crossent, weights, None, True)
    crossent = _V1.reshape(crossent, _V1.shape(logits)[0:2])
    if any(averages):
        return _reduced(crossent, weights, [0] if averages[1] else [1], False)
    if any(sums):
        return _reduced(crossent, weights, [0] if sums[1] else [1], True)
    return crossent


def sequence_loss(logits, targets, weights, average_across_timesteps=True, average_across_batch=True,
                  sum_over_timesteps=False, sum_over_batch=False, softmax_loss_function=None, name=None):
    """Weighted cross-entropy loss for a sequence of logits (TF 1.15's contract): a scalar when
    both averages (or sums) are on, [batch] or [time] with one, [batch, time] with neither."""
    logits, targets = _V1.convert_to_tensor(logits), _V1.convert_to_tensor(targets)
    weights = _V1.convert_to_tensor(weights, dtype=logits.dtype)
    _check_ranks(logits, targets, weights)
    _check_flags(average_across_timesteps, average_across_batch, sum_over_timesteps, sum_over_batch)
    with _V1.name_scope(name, "sequence_loss", [logits, targets, weights]):
        num_classes = _V1.shape(logits)[2]
        logits_flat = _V1.reshape(logits, [-1, num_classes])
        targets = _V1.reshape(targets, [-1])
        if softmax_loss_function is None:
            crossent = _V1.nn.sparse_softmax_cross_entropy_with_logits(labels=targets, logits=logits_flat)
        else:
            crossent = softmax_loss_function(labels=targets, logits=logits_flat)
        crossent *= _V1.reshape(weights, [-1])
        return _reduce(crossent, logits, weights, (average_across_timesteps, average_across_batch),
                       (sum_over_timesteps, sum_over_batch))


__getattr__ = _module_getattr(
    "tf.contrib.seq2seq", "its tf.contrib.seq2seq supplies sequence_loss only (no decoders, "
    "attention wrappers or beam search)")


def __dir__():
    return sorted(name for name in globals() if not name.startswith("_"))
