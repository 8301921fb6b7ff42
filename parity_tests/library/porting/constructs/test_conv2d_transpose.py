"""constructs/conv2d_transpose: tf.layers.conv2d_transpose / tf.nn.conv2d_transpose -> Conv2DTranspose."""

import legacy_tf1.compat as tf

from .construct_checks import FLAT_HEAD, assert_forward_parity, layer_classes, model_ends, normal, recognised_graph


def _upsampling():
    x = tf.placeholder(tf.float32, [None, 4, 4, 3], name="x")
    hidden = tf.layers.conv2d_transpose(x, 5, 3, strides=2, padding="same", activation=tf.nn.relu, name="up1")
    with tf.variable_scope("up2"):
        kernel = tf.get_variable("W", [2, 2, 2, 5])
        bias = tf.get_variable("b", [2], initializer=tf.random_normal_initializer(seed=1))
    batch = tf.shape(hidden)[0]
    outputs = tf.nn.conv2d_transpose(hidden, kernel, tf.stack([batch, 9, 9, 2]), [1, 1, 1, 1], "VALID") + bias
    return model_ends(x, tf.reshape(outputs, [-1, 9, 9, 2]))  # the stacked shape leaves H, W unknown


def test_transposed_convolutions_forward_match_tf1():
    tf1, recognised = recognised_graph(_upsampling)
    with tf1:
        classes = layer_classes(recognised)
        assert classes == [("up1", "Conv2DTranspose"), ("up2", "Conv2DTranspose"), ("reshape", "Reshape"), *FLAT_HEAD]
        up1, up2 = recognised.layers[:2]
        assert up1.config == {"filters": 5, "kernel_size": (3, 3), "padding": "same", "strides": (2, 2),
                              "activation": "relu"}
        assert {key: up2.config[key] for key in ("filters", "kernel_size", "padding")} == {
            "filters": 2, "kernel_size": (2, 2), "padding": "valid"} and "strides" not in up2.config
        assert_forward_parity(tf1, recognised, normal(8, 4, 4, 3))


def test_an_output_size_keras_would_not_compute_is_not_matched():
    def build():
        x = tf.placeholder(tf.float32, [None, 4, 4, 3], name="x")
        kernel = tf.get_variable("W", [3, 3, 2, 3])
        return model_ends(x, tf.nn.conv2d_transpose(x, kernel, [8, 10, 10, 2], [1, 2, 2, 1], "VALID"))  # Keras: 9
    tf1, recognised = recognised_graph(build)
    with tf1:
        assert "Conv2DTranspose" not in [cls for _, cls in layer_classes(recognised)]
