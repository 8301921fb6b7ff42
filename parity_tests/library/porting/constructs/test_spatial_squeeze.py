"""constructs/spatial_squeeze: slim's `spatial_squeeze` (tf.squeeze(x, [1, 2]) after a 1x1
"fc" convolution) -> Flatten, or Reshape when more than one axis is kept."""

import legacy_tf1.compat as tf

from .construct_checks import assert_forward_parity, layer_classes, normal, recognised_graph


def _squeezed(axes, name="squeezed", size=1):
    def build():
        x = tf.placeholder(tf.float32, [None, size, 1, 4], name="x")
        with tf.variable_scope("fc8"):
            net = tf.layers.conv2d(x, 5, 1, name="conv") if size == 1 else x
            net = tf.squeeze(net, axes, name=name)
        logits = tf.layers.dense(net if net.shape.rank == 2 else tf.layers.flatten(net), 3, name="logits")
        tf.nn.softmax(logits)
        return {"inputs": x, "outputs": logits}
    return build


def test_spatial_squeeze_is_a_flatten_named_after_its_op():
    tf1, recognised = recognised_graph(_squeezed([1, 2]))
    with tf1:
        assert layer_classes(recognised) == [("conv", "Conv2D"), ("fc8_squeezed", "Flatten"), ("logits", "Dense")]
        assert_forward_parity(tf1, recognised, normal(8, 1, 1, 4))


def test_squeezing_one_of_two_spatial_axes_is_a_reshape():
    tf1, recognised = recognised_graph(_squeezed([2], size=3))
    with tf1:
        assert ("fc8_squeezed", "Reshape") in layer_classes(recognised)
        assert recognised.layers[0].config == {"target_shape": (3, 4)}
        assert_forward_parity(tf1, recognised, normal(8, 3, 1, 4))


def test_squeezing_an_axis_of_unknown_size_is_not_matched():
    def build():
        x = tf.placeholder(tf.float32, [None, None, 4], name="x")
        logits = tf.layers.dense(tf.squeeze(x, [1]), 3, name="logits")
        tf.nn.softmax(logits)
        return {"inputs": x, "outputs": logits}
    tf1, recognised = recognised_graph(build)
    with tf1:
        assert "Squeeze" in [op_type for op_type, _ in recognised.unrecognised_ops]


def _logits_squeezed(axes, shape):
    def build():
        x = tf.placeholder(tf.float32, [None, *shape], name="x")
        logits = tf.layers.conv2d(x, 3, shape[0], name="logits")  # (batch, 1, 1, 3) or wider
        squeezed = tf.squeeze(logits, axes, name="SpatialSqueeze")
        if squeezed.shape.rank > 2:
            squeezed = tf.layers.flatten(squeezed, name="flat")
        head = tf.layers.dense(squeezed, 2, name="head")  # a Squeeze right before a softmax is loss plumbing
        tf.nn.softmax(head)
        return {"inputs": x, "outputs": head}
    return build


def test_spatial_squeeze_of_a_1x1_logits_conv_is_flatten():
    tf1, recognised = recognised_graph(_logits_squeezed([1, 2], [4, 4, 2]))
    with tf1:
        assert layer_classes(recognised) == [("logits", "Conv2D"), ("SpatialSqueeze", "Flatten"), ("head", "Dense")]
        assert_forward_parity(tf1, recognised, normal(5, 4, 4, 2))


def test_squeeze_of_one_axis_keeping_others_is_reshape():
    tf1, recognised = recognised_graph(_logits_squeezed([1], [4, 6, 2]))  # (batch, 1, 3, 3) -> (batch, 3, 3)
    with tf1:
        assert layer_classes(recognised)[1] == ("SpatialSqueeze", "Reshape")
        assert recognised.layers[1].config == {"target_shape": (3, 3)}
        assert_forward_parity(tf1, recognised, normal(5, 4, 6, 2))


def test_squeeze_of_every_axis_is_not_a_layer():
    def build():
        x = tf.placeholder(tf.float32, [1, 4, 4, 2], name="x")
        logits = tf.layers.conv2d(x, 1, 4, name="logits")
        squeezed = tf.reshape(tf.squeeze(logits), [1, 1])  # the batch squeezed too
        head = tf.layers.dense(squeezed, 2, name="head")
        tf.nn.softmax(head)
        return {"inputs": x, "outputs": head}
    tf1, recognised = recognised_graph(build)
    with tf1:
        assert ("Squeeze", "Squeeze") in recognised.unrecognised_ops
