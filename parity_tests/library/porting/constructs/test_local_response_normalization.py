"""constructs/local_response_normalization: tf.nn.local_response_normalization (CifarNet's and
AlexNet's norm layers) -> the generated model's own LocalResponseNormalization (keras.ops only)."""

import keras
import numpy as np
import pytest

import legacy_tf1.compat as tf

from .construct_checks import (FLAT_HEAD, assert_forward_parity, forward_result, generated_build,
                               layer_classes, model_ends, normal, recognised_graph)


def _normalised(radius, bias, alpha, beta, channels=8):
    def build():
        x = tf.placeholder(tf.float32, [None, 6, 6, 3], name="x")
        net = tf.layers.conv2d(x, channels, 3, padding="same", activation=tf.nn.relu, name="conv1")
        net = tf.nn.lrn(net, radius, bias=bias, alpha=alpha, beta=beta, name="norm1")
        return model_ends(x, net)
    return build


@pytest.mark.parametrize("radius, bias, alpha, beta, channels", [
    (4, 1.0, 0.001 / 9.0, 0.75, 8),  # CifarNet's norm1
    (2, 2.0, 1e-4, 0.75, 8),  # AlexNet's (Krizhevsky's k, n, alpha, beta)
    (5, 1.0, 0.5, 0.5, 3),  # a window wider than the channels: cut at both edges
], ids=["cifarnet", "alexnet", "window-wider-than-channels"])
def test_lrn_ports_to_a_named_layer_class_with_forward_parity(radius, bias, alpha, beta, channels):
    tf1, recognised = recognised_graph(_normalised(radius, bias, alpha, beta, channels))
    with tf1:
        assert layer_classes(recognised) == [("conv1", "Conv2D"), ("norm1", "LocalResponseNormalization"),
                                             *FLAT_HEAD]
        assert recognised.layers[1].config["depth_radius"] == radius
        source = assert_forward_parity(tf1, recognised, 3 * normal(16, 6, 6, 3))
    assert "class LocalResponseNormalization(keras.layers.Layer):" in source and "Lambda" not in source


def test_another_beta_fails_the_forward_check():
    tf1, recognised = recognised_graph(_normalised(4, 1.0, 0.5, 0.75))
    with tf1:
        recognised.layers[1].config["beta"] = 0.5
        _, result = forward_result(tf1, recognised, 3 * normal(16, 6, 6, 3))
    assert not result.passed


def test_the_generated_layer_round_trips_through_keras_serialisation(tmp_path):
    tf1, recognised = recognised_graph(_normalised(4, 1.0, 0.001 / 9.0, 0.75))
    with tf1:
        _, build = generated_build(recognised)
    model = build()
    x = normal(2, 6, 6, 3)
    model.save(tmp_path / "model.keras")
    loaded = keras.models.load_model(tmp_path / "model.keras")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
