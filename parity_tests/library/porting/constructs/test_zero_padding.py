"""constructs/zero_padding: `tf.pad` of height and width with zeros -> ZeroPadding2D (slim's
conv2d_same before a VALID strided conv)."""

import pytest

import legacy_tf1.compat as tf
from tf1_to_keras.porting.constructs.zero_padding import padding_setting

from .construct_checks import FLAT_HEAD, assert_forward_parity, layer_classes, model_ends, normal, recognised_graph


def _padded(paddings, mode="CONSTANT", constant=0.0):
    def build():
        x = tf.placeholder(tf.float32, [None, 7, 7, 2], name="x")
        padded = tf.pad(x, paddings, mode=mode, constant_values=constant)
        return model_ends(x, tf.layers.conv2d(padded, 3, 3, strides=2, name="conv"))
    return build


@pytest.mark.parametrize("paddings, setting", [
    ([[0, 0], [1, 2], [1, 2], [0, 0]], ((1, 2), (1, 2))),  # conv2d_same, kernel 4
    ([[0, 0], [3, 3], [3, 3], [0, 0]], 3),  # conv2d_same, kernel 7 (ResNet's stem)
    ([[0, 0], [1, 1], [0, 0], [0, 0]], (1, 0)),
])
def test_zero_padding_forward_matches_tf1(paddings, setting):
    tf1, recognised = recognised_graph(_padded(paddings))
    with tf1:
        assert [cls for _, cls in layer_classes(recognised)] == ["ZeroPadding2D", "Conv2D", "Flatten", "Dense"]
        assert recognised.layers[0].config == {"padding": setting}
        assert_forward_parity(tf1, recognised, normal(4, 7, 7, 2))


@pytest.mark.parametrize("paddings, mode, constant", [
    ([[0, 0], [1, 1], [1, 1], [0, 0]], "REFLECT", 0.0),  # MirrorPad: not zeros
    ([[0, 0], [1, 1], [1, 1], [0, 0]], "CONSTANT", 1.0),  # PadV2 with 1
    ([[0, 0], [1, 1], [1, 1], [2, 0]], "CONSTANT", 0.0),  # channels padded
])
def test_padding_other_than_zeros_of_height_and_width_is_not_zero_padding(paddings, mode, constant):
    tf1, recognised = recognised_graph(_padded(paddings, mode, constant))
    with tf1:
        assert [cls for _, cls in layer_classes(recognised)] == ["Conv2D", *[cls for _, cls in FLAT_HEAD]]
        assert recognised.unrecognised_ops, "the pad must be listed, not dropped"


def test_padding_setting_is_as_short_as_keras_reads_it():
    assert padding_setting(((2, 2), (2, 2))) == 2
    assert padding_setting(((1, 1), (2, 2))) == (1, 2)
    assert padding_setting(((0, 1), (0, 1))) == ((0, 1), (0, 1))
