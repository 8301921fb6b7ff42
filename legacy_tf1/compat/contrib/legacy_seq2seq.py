"""TF 1.x `tf.contrib.legacy_seq2seq`, its losses only: `sequence_loss_by_example` and
`sequence_loss` over lists of per-step [batch, classes] logits, as char-rnn programs of the
TF 1.0 era called them (`legacy_seq2seq.sequence_loss_by_example([logits], [targets],
[weights])`). Written here on `tf.compat.v1` as TF 1.15 computed them: each step's sparse
softmax cross-entropy times its weight, summed over the steps, divided by the summed weights
(plus 1e-12) with `average_across_timesteps`; `sequence_loss` sums that over the batch and
divides by the batch size with `average_across_batch`. The decoders (rnn_decoder,
embedding_attention_seq2seq, ...) are not provided.
"""

import tensorflow as _tensorflow

from legacy_tf1.compat._not_provided import module_getattr as _module_getattr

_V1 = _tensorflow.compat.v1


def sequence_loss_by_example(logits, targets, weights, average_across_timesteps=True,
                             softmax_loss_function=None, name=None):
    """The weighted cross-entropy of each example over the steps: a [batch] tensor."""
    if len(targets) != len(logits) or len(weights) != len(logits):
        raise ValueError("Lengths of logits, weights, and targets must be the same "
                         f"{len(logits)}, {len(weights)}, {len(targets)}.")
    with _V1.name_scope(name, "sequence_loss_by_example", logits + targets + weights):
        log_perp_list = []
        for logit, target, weight in zip(logits, targets, weights):
            if softmax_loss_function is None:
                crossent = _V1.nn.sparse_softmax_cross_entropy_with_logits(
                    labels=_V1.reshape(target, [-1]), logits=logit)
            else:
                crossent = softmax_loss_function(labels=target, logits=logit)
            log_perp_list.append(crossent * weight)
        log_perps = _V1.add_n(log_perp_list)
        if average_across_timesteps:
            log_perps /= _V1.add_n(weights) + 1e-12
    return log_perps


def sequence_loss(logits, targets, weights, average_across_timesteps=True, average_across_batch=True,
                  softmax_loss_function=None, name=None):
    """sequence_loss_by_example summed over the batch (divided by its size by default): a scalar."""
    with _V1.name_scope(name, "sequence_loss", logits + targets + weights):
        cost = _V1.reduce_sum(sequence_loss_by_example(
            logits, targets, weights, average_across_timesteps=average_across_timesteps,
            softmax_loss_function=softmax_loss_function))
        if average_across_batch:
            return cost / _V1.cast(_V1.shape(targets[0])[0], cost.dtype)
        return cost


__getattr__ = _module_getattr(
    "tf.contrib.legacy_seq2seq", "its tf.contrib.legacy_seq2seq supplies sequence_loss and "
    "sequence_loss_by_example only (no decoders)")


def __dir__():
    return sorted(name for name in globals() if not name.startswith("_"))
