"""A recipe's arrays as both sides train on them, and the accuracy both sides report."""

import dataclasses
import functools

import numpy as np

from mnist_core import mnist


@dataclasses.dataclass(frozen=True)
class TrainingData:
    """float32 images shaped like the TF1 input; one-hot float32 or int32 labels."""

    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray


def _prepare(images, labels, recipe):
    images = (images.astype(np.float32) * np.float32(1.0 / 255.0)).reshape((-1, *recipe.input_shape))
    if recipe.one_hot_labels:
        return images, np.eye(10, dtype=np.float32)[labels]
    return images, labels.astype(np.int32)


@functools.lru_cache(maxsize=4)
def load_training_data(recipe):
    """The recipe's train split (the last `train_examples` of 60,000) and the test set."""
    arrays = mnist.load_arrays()
    first = len(arrays["x_train"]) - recipe.train_examples
    train = _prepare(arrays["x_train"][first:], arrays["y_train"][first:], recipe)
    test = _prepare(arrays["x_test"], arrays["y_test"], recipe)
    return TrainingData(*train, *test)


def accuracy(logits, labels):
    """Share of argmax(logits) equal to the label (one-hot or integer)."""
    classes = np.argmax(labels, axis=1) if labels.ndim == 2 else labels
    return float(np.mean(np.argmax(logits, axis=1) == classes))
