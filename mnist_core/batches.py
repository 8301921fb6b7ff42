"""Batch order as TF1's `DataSet.next_batch` produced it, shared by both sides.

The TF1 DataSet permutes the whole set on the first call and, when a batch runs
past the end of an epoch, keeps the leftover tail, reshuffles, and stitches the
tail to the head of the new order. `EpochSampler` reproduces that on indices, so
the legacy `DataSet` and the Keras `tf.data` pipeline draw identical batches.
"""

import numpy as np


class EpochSampler:
    """Yields index batches with TF1 `next_batch` semantics."""

    def __init__(self, num_examples, seed=None):
        if num_examples < 0:
            raise ValueError(f"num_examples={num_examples}; expected >= 0")
        self.num_examples = num_examples
        self.epochs_completed = 0
        self.index_in_epoch = 0
        # A private generator (TF1 seeded NumPy's global one) so two sets don't interfere.
        self._random = np.random.RandomState(seed)
        self._order = np.arange(num_examples)

    def next_indices(self, batch_size, shuffle=True):
        """Indices of the next batch of `batch_size` examples."""
        if batch_size < 1:
            raise ValueError(f"batch_size={batch_size}; expected >= 1")
        if self.num_examples == 0:
            raise ValueError("next batch of an empty data set (validation_size=0?)")
        start = self.index_in_epoch
        if self.epochs_completed == 0 and start == 0 and shuffle:
            self._order = self._random.permutation(self.num_examples)
        if start + batch_size <= self.num_examples:
            self.index_in_epoch += batch_size
            return self._order[start:self.index_in_epoch]
        # Past the end: finish the epoch, reshuffle, stitch the tail to the new head.
        self.epochs_completed += 1
        rest = self._order[start:]
        if shuffle:
            self._order = self._random.permutation(self.num_examples)
        self.index_in_epoch = batch_size - len(rest)
        return np.concatenate([rest, self._order[:self.index_in_epoch]])


def batch_order(num_examples, batch_size, steps, seed):
    """[steps, batch_size] indices: the batches `next_batch` gives for `seed`."""
    sampler = EpochSampler(num_examples, seed=seed)
    return np.stack([sampler.next_indices(batch_size) for _ in range(steps)])
