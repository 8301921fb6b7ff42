"""constructs/elementwise_affine on one number per example: `x * W + b` with W and b scalar
variables (a tutorial's linear regression, `tf.Variable(rng.randn())`) -> ElementwiseAffine with
scalar weights."""

import numpy as np

import legacy_tf1.compat as tf

from .construct_checks import assert_forward_parity, layer_classes, recognised_graph


def _regression(weight_shape):
    def build():
        x = tf.placeholder(tf.float32, [None], name="x")
        y = tf.placeholder(tf.float32, [None], name="y")
        w = tf.Variable(np.full(weight_shape, 1.5, np.float32), name="weight")
        b = tf.Variable(np.float32(-0.25), name="bias")
        pred = tf.add(tf.multiply(x, w), b)
        tf.reduce_mean(tf.squared_difference(pred, y))
        return {"inputs": x, "outputs": pred}
    return build


def test_a_number_times_a_scalar_weight_plus_a_scalar_bias_forward_matches_tf1():
    tf1, recognised = recognised_graph(_regression(()))
    with tf1:
        assert [cls for _, cls in layer_classes(recognised)] == ["ElementwiseAffine"]
        assert recognised.layers[0].config == {"scale_shape": (), "offset_shape": ()}
        assert_forward_parity(tf1, recognised, np.linspace(-2, 2, 9).astype(np.float32))


def test_a_weight_per_feature_is_not_taken_for_a_number_per_example():
    tf1, recognised = recognised_graph(_regression((2,)))
    with tf1:
        assert "ElementwiseAffine" not in [cls for _, cls in layer_classes(recognised)]
