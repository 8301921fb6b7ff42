"""constructs/embedding: `tf.nn.embedding_lookup` of a 2-D variable over int ids -> Embedding."""

import numpy as np

import legacy_tf1.compat as tf

from .construct_checks import assert_forward_parity, layer_classes, model_ends, recognised_graph


def _lookup(ids_dtype):
    def build():
        ids = tf.placeholder(ids_dtype, [None, 4], name="ids")
        table = tf.get_variable("words/embeddings", [20, 3], initializer=tf.random_normal_initializer(seed=1))
        return model_ends(ids, tf.nn.embedding_lookup(table, ids))
    return build


def test_embedding_lookup_forward_matches_tf1():
    tf1, recognised = recognised_graph(_lookup(tf.int32))
    with tf1:
        assert layer_classes(recognised) == [("words", "Embedding"), ("flat", "Flatten"), ("head", "Dense")]
        assert recognised.layers[0].config == {"input_dim": 20, "output_dim": 3}
        assert recognised.inputs[0].dtype == "int32"
        ids = np.random.default_rng(0).integers(0, 20, size=(16, 4)).astype(np.int32)
        source = assert_forward_parity(tf1, recognised, ids)
    assert 'dtype="int32"' in source


def test_a_gather_on_another_axis_is_not_an_embedding():
    def build():
        x = tf.placeholder(tf.float32, [None, 6], name="x")
        hidden = tf.layers.dense(x, 6, name="fc")
        return model_ends(x, tf.gather(hidden, [0, 2, 4], axis=1))
    tf1, recognised = recognised_graph(build)
    with tf1:
        assert "Embedding" not in [cls for _, cls in layer_classes(recognised)]
        assert [op_type for op_type, _ in recognised.unrecognised_ops] == ["GatherV2"]
