"""constructs/global_pooling: `reduce_mean(x, [1, 2])` of NHWC -> GlobalAveragePooling2D(keepdims)."""

import pytest

import legacy_tf1.compat as tf

from .construct_checks import assert_forward_parity, layer_classes, model_ends, normal, recognised_graph


def _pooled(axes, keepdims):
    def build():
        x = tf.placeholder(tf.float32, [None, 6, 6, 2], name="x")
        hidden = tf.layers.conv2d(x, 4, 3, name="conv")
        return model_ends(x, tf.reduce_mean(hidden, axes, keepdims=keepdims, name="gap"))
    return build


@pytest.mark.parametrize("axes, keepdims, classes", [
    ([1, 2], False, ["Conv2D", "GlobalAveragePooling2D", "Dense"]),
    ([2, 1], True, ["Conv2D", "GlobalAveragePooling2D", "Flatten", "Dense"]),
], ids=["flat", "keepdims"])
def test_mean_over_height_and_width_forward_matches_tf1(axes, keepdims, classes):
    tf1, recognised = recognised_graph(_pooled(axes, keepdims))
    with tf1:
        assert [cls for _, cls in layer_classes(recognised)] == classes
        assert recognised.layers[1].config == ({"keepdims": True} if keepdims else {})
        assert recognised.layers[1].name == "gap"
        assert_forward_parity(tf1, recognised, normal(8, 6, 6, 2))


def test_a_mean_over_one_axis_is_not_global_pooling():
    tf1, recognised = recognised_graph(_pooled([1], False))
    with tf1:
        assert "GlobalAveragePooling2D" not in [cls for _, cls in layer_classes(recognised)]
        assert ("Mean", "gap") in recognised.unrecognised_ops
