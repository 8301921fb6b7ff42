"""constructs/dense_nd: Dense on 3-D inputs (tf.layers.dense's tensordot, reshape-matmul-reshape by
hand) -> Dense on the last axis; outputs equal TF1's."""

import legacy_tf1.compat as tf

from .construct_checks import FLAT_HEAD, assert_forward_parity, layer_classes, model_ends, normal, recognised_graph


def _sequence_dense():
    x = tf.placeholder(tf.float32, [None, 5, 4], name="x")
    hidden = tf.layers.dense(x, 3, activation=tf.nn.relu, name="td")
    with tf.variable_scope("by_hand"):
        kernel, bias = tf.get_variable("W", [3, 2]), tf.get_variable("b", [2])
    outputs = tf.reshape(tf.matmul(tf.reshape(hidden, [-1, 3]), kernel), [-1, 5, 2]) + bias
    return model_ends(x, tf.nn.tanh(outputs))


def test_dense_on_3d_inputs_forward_matches_tf1():
    tf1, recognised = recognised_graph(_sequence_dense)
    with tf1:
        assert layer_classes(recognised) == [("td", "Dense"), ("by_hand", "Dense"), *FLAT_HEAD]
        assert [layer.config.get("activation") for layer in recognised.layers[:2]] == ["relu", "tanh"]
        assert_forward_parity(tf1, recognised, normal(16, 5, 4))


def test_a_reshape_that_mixes_time_steps_is_not_a_dense():
    def build():
        x = tf.placeholder(tf.float32, [None, 6, 4], name="x")
        mixed = tf.matmul(tf.reshape(x, [-1, 8]), tf.get_variable("W", [8, 2]))  # two steps per row
        return model_ends(x, tf.reshape(mixed, [-1, 3, 2]))
    tf1, recognised = recognised_graph(build)
    with tf1:  # three layers of their own, as the program wrote them, not one Dense on the last axis
        assert [cls for _, cls in layer_classes(recognised)] == ["Reshape", "Dense", "Reshape", "Flatten", "Dense"]
        assert recognised.layers[0].config == {"target_shape": (8,)}


def test_dense_of_flattened_rows_with_its_bias_inside_the_reshape_is_one_dense():
    def build():  # hands-on ML's sequence regression head: reshape, tf.layers.dense, reshape back
        x = tf.placeholder(tf.float32, [None, 5, 4], name="x")
        swapped = tf.transpose(tf.transpose(x, [1, 0, 2]), [1, 0, 2])  # a real transpose before: not tensordot's
        rows = tf.layers.dense(tf.reshape(swapped, [-1, 4]), 2, activation=tf.nn.sigmoid, name="rows")
        return model_ends(x, tf.reshape(rows, [-1, 5, 2]))
    tf1, recognised = recognised_graph(build)
    with tf1:
        classes = layer_classes(recognised)
        assert ("rows", "Dense") in classes and "Reshape" not in [cls for _, cls in classes]
        assert recognised.layers[[name for name, _ in classes].index("rows")].config["activation"] == "sigmoid"
