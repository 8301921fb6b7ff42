"""`tf.contrib.seq2seq.sequence_loss` of the compat layer against a NumPy reference of TF 1.15's
definition (weighted per-step softmax cross-entropy, averaged or summed as the flags say),
in a TF1 graph and session; its argument checks; the rest of seq2seq is not provided."""

import numpy as np
import pytest

import legacy_tf1.compat as tf
from legacy_tf1.compat import _not_provided

RNG = np.random.RandomState(0)
LOGITS = RNG.randn(3, 4, 5).astype(np.float32)
TARGETS = RNG.randint(0, 5, (3, 4)).astype(np.int32)
WEIGHTS = np.array([[1, 1, 1, 0], [1, 1, 0, 0], [1, 1, 1, 1]], np.float32)


def reference(average_across_timesteps=True, average_across_batch=True, sum_over_timesteps=False,
              sum_over_batch=False):
    """TF 1.15's sequence_loss in NumPy."""
    shifted = LOGITS - LOGITS.max(axis=2, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=2, keepdims=True))
    crossent = -np.take_along_axis(log_softmax, TARGETS[..., None], axis=2)[..., 0] * WEIGHTS
    if average_across_timesteps and average_across_batch:
        return crossent.sum() / WEIGHTS.sum()
    if sum_over_timesteps and sum_over_batch:
        return crossent.sum() / np.count_nonzero(WEIGHTS)
    if average_across_timesteps or average_across_batch:
        axis = 0 if average_across_batch else 1
        return crossent.sum(axis=axis) / WEIGHTS.sum(axis=axis)
    if sum_over_timesteps or sum_over_batch:
        axis = 0 if sum_over_batch else 1
        return crossent.sum(axis=axis) / np.count_nonzero(WEIGHTS, axis=axis)
    return crossent


FLAGS = [{}, {"average_across_timesteps": False}, {"average_across_batch": False},
         {"average_across_timesteps": False, "average_across_batch": False},
         {"average_across_timesteps": False, "average_across_batch": False, "sum_over_timesteps": True,
          "sum_over_batch": True},
         {"average_across_timesteps": False, "average_across_batch": False, "sum_over_batch": True}]


@pytest.mark.parametrize("flags", FLAGS, ids=lambda flags: ",".join(sorted(flags)) or "default")
def test_sequence_loss_matches_tf_1_15(flags):
    with tf.Graph().as_default():
        loss = tf.contrib.seq2seq.sequence_loss(tf.constant(LOGITS), tf.constant(TARGETS), tf.constant(WEIGHTS),
                                                **flags)
        assert loss.op.name.startswith("sequence_loss/")
        with tf.Session() as session:
            value = session.run(loss)
    np.testing.assert_allclose(value, reference(**flags), rtol=1e-5, atol=1e-6)


def test_sequence_loss_trains_through_its_gradient():
    with tf.Graph().as_default():
        logits = tf.Variable(LOGITS)
        loss = tf.contrib.seq2seq.sequence_loss(logits, TARGETS, WEIGHTS)
        train = tf.train.GradientDescentOptimizer(1.0).minimize(loss)
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            before = session.run(loss)
            session.run(train)
            assert session.run(loss) < before


def test_sequence_loss_refuses_bad_ranks_and_conflicting_flags():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match=r"Logits must be a \[batch_size x sequence_length x logits\]"):
            tf.contrib.seq2seq.sequence_loss(tf.constant(LOGITS[0]), TARGETS, WEIGHTS)
        with pytest.raises(ValueError, match="Weights must be"):
            tf.contrib.seq2seq.sequence_loss(LOGITS, TARGETS, WEIGHTS[0])
        with pytest.raises(ValueError, match="cannot be set to True at same time"):
            tf.contrib.seq2seq.sequence_loss(LOGITS, TARGETS, WEIGHTS, sum_over_batch=True)


def test_the_decoders_are_not_provided():
    with pytest.raises(_not_provided.NotProvidedError, match="tf.contrib.seq2seq.BasicDecoder"):
        tf.contrib.seq2seq.BasicDecoder  # noqa: B018 - the access is the test


@pytest.mark.parametrize("average_across_timesteps", [True, False])
@pytest.mark.parametrize("average_across_batch", [True, False])
def test_legacy_sequence_losses_over_lists_of_steps(average_across_timesteps, average_across_batch):
    steps = range(LOGITS.shape[1])
    with tf.Graph().as_default():
        arguments = ([tf.constant(LOGITS[:, t]) for t in steps], [tf.constant(TARGETS[:, t]) for t in steps],
                     [tf.constant(WEIGHTS[:, t]) for t in steps])
        by_example = tf.contrib.legacy_seq2seq.sequence_loss_by_example(
            *arguments, average_across_timesteps=average_across_timesteps)
        loss = tf.contrib.legacy_seq2seq.sequence_loss(
            *arguments, average_across_timesteps=average_across_timesteps,
            average_across_batch=average_across_batch)
        with tf.Session() as session:
            by_example, loss = session.run([by_example, loss])
    per_example = reference(average_across_timesteps=False, average_across_batch=False).sum(axis=1)
    if average_across_timesteps:
        per_example = per_example / (WEIGHTS.sum(axis=1) + 1e-12)
    np.testing.assert_allclose(by_example, per_example, rtol=1e-5)
    expected = per_example.sum() / (len(per_example) if average_across_batch else 1)
    np.testing.assert_allclose(loss, expected, rtol=1e-5)


def test_legacy_sequence_loss_refuses_lists_of_different_lengths():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="Lengths of logits, weights, and targets must be the same 2, 1, 2"):
            tf.contrib.legacy_seq2seq.sequence_loss_by_example(
                [tf.constant(LOGITS[:, 0])] * 2, [tf.constant(TARGETS[:, 0])] * 2, [tf.constant(WEIGHTS[:, 0])])
