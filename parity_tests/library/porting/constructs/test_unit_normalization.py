"""constructs/unit_normalization: `tf.nn.l2_normalize(x, axis)` -> UnitNormalization(axis)."""

import legacy_tf1.compat as tf

from .construct_checks import HEAD, assert_forward_parity, layer_classes, model_ends, normal, recognised_graph


def _normalised(axis):
    def build():
        x = tf.placeholder(tf.float32, [None, 6], name="x")
        hidden = tf.layers.dense(x, 4, name="fc")
        return model_ends(x, tf.nn.l2_normalize(hidden, axis=axis, name="unit"))
    return build


def test_l2_normalize_forward_matches_tf1():
    tf1, recognised = recognised_graph(_normalised(1))
    with tf1:
        assert layer_classes(recognised) == [("fc", "Dense"), ("unit", "UnitNormalization"), *HEAD]
        assert recognised.layers[1].config == {} and "epsilon" in recognised.layers[1].notes[0]
        assert_forward_parity(tf1, recognised, normal(32, 6))


def test_l2_normalize_over_the_batch_is_not_matched():
    tf1, recognised = recognised_graph(_normalised(0))
    with tf1:
        assert "UnitNormalization" not in [cls for _, cls in layer_classes(recognised)]
        assert recognised.unrecognised_ops
