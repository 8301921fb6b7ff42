"""constructs/squeeze: `tf.squeeze` of size-1 axes -> Flatten (slim's SpatialSqueeze) or Reshape."""

import legacy_tf1.compat as tf

from .construct_checks import assert_forward_parity, layer_classes, normal, recognised_graph


def _squeezed(axes, shape):
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
    tf1, recognised = recognised_graph(_squeezed([1, 2], [4, 4, 2]))
    with tf1:
        assert layer_classes(recognised) == [("logits", "Conv2D"), ("SpatialSqueeze", "Flatten"), ("head", "Dense")]
        assert_forward_parity(tf1, recognised, normal(5, 4, 4, 2))


def test_squeeze_of_one_axis_keeping_others_is_reshape():
    tf1, recognised = recognised_graph(_squeezed([1], [4, 6, 2]))  # (batch, 1, 3, 3) -> (batch, 3, 3)
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
