"""core_convnet: the article's own Keras model is the TF-Core twin with a softmax on top.

The article trained a Keras model next to its TF Core program. Ported to
Keras 3 (`core_convnet.build_article_model`), it must have the twin's layer
names, shapes and parameters, and with the twin's weights copied by name its
output must be softmax(twin logits) on real test images.
"""

import keras
import numpy as np
import pytest

from mnist_core import recipes, training_data
from tf1_to_keras.harness import closeness, tolerances
from tf1_to_keras import harness
from mnist_parity import transfer
from modern_keras.models import core_convnet

# The article's softmax runs in float32 inside Keras, the reference in float64 NumPy;
# probabilities lie in [0, 1], so the float32 rounding of the two stays far below this.
ARTICLE_SOFTMAX_ATOL = 1e-6
PARAMETERS = 218_490  # c1 160 + c2 2,320 + c3 4,640 + c4 9,248 + d1 200,832 + out 1,290

TWIN_BUILDERS = {
    "sequential": core_convnet.build_model,
    "functional": core_convnet.build_functional_model,
}


@pytest.fixture(autouse=True)
def seeded_keras():
    """Fixed initial weights (conftest's fixture already clears the Keras session)."""
    keras.utils.set_random_seed(0)


def softmax(logits):
    """Reference softmax in float64, shifted by the row max for stability."""
    shifted = np.asarray(logits, dtype=np.float64)
    shifted = shifted - shifted.max(axis=1, keepdims=True)
    exponentials = np.exp(shifted)
    return exponentials / exponentials.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("form", TWIN_BUILDERS)
def test_article_model_has_the_twin_structure(form):
    twin = harness.KerasModel(TWIN_BUILDERS[form]).layer_summaries()
    article = harness.KerasModel(core_convnet.build_article_model).layer_summaries()
    assert article == twin  # the same names, output shapes and parameter counts, in order
    assert sum(layer.parameter_count for layer in article) == PARAMETERS


@pytest.mark.parametrize("form", TWIN_BUILDERS)
def test_article_output_is_softmax_of_twin_logits(form):
    twin = TWIN_BUILDERS[form]()
    article = core_convnet.build_article_model()
    images = training_data.load_training_data(recipes.CORE_CONVNET).test_images[:tolerances.FORWARD_IMAGES]
    expected = softmax(twin(images, training=False))
    # Guard: the two random inits differ, so agreement below is the copy's doing.
    before = np.asarray(article(images, training=False))
    assert np.abs(before - expected).max() > 1e-3
    transfer.set_keras_weights(article, transfer.keras_weights(twin))
    closeness.assert_close(
        article(images, training=False), expected, name="core_convnet article output",
        atol=ARTICLE_SOFTMAX_ATOL)


def test_compile_article_model_uses_the_article_recipe():
    model = core_convnet.compile_article_model(core_convnet.build_article_model())
    config = model.get_compile_config()
    optimizer = config["optimizer"]
    assert optimizer["class_name"] == "Adam"
    assert optimizer["config"]["learning_rate"] == pytest.approx(1e-4, rel=1e-6)
    # The article ran Keras' Adam default epsilon, not TF1's 1e-8.
    assert optimizer["config"]["epsilon"] == pytest.approx(1e-7)
    assert config["loss"] == "categorical_crossentropy"
    assert config["metrics"] == ["accuracy"]


def test_train_article_model_fits_one_hot_labels():
    data = training_data.load_training_data(recipes.CORE_CONVNET)
    model = core_convnet.compile_article_model(core_convnet.build_article_model())
    initial = model.get_layer("out").get_weights()[0].copy()
    history = core_convnet.train_article_model(
        model, data.train_images[:256], data.train_labels[:256], epochs=2, batch_size=128)
    assert len(history.history["loss"]) == 2
    assert np.all(np.isfinite(history.history["loss"]))
    assert not np.array_equal(model.get_layer("out").get_weights()[0], initial)


@pytest.mark.parametrize("arguments", [{"epochs": 0}, {"batch_size": 0}], ids=["epochs", "batch_size"])
def test_train_article_model_rejects_bad_arguments(arguments):
    model = core_convnet.build_article_model()
    with pytest.raises(ValueError):
        core_convnet.train_article_model(model, np.zeros((1, 28, 28, 1)), np.zeros((1, 10)), **arguments)
