"""The Keras side's inference path (modern_keras/inference.py): the compiled call gives
`model.predict`'s logits bit for bit, for the five twins, in full batches, a partial
batch, and one image per call."""

import keras
import numpy as np
import pytest

from conftest import PARITY_MODELS
from mnist_core import recipes, training_data
from mnist_parity import registry
from modern_keras import inference, training


def _twin(key):
    keras.utils.set_random_seed(0)
    return registry.keras_module(key).build_model(recipes.get_recipe(key))


def _test_images(key, count):
    return training_data.load_training_data(recipes.get_recipe(key)).test_images[:count]


@pytest.mark.parametrize("key", PARITY_MODELS)
def test_compiled_call_equals_predict_bitwise(key):
    # 1,500 images: a full 1,000-image batch and a partial one, as predict batches them.
    keras.backend.clear_session()
    model, images = _twin(key), _test_images(key, 1_500)
    expected = model.predict(images, batch_size=inference.BATCH_SIZE, verbose=0)
    assert np.array_equal(training.predict_logits(model, images), expected)
    # One image per call (a serving call) against predict at batch 1: batch size changes
    # which kernels run (up to 2e-5 apart, deep_cnn), so each is compared at its own.
    one_by_one = np.concatenate([inference.logits(model, image[None]) for image in images[:8]])
    assert np.array_equal(one_by_one, model.predict(images[:8], batch_size=1, verbose=0))


@pytest.mark.slow
@pytest.mark.parametrize("key", PARITY_MODELS)
def test_compiled_call_equals_predict_on_the_whole_test_set(key):
    keras.backend.clear_session()
    model, images = _twin(key), _test_images(key, 10_000)
    expected = model.predict(images, batch_size=inference.BATCH_SIZE, verbose=0)
    assert np.array_equal(training.predict_logits(model, images), expected)


def test_one_compiled_function_per_model_for_every_batch_size():
    keras.backend.clear_session()
    model, images = _twin("softmax_regression"), _test_images("softmax_regression", 1_500)
    function = inference.compiled_call(model)
    for count in (1, 32, 1_500):
        inference.logits(model, images[:count])
    assert inference.compiled_call(model) is function
    assert function.structured_input_signature[0][0].shape.as_list() == [None, 784]


def test_logits_reject_a_batch_size_below_one():
    keras.backend.clear_session()
    with pytest.raises(ValueError, match="batch_size=0; expected >= 1"):
        inference.logits(_twin("softmax_regression"), np.zeros((1, 784), np.float32), batch_size=0)


def test_misaligned_and_read_only_images_give_the_same_logits():
    # The compiled call reads the images in place (DLPack) when TensorFlow can: 64-byte
    # aligned and writable; otherwise from an aligned copy. Either way the same logits,
    # and the caller's array is left as it was.
    keras.backend.clear_session()
    model, images = _twin("lenet5"), _test_images("lenet5", 40)
    expected = model.predict(images, batch_size=inference.BATCH_SIZE, verbose=0)
    buffer = np.zeros(images.nbytes + 64 + 4, np.uint8)
    start = (-buffer.ctypes.data % 64) + 4  # 4 bytes past a 64-byte boundary
    misaligned = buffer[start:start + images.nbytes].view(np.float32).reshape(images.shape)
    misaligned[...] = images
    assert misaligned.ctypes.data % 64 == 4
    assert np.array_equal(inference.logits(model, misaligned), expected)
    read_only = images.copy()
    read_only.flags.writeable = False
    assert np.array_equal(inference.logits(model, read_only), expected)
    assert np.array_equal(misaligned, images)
