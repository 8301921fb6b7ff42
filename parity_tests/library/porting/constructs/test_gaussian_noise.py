"""constructs/gaussian_noise: `x + c * tf.random_normal(tf.shape(x))` -> GaussianNoise(stddev), its
stddev read from the graph; the forward check compares inference (TF1's noise fed off)."""

import keras
import numpy as np
import pytest

import legacy_tf1.compat as tf

from tf1_to_keras.porting import certification

from .construct_checks import (assert_forward_parity, generated_build, layer_classes, model_ends, normal,
                               recognised_graph)


def _noisy(noise):
    def build():
        x = tf.placeholder(tf.float32, [None, 50], name="x")
        noisy = x + noise(x)
        return model_ends(x, tf.layers.dense(noisy, 4, tf.nn.sigmoid, name="encoder"))
    return build


def _gaussian(x):
    return 0.5 * (0.4 * tf.random_normal(tf.shape(x), seed=3))


def test_noise_of_the_inputs_shape_is_gaussian_noise_and_forward_matches_with_it_off():
    tf1, recognised = recognised_graph(_noisy(_gaussian))
    with tf1:
        assert layer_classes(recognised) == [("gaussian_noise", "GaussianNoise"), ("encoder", "Dense"),
                                             ("head", "Dense")]
        assert recognised.layers[0].config == {"stddev": 0.2}
        feed = certification.noise_off_feed(tf1.graph, recognised)
        assert sorted(tensor.name for tensor in feed) == ["mul/x:0", "mul_1/x:0", "random_normal/stddev:0"]
        tf1.endpoints.inference_feed.update(feed)
        assert_forward_parity(tf1, recognised, normal(16, 50))


@pytest.mark.parametrize("factor, same", [(1.0, True), (1.5, False)], ids=["read", "wrong"])
def test_the_stddev_read_is_the_noise_tf1_adds(factor, same):
    """With the noise on (TF1 always, Keras in training), the spread it adds is TF1's only at
    the stddev read from the graph: a wrong one is told apart."""
    tf1, recognised = recognised_graph(_noisy(_gaussian))
    with tf1:
        recognised.layers[0].config["stddev"] *= factor
        x = np.zeros((400, 50), np.float32)
        tf1_noise = tf1.fetch(x, {"noisy": tf1.graph.get_tensor_by_name(recognised.layers[0].tf1_output)})["noisy"]
        layer = generated_build(recognised)[1]().get_layer("gaussian_noise")
        keras_noise = keras.ops.convert_to_numpy(layer(x, training=True))
    ratio = float(np.std(keras_noise) / np.std(tf1_noise))
    assert (abs(ratio - 1) < 0.03) is same, ratio


@pytest.mark.parametrize("noise", [
    lambda x: 0.2 * tf.random_uniform(tf.shape(x)),
    lambda x: tf.random_normal(tf.shape(x), mean=0.1, stddev=0.2),
], ids=["uniform", "shifted"])
def test_uniform_or_shifted_noise_is_not_gaussian_noise(noise):
    tf1, recognised = recognised_graph(_noisy(noise))
    with tf1:
        assert "GaussianNoise" not in [cls for _, cls in layer_classes(recognised)]
        assert recognised.unrecognised_ops
