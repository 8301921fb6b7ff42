"""constructs/dropout: tf.nn.dropout / tf.layers.dropout (plain or under a training switch) ->
Dropout(rate), the rate read from keep_prob's feed; inference outputs equal TF1's."""

import legacy_tf1.compat as tf

from .construct_checks import assert_forward_parity, layer_classes, model_ends, normal, recognised_graph


def _dropouts():
    x = tf.placeholder(tf.float32, [None, 6], name="x")
    keep_prob = tf.placeholder_with_default(1.0, [], name="keep_prob")
    training = tf.placeholder_with_default(False, [], name="training")
    hidden = tf.nn.dropout(tf.layers.dense(x, 6, name="fc"), keep_prob)
    return model_ends(x, tf.layers.dropout(hidden, 0.3, training=training, name="drop"))


def test_dropouts_read_their_rates_and_forward_matches_tf1():
    tf1, recognised = recognised_graph(_dropouts, feeds={"keep_prob:0": 0.75})
    with tf1:
        assert [cls for _, cls in layer_classes(recognised)] == ["Dense", "Dropout", "Dropout", "Dense"]
        assert [layer.config["rate"] for layer in recognised.layers[1:3]] == [0.25, 0.3]
        assert_forward_parity(tf1, recognised, normal(16, 6))


def test_a_random_mask_without_the_dropout_scaling_is_not_dropout():
    def build():
        x = tf.placeholder(tf.float32, [None, 6], name="x")
        hidden = tf.layers.dense(x, 6, name="fc")
        mask = tf.cast(tf.random_uniform(tf.shape(hidden)) > 0.5, tf.float32)
        return model_ends(x, hidden * mask)
    tf1, recognised = recognised_graph(build)
    with tf1:
        assert "Dropout" not in [cls for _, cls in layer_classes(recognised)]


def test_slim_dropouts_are_named_by_their_slim_scope():
    """slim.dropout(scope="dropout6") opens tf.nn.dropout's own "dropout" scope inside its own:
    the layer is "dropout6", as alexnet_v2 and vgg_16 name it; an outer model scope is no name."""
    slim = tf.contrib.slim

    def build():
        x = tf.placeholder(tf.float32, [None, 6], name="x")
        with tf.variable_scope("net"):
            hidden = slim.dropout(slim.fully_connected(x, 6, scope="fc6"), 0.5, is_training=True, scope="dropout6")
            hidden = tf.nn.dropout(slim.fully_connected(hidden, 6, scope="fc7"), rate=0.25)
        return model_ends(x, hidden)
    tf1, recognised = recognised_graph(build)
    with tf1:
        assert [name for name, cls in layer_classes(recognised) if cls == "Dropout"] == ["dropout6", "dropout"]


def test_a_slim_dropout_under_an_is_training_tensor_is_named_by_its_scope_too():
    slim = tf.contrib.slim

    def build():
        x = tf.placeholder(tf.float32, [None, 6], name="x")
        is_training = tf.placeholder_with_default(False, [], name="is_training")
        return model_ends(x, slim.dropout(slim.fully_connected(x, 6, scope="fc6"), 0.5, is_training=is_training,
                                          scope="dropout6"))
    tf1, recognised = recognised_graph(build)
    with tf1:
        assert layer_classes(recognised)[1] == ("dropout6", "Dropout")
        assert_forward_parity(tf1, recognised, normal(16, 6))
