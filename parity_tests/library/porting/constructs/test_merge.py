"""constructs/merge: residual adds and concatenations of model tensors -> Add, Concatenate, ...
(a functional model: each layer its inputs), outputs equal TF1's."""

import legacy_tf1.compat as tf

from .construct_checks import HEAD, assert_forward_parity, layer_classes, model_ends, normal, recognised_graph


def _residual_and_concat():
    x = tf.placeholder(tf.float32, [None, 6], name="x")
    block = tf.layers.dense(x, 6, activation=tf.nn.relu, name="block")
    residual = tf.add(x, block, name="residual")
    branch = tf.layers.dense(x, 3, activation=tf.nn.tanh, name="branch")
    joined = tf.concat([residual, branch], axis=-1, name="joined")
    return model_ends(x, tf.subtract(joined, tf.layers.dense(joined, 9, name="gate"), name="difference"))


def test_residual_add_and_concat_forward_match_tf1():
    tf1, recognised = recognised_graph(_residual_and_concat)
    with tf1:
        assert not recognised.is_chain
        assert [(layer.name, layer.keras_class, layer.inputs) for layer in recognised.layers if layer.inputs[1:]] == [
            ("residual", "Add", ["x", "block"]), ("joined", "Concatenate", ["residual", "branch"]),
            ("difference", "Subtract", ["joined", "gate"])]
        source = assert_forward_parity(tf1, recognised, normal(32, 6))
    assert "keras.layers.Concatenate(name=\"joined\")([residual, branch])" in source.replace("\n", "")


def test_a_concat_along_the_batch_is_not_a_layer():
    def build():
        x = tf.placeholder(tf.float32, [None, 6], name="x")
        return model_ends(x, tf.concat([x, tf.layers.dense(x, 6, name="fc")], axis=0))
    tf1, recognised = recognised_graph(build)
    with tf1:
        assert layer_classes(recognised) == [("fc", "Dense"), *HEAD]
        assert [op_type for op_type, _ in recognised.unrecognised_ops] == ["ConcatV2"]
