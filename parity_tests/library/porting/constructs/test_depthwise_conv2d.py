"""constructs/depthwise_conv2d: slim's separable_conv2d -> DepthwiseConv2D (num_outputs=None)
or SeparableConv2D (num_outputs given); `tf.nn.depthwise_conv2d` by hand -> DepthwiseConv2D."""

import legacy_tf1.compat as tf

from .construct_checks import FLAT_HEAD, assert_forward_parity, layer_classes, model_ends, normal, recognised_graph

slim = tf.contrib.slim


def _slim_separable():
    x = tf.placeholder(tf.float32, [None, 8, 8, 3], name="x")
    with slim.arg_scope([slim.separable_conv2d], activation_fn=tf.nn.relu6):
        net = slim.separable_conv2d(x, None, [3, 3], depth_multiplier=2, stride=2, scope="dw")
        net = slim.separable_conv2d(net, 5, [3, 3], depth_multiplier=1, scope="sep")
    return model_ends(x, net)


def test_slim_separable_conv2d_forward_matches_tf1():
    tf1, recognised = recognised_graph(_slim_separable)
    with tf1:
        assert layer_classes(recognised) == [("dw", "DepthwiseConv2D"), ("sep", "SeparableConv2D"), *FLAT_HEAD]
        dw, sep = recognised.layers[:2]
        assert dw.config["depth_multiplier"] == 2 and dw.config["strides"] == (2, 2)
        assert dw.config["activation"] == "relu6" and sep.config["filters"] == 5
        assert [w.keras_weight for w in sep.weights] == ["depthwise_kernel", "pointwise_kernel", "bias"]
        assert "kernel_initializer" not in dw.config and "kernel_initializer" not in sep.config
        assert_forward_parity(tf1, recognised, normal(4, 8, 8, 3))


def test_depthwise_by_hand_followed_by_a_3x3_conv_is_two_layers():
    def build():
        x = tf.placeholder(tf.float32, [None, 6, 6, 2], name="x")
        with tf.variable_scope("dw"):
            filters = tf.get_variable("W", [3, 3, 2, 1])
        hidden = tf.nn.depthwise_conv2d(x, filters, [1, 1, 1, 1], "VALID")
        return model_ends(x, tf.layers.conv2d(hidden, 4, 3, name="conv"))  # not 1x1: no SeparableConv2D
    tf1, recognised = recognised_graph(build)
    with tf1:
        assert layer_classes(recognised) == [("dw", "DepthwiseConv2D"), ("conv", "Conv2D"), *FLAT_HEAD]
        assert_forward_parity(tf1, recognised, normal(4, 6, 6, 2))
