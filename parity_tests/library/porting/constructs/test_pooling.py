"""constructs/pooling: max_pool / avg_pool (NHWC) -> MaxPooling2D / AveragePooling2D."""

import legacy_tf1.compat as tf

from .construct_checks import FLAT_HEAD, assert_forward_parity, layer_classes, model_ends, normal, recognised_graph


def _pools():
    x = tf.placeholder(tf.float32, [None, 8, 8, 3], name="x")
    pooled = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME", name="pool1")
    outputs = tf.layers.average_pooling2d(pooled, 3, 1, name="pool2")
    return model_ends(x, outputs)


def test_max_and_average_pooling_forward_matches_tf1():
    tf1, recognised = recognised_graph(_pools)
    with tf1:
        assert [cls for _, cls in layer_classes(recognised)] == ["MaxPooling2D", "AveragePooling2D", "Flatten", "Dense"]
        assert recognised.layers[1].config == {"pool_size": (3, 3), "strides": (1, 1), "padding": "valid"}
        assert_forward_parity(tf1, recognised, normal(8, 8, 8, 3))


def test_nchw_pooling_is_not_matched():
    def build():
        x = tf.placeholder(tf.float32, [None, 3, 8, 8], name="x")
        outputs = tf.nn.avg_pool(x, [1, 1, 2, 2], [1, 1, 2, 2], "VALID", data_format="NCHW")
        return model_ends(x, outputs)
    tf1, recognised = recognised_graph(build)
    with tf1:
        assert layer_classes(recognised) == FLAT_HEAD and recognised.unrecognised_ops
