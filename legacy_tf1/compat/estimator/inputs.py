"""`tf.estimator.inputs.numpy_input_fn`, on tf.data instead of TF1's queues.

TF1 fed the arrays from a Python thread into a (RandomShuffle)Queue. Here the
pipeline is tf.data built inside the Estimator's graph, with the same batches
and epochs semantics:

- `num_epochs=None` repeats forever with full batches (TF1's `dequeue_many`);
  a number ends the input after that many epochs, with a partial last batch
  (`dequeue_up_to`), and then `OutOfRangeError` ends train/evaluate/predict.
- `shuffle=True` permutes the examples anew in every epoch, seeded by the
  graph seed (`RunConfig.tf_random_seed`). Deviation: TF1's queue mixed only
  within `queue_capacity` examples, and across epoch boundaries.
- Features and labels of a batch are gathered with the same indices, so they
  stay paired under shuffling.
- `queue_capacity` becomes the prefetch buffer (in batches), `num_threads` the
  parallelism of the gathering step (whose output order is kept).

The arrays stay in Python, as in TF1: the graph holds only the index pipeline
and a `numpy_function` that gathers a batch, so checkpoints and `graph.pbtxt`
do not embed the data.
"""

import numpy as np
import tensorflow as tf

_V1 = tf.compat.v1

# TF1's internal keys for an `x` or `y` given as a single array.
_DIRECT_FEATURE_KEY = "__direct_np_input__"
_DIRECT_LABEL_KEY = "__target_key__"


def numpy_input_fn(x, y=None, batch_size=128, num_epochs=1, shuffle=None,
                   queue_capacity=1000, num_threads=1):
    """An input_fn returning (features, labels) batches of the NumPy `x` and `y`.

    x: an array or a dict of arrays (then features is a dict); y: an array, a dict
    of arrays, or None. `shuffle` must be given explicitly, as in TF1.
    """
    if not isinstance(shuffle, bool):
        raise ValueError(
            "shuffle must be provided and explicitly set as boolean (it is recommended "
            f"to set it as True for training); got {shuffle!r}")
    if batch_size < 1:
        raise ValueError(f"batch_size={batch_size}; expected >= 1")
    if num_epochs is not None and num_epochs < 1:
        raise ValueError(f"num_epochs={num_epochs}; expected None (forever) or >= 1")
    features, labels = _check_arrays(x, y)
    length = len(next(iter(features.values())))

    def input_fn():
        batches = _index_batches(length, batch_size, num_epochs, shuffle)
        gathered = batches.map(_gatherer(features, labels), num_parallel_calls=num_threads)
        prefetched = gathered.prefetch(max(1, queue_capacity // batch_size))
        feature_batch, label_batch = _V1.data.make_one_shot_iterator(prefetched).get_next()
        return _unwrap(feature_batch, x), _unwrap(label_batch, y)

    return input_fn


def _check_arrays(x, y):
    """x and y as dicts of arrays ({} for no y); ValueError for bad shapes or keys."""
    features = _as_dict(x, "x", _DIRECT_FEATURE_KEY)
    if not features:
        raise ValueError("x cannot be an empty dict")
    labels = {} if y is None else _as_dict(y, "y", _DIRECT_LABEL_KEY)
    shared_keys = set(features) & set(labels)
    if shared_keys:
        raise ValueError(f"{len(shared_keys)} duplicate keys are found in both x and y: "
                         f"{sorted(shared_keys)}")
    lengths = {name: len(array) for name, array in {**features, **labels}.items()}
    if len(set(lengths.values())) != 1:
        raise ValueError(f"Length of tensors in x and y is mismatched. All elements in x "
                         f"and y must have the same length. Lengths: {lengths}")
    return features, labels


def _as_dict(value, name, direct_key):
    if isinstance(value, dict):
        return {key: np.asarray(array) for key, array in value.items()}
    if isinstance(value, np.ndarray):
        return {direct_key: value}
    raise TypeError(f"{name} must be a numpy array or a dict of numpy arrays; "
                    f"got {type(value).__name__}")


def _index_batches(length, batch_size, num_epochs, shuffle):
    """Batches of example indices: epochs, in order or permuted per epoch."""
    indices = tf.data.Dataset.range(length)
    if shuffle:
        # A buffer of the whole set makes each epoch a uniform permutation.
        indices = indices.shuffle(length, reshuffle_each_iteration=True)
    return indices.repeat(num_epochs).batch(batch_size)


def _gatherer(features, labels):
    """A dataset map function: index batch -> (feature dict, label dict) batch."""
    arrays = list(features.values()) + list(labels.values())
    dtypes = [tf.as_dtype(array.dtype) for array in arrays]

    def gather(indices):
        return [array[indices] for array in arrays]

    def map_function(indices):
        tensors = tf.numpy_function(gather, [indices], dtypes, stateful=False)
        for tensor, array in zip(tensors, arrays):
            tensor.set_shape([None] + list(array.shape[1:]))
        feature_tensors = dict(zip(features, tensors[:len(features)]))
        return feature_tensors, dict(zip(labels, tensors[len(features):]))

    return map_function


def _unwrap(batch, original):
    """The dict of batches back in the caller's form: a tensor for an array, None for None."""
    if original is None:
        return None
    if isinstance(original, dict):
        return batch
    return next(iter(batch.values()))
