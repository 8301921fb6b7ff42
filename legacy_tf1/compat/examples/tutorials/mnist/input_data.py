"""`tensorflow.examples.tutorials.mnist.input_data`, as TF 1.x had it, offline.

`read_data_sets` reads the four IDX `.gz` files from `train_dir` when they are
there and the kit's bundled, checksum-verified MNIST otherwise (TF1 downloaded
them; no machine here may). It says which, on stdout as TF1 did: an
`Extracting PATH` line per IDX file, or one line naming the bundled copy and its
SHA-256. Batches come from `mnist_core.batches`, which the Keras side shares,
so both draw the same examples in the same order.
"""

import collections
import os

import numpy as np

from legacy_tf1.compat._not_provided import module_getattr as _module_getattr
from mnist_core import batches, mnist

Datasets = collections.namedtuple("Datasets", ["train", "validation", "test"])

NUM_CLASSES = 10
FAKE_EXAMPLES = 10000


def dense_to_one_hot(labels_dense, num_classes=NUM_CLASSES):
    """[N] class ids to [N, num_classes] one-hot rows (float64, as TF1)."""
    labels_one_hot = np.zeros((labels_dense.shape[0], num_classes))
    labels_one_hot[np.arange(labels_dense.shape[0]), labels_dense] = 1
    return labels_one_hot


def _dtype_name(dtype):
    return getattr(dtype, "name", None) or np.dtype(dtype).name


class DataSet:
    """One split of MNIST with TF1's `next_batch`."""

    def __init__(self, images, labels, fake_data=False, one_hot=False,
                 dtype="float32", reshape=True, seed=None):
        dtype_name = _dtype_name(dtype)
        if dtype_name not in ("uint8", "float32"):
            raise TypeError(f"Invalid image dtype {dtype!r}, expected uint8 or float32")
        self._fake_data = fake_data
        self.one_hot = one_hot
        if fake_data:
            self._num_examples = FAKE_EXAMPLES
            self._images, self._labels = images, labels
        else:
            self._images, self._labels = self._prepare(images, labels, dtype_name, reshape)
            self._num_examples = self._images.shape[0]
        self._sampler = batches.EpochSampler(self._num_examples, seed=seed)

    @staticmethod
    def _prepare(images, labels, dtype_name, reshape):
        if images.shape[0] != labels.shape[0]:
            raise ValueError(f"images.shape: {images.shape} labels.shape: {labels.shape}")
        if images.ndim == 3:  # [N, 28, 28] as in the .npz; TF1's extractor added a channel.
            images = images[..., np.newaxis]
        if reshape:
            images = images.reshape(images.shape[0], images.shape[1] * images.shape[2])
        if dtype_name == "float32":
            images = images.astype(np.float32) * np.float32(1.0 / 255.0)
        return images, labels

    @property
    def images(self):
        return self._images

    @property
    def labels(self):
        return self._labels

    @property
    def num_examples(self):
        return self._num_examples

    @property
    def epochs_completed(self):
        return self._sampler.epochs_completed

    def next_batch(self, batch_size, fake_data=False, shuffle=True):
        """The next `batch_size` examples (TF1 semantics: see mnist_core.batches)."""
        if fake_data or self._fake_data:
            fake_image = [1.0] * 784
            fake_label = [1] + [0] * 9 if self.one_hot else 0
            return [fake_image] * batch_size, [fake_label] * batch_size
        indices = self._sampler.next_indices(batch_size, shuffle=shuffle)
        return self._images[indices], self._labels[indices]


def _say_where_the_data_came_from(train_dir):
    """TF1 printed `Extracting PATH` per file it read; the bundled copy gets one line of its own."""
    if mnist.has_idx_files(train_dir):
        for file_name in mnist.IDX_FILES.values():
            print("Extracting", os.path.join(train_dir, file_name))
    else:
        print(f"Extracting MNIST from the kit's bundled copy {mnist.bundled_path()} "
              f"(SHA-256 {mnist.BUNDLED_FILE_SHA256}): {train_dir!r} has no MNIST IDX files")


def read_data_sets(train_dir, fake_data=False, one_hot=False, dtype="float32",
                   reshape=True, validation_size=5000, seed=None, source_url=None):
    """TF1's `read_data_sets`: Datasets(train, validation, test).

    Validation is the first `validation_size` training images in file order;
    `source_url` is accepted for compatibility and ignored (nothing is downloaded).
    """
    del source_url
    if fake_data:
        def fake():
            return DataSet([], [], fake_data=True, one_hot=one_hot, dtype=dtype, seed=seed)
        return Datasets(train=fake(), validation=fake(), test=fake())
    arrays = mnist.load_arrays(directory=train_dir)
    _say_where_the_data_came_from(train_dir)
    train_labels, test_labels = arrays["y_train"], arrays["y_test"]
    if one_hot:
        train_labels, test_labels = dense_to_one_hot(train_labels), dense_to_one_hot(test_labels)
    if not 0 <= validation_size <= len(train_labels):
        raise ValueError(
            f"Validation size should be between 0 and {len(train_labels)}. Received: {validation_size}."
        )
    options = dict(dtype=dtype, reshape=reshape, seed=seed)
    train_images = arrays["x_train"]
    return Datasets(
        train=DataSet(train_images[validation_size:], train_labels[validation_size:], **options),
        validation=DataSet(train_images[:validation_size], train_labels[:validation_size], **options),
        test=DataSet(arrays["x_test"], test_labels, **options),
    )

__getattr__ = _module_getattr(
    "tf.examples.tutorials.mnist.input_data", "it supplies read_data_sets, DataSet, Datasets, dense_to_one_hot")
