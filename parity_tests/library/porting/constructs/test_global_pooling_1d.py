"""constructs/global_pooling_1d: `reduce_mean(embedded, axis=1)` of a 3-D tensor -> GlobalAveragePooling1D."""

import numpy as np
import pytest

import legacy_tf1.compat as tf

from .construct_checks import assert_forward_parity, layer_classes, model_ends, recognised_graph


def _bag(axis, keepdims):
    def build():
        ids = tf.placeholder(tf.int32, [None, 5], name="ids")
        table = tf.get_variable("words/embeddings", [30, 4], initializer=tf.random_uniform_initializer(-1, 1, seed=2))
        embedded = tf.nn.embedding_lookup(table, ids)
        return model_ends(ids, tf.reduce_mean(embedded, axis=axis, keepdims=keepdims, name="bag"))
    return build


def _ids():
    return np.random.default_rng(0).integers(0, 30, size=(12, 5)).astype(np.int32)


@pytest.mark.parametrize("axis, keepdims, classes", [
    (1, False, ["Embedding", "GlobalAveragePooling1D", "Dense"]),
    (-2, True, ["Embedding", "GlobalAveragePooling1D", "Flatten", "Dense"]),
], ids=["flat", "keepdims"])
def test_mean_over_the_sequence_axis_forward_matches_tf1(axis, keepdims, classes):
    tf1, recognised = recognised_graph(_bag(axis, keepdims))
    with tf1:
        assert [cls for _, cls in layer_classes(recognised)] == classes
        assert recognised.layers[1].config == ({"keepdims": True} if keepdims else {})
        assert recognised.layers[1].name == "bag"
        assert_forward_parity(tf1, recognised, _ids())


def test_a_mean_over_the_feature_axis_is_not_pooling():
    tf1, recognised = recognised_graph(_bag(2, False))
    with tf1:
        assert "GlobalAveragePooling1D" not in [cls for _, cls in layer_classes(recognised)]
        assert ("Mean", "bag") in recognised.unrecognised_ops
