"""constructs/conv2d: `act(conv2d(x, W) + b)` -> Conv2D (strides and padding read)."""

import legacy_tf1.compat as tf

from .construct_checks import FLAT_HEAD, assert_forward_parity, layer_classes, model_ends, normal, recognised_graph


def _convolutions():
    x = tf.placeholder(tf.float32, [None, 9, 9, 2], name="x")
    with tf.variable_scope("conv1"):
        kernel = tf.get_variable("W", [3, 3, 2, 4])
        bias = tf.get_variable("b", [4], initializer=tf.random_normal_initializer())
    hidden = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, kernel, [1, 2, 2, 1], "SAME"), bias))
    outputs = tf.layers.conv2d(hidden, 3, 2, name="conv2")
    return model_ends(x, outputs)


def test_conv2d_by_hand_and_tf_layers_forward_matches_tf1():
    tf1, recognised = recognised_graph(_convolutions)
    with tf1:
        assert layer_classes(recognised) == [("conv1", "Conv2D"), ("conv2", "Conv2D"), *FLAT_HEAD]
        conv1, conv2 = recognised.layers[:2]
        assert conv1.config["strides"] == (2, 2) and conv1.config["padding"] == "same"
        assert conv2.config["kernel_size"] == (2, 2) and conv2.config["padding"] == "valid"
        assert_forward_parity(tf1, recognised, normal(16, 9, 9, 2))


def test_nchw_conv2d_is_not_matched():
    def build():
        x = tf.placeholder(tf.float32, [None, 2, 6, 6], name="x")
        outputs = tf.nn.conv2d(x, tf.get_variable("W", [3, 3, 2, 4]), [1, 1, 1, 1], "SAME", data_format="NCHW")
        return model_ends(x, outputs)
    tf1, recognised = recognised_graph(build)
    with tf1:
        assert layer_classes(recognised) == FLAT_HEAD and ("Conv2D", "Conv2D") in recognised.unrecognised_ops
