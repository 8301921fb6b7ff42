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
