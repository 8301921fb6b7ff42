"""constructs/batch_norm's BatchNormalizationTF1: a fused TF1 batch norm that trains is written as it
(its moving variance moves with Bessel's correction, as TF1's fused kernel's), one line per layer,
the class copied into model.py; an unfused one (slim `fused=False`) stays BatchNormalization; the
class trains the same on JAX (the generated model.py's code, run by Keras on JAX in its own process)."""

import inspect
import re

import numpy as np
import pytest

import legacy_tf1.compat as tf
from tf1_to_keras.harness import backend_process
from tf1_to_keras.porting.constructs import batch_norm

from .construct_checks import FLAT_HEAD, generated_build, layer_classes, model_ends, recognised_graph


def _slim_net(fused):
    def build():
        x = tf.placeholder(tf.float32, [None, 5, 5, 2], name="x")
        net = tf.contrib.slim.conv2d(x, 3, [3, 3], normalizer_fn=tf.contrib.slim.batch_norm, scope="conv1",
                                     normalizer_params={"is_training": True, "decay": 0.9, "fused": fused})
        return model_ends(x, net)
    return build


@pytest.mark.parametrize("fused, keras_class", [(None, "BatchNormalizationTF1"), (False, "BatchNormalization")],
                         ids=["fused-default", "unfused"])
def test_a_training_slim_batch_norm_is_written_by_its_kind(fused, keras_class):
    tf1, recognised = recognised_graph(_slim_net(fused))
    with tf1:
        assert layer_classes(recognised) == [("conv1", "Conv2D"), ("conv1_BatchNorm", keras_class),
                                             ("conv1_Relu", "ReLU"), *FLAT_HEAD]
        assert recognised.layers[1].config == {"epsilon": 0.001, "momentum": 0.9, "scale": False}
        source, build = generated_build(recognised)
    assert ("class BatchNormalizationTF1(keras.layers.BatchNormalization):" in source) == (fused is None)
    call = "BatchNormalizationTF1(" if fused is None else "keras.layers.BatchNormalization("
    assert re.search(re.escape(call) + r'\s*epsilon=0.001, momentum=0.9, scale=False, name="conv1_BatchNorm"\),', source)
    assert type(build().get_layer("conv1_BatchNorm")).__name__ == keras_class
    assert batch_norm.model_notes(recognised.layers) == ([batch_norm.FUSED_NOTE] if fused is None else [])


def trains_on_backend(class_source, x):
    """Two training steps of a model holding BatchNormalizationTF1, its class from model.py's
    source; the moving variance, and whether the saved model loads back as that class."""
    import os
    import tempfile

    import keras
    namespace = {"keras": keras}
    exec(class_source, namespace)  # noqa: S102 (the class model.py carries)
    model = keras.Sequential([keras.Input(x.shape[1:]), namespace["BatchNormalizationTF1"](momentum=0.5, name="bn"),
                              keras.layers.Flatten(), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    for _ in range(2):
        model.train_on_batch(x, np.zeros((len(x), 1), np.float32))
    path = os.path.join(tempfile.mkdtemp(), "model.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    return {"moving_variance": keras.ops.convert_to_numpy(model.get_layer("bn").moving_variance),
            "loaded_class": type(loaded.get_layer("bn")).__name__, "backend": keras.backend.backend()}


@pytest.mark.slow  # a Keras-on-JAX process: ~10-25 s
@pytest.mark.skipif(not backend_process.backend_installed("jax"), reason="JAX is not installed (pip install jax)")
def test_the_layer_class_trains_with_the_corrected_variance_on_jax():
    x = np.random.default_rng(0).normal(1.0, 2.0, (4, 3, 3, 2)).astype(np.float32)
    n, variance = 4 * 3 * 3, x.reshape(-1, 2).var(axis=0, dtype=np.float64)
    expected = 0.25 * 1.0 + (0.25 + 0.5) * variance * n / (n - 1)  # two updates at momentum 0.5, same batch
    result = backend_process.run_on_backend(
        "jax", f"{__name__}:trains_on_backend", args={"class_source": inspect.getsource(batch_norm.BatchNormalizationTF1)},
        arrays={"x": x}, timeout_s=300)
    assert result.values["backend"] == "jax" and result.values["loaded_class"] == "BatchNormalizationTF1"
    np.testing.assert_allclose(result.values["moving_variance"], expected, rtol=1e-5)
