"""contrib.learn's DataFeeder: NumPy `x`/`y` fed batch by batch into placeholders.

As TF1 (learn_io/data_feeder.py): the feeder builds `input` / `output`
placeholders, and a feed function, run by a FeedFnHook before every step,
gives the next batch. With `shuffle` the order is a permutation from
`np.random.RandomState(42)` (unless a random_state is given), re-drawn each
epoch; the last batch of an epoch is partial. After `epochs` epochs the feed
function raises StopIteration, which ends evaluation or prediction.
"""

import numpy as np
import tensorflow as tf

_V1 = tf.compat.v1


def _get_in_out_shape(x_shape, y_shape, batch_size):
    """Placeholder shapes (batch first) and the batch size (all of x when None)."""
    if batch_size is None:
        batch_size = x_shape[0]
    elif batch_size <= 0:
        raise ValueError(f"Invalid batch_size {batch_size}.")
    input_shape = [batch_size] + (list(x_shape[1:]) if len(x_shape) > 1 else [1])
    if y_shape is None:
        return input_shape, None, batch_size
    label_shape = list(y_shape[1:]) if len(y_shape) > 1 else []
    if label_shape and label_shape[0] == 1:
        label_shape = label_shape[1:]  # TF1 dropped a leading 1: [N, 1] labels feed as [N].
    return input_shape, [batch_size] + label_shape, batch_size


def setup_train_data_feeder(x, y, n_classes=None, batch_size=None, shuffle=True, epochs=None):
    """A DataFeeder for NumPy x and y (n_classes must be None: labels pass through)."""
    if n_classes is not None:
        raise ValueError(f"n_classes={n_classes}: one-hot conversion in the DataFeeder is not "
                         "supported by this layer; expected None (labels passed as given)")
    return DataFeeder(x, y, batch_size=batch_size, shuffle=shuffle, epochs=epochs)


class DataFeeder:
    """Samples batches of NumPy x (and y) for a TF1 trainer."""

    def __init__(self, x, y, batch_size=None, shuffle=True, random_state=None, epochs=None):
        self._x = np.asarray(x)
        self._y = None if y is None else np.asarray(y)
        if self._y is not None and len(self._y) != len(self._x):
            raise ValueError(f"x has {len(self._x)} examples but y has {len(self._y)}")
        self.input_shape, self.output_shape, self._batch_size = _get_in_out_shape(
            self._x.shape, None if self._y is None else self._y.shape, batch_size)
        self.max_epochs = epochs
        self._shuffle = shuffle
        self.random_state = np.random.RandomState(42) if random_state is None else random_state
        self.indices = self._epoch_order()
        self.offset = 0
        self.epoch = 0
        self._input_placeholder = self._output_placeholder = None

    batch_size = property(lambda self: self._batch_size)
    shuffle = property(lambda self: self._shuffle)

    def _epoch_order(self):
        count = len(self._x)
        return self.random_state.permutation(count) if self._shuffle else np.arange(count)

    def input_builder(self):
        """Creates the `input` (and `output`) placeholders; the input_fn of this feeder."""
        self._input_placeholder = _V1.placeholder(
            tf.as_dtype(self._x.dtype), [None] + self.input_shape[1:], name="input")
        if self._y is not None:
            self._output_placeholder = _V1.placeholder(
                tf.as_dtype(self._y.dtype), [None] + self.output_shape[1:], name="output")
        return self._input_placeholder, self._output_placeholder

    def get_feed_dict_fn(self):
        """A function returning the next batch's feed_dict; StopIteration after max_epochs."""
        def feed_dict_fn():
            if self.max_epochs is not None and self.epoch + 1 > self.max_epochs:
                raise StopIteration
            batch_indices = self._next_indices()
            feed_dict = {self._input_placeholder: self._x[batch_indices].reshape(
                [len(batch_indices)] + self.input_shape[1:])}
            if self._output_placeholder is not None:
                feed_dict[self._output_placeholder] = self._y[batch_indices].reshape(
                    [len(batch_indices)] + self.output_shape[1:])
            return feed_dict
        return feed_dict_fn

    def _next_indices(self):
        """The next batch's indices; past the end of an epoch, a new order starts."""
        end = min(len(self._x), self.offset + self._batch_size)
        batch_indices = self.indices[self.offset:end]
        self.offset += self._batch_size
        if self.offset >= len(self._x):
            self.indices = self._epoch_order()
            self.offset = 0
            self.epoch += 1
        return batch_indices
