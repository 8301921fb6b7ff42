"""constructs/reshape: a batch-keeping Reshape -> Flatten (to (N, -1)) or Reshape(target_shape)."""

import legacy_tf1.compat as tf

from .construct_checks import HEAD, assert_forward_parity, layer_classes, model_ends, normal, recognised_graph


def _reshapes():
    x = tf.placeholder(tf.float32, [None, 12], name="x")
    image = tf.reshape(x, [-1, 2, 2, 3], name="image")
    outputs = tf.reshape(image, [tf.shape(image)[0], 12], name="flat")
    return model_ends(x, outputs)


def test_reshape_then_flatten_forward_matches_tf1():
    tf1, recognised = recognised_graph(_reshapes)
    with tf1:
        assert [cls for _, cls in layer_classes(recognised)] == ["Reshape", "Flatten", "Dense"]
        assert recognised.layers[0].config == {"target_shape": (2, 2, 3)}
        assert_forward_parity(tf1, recognised, normal(4, 12))


def test_a_reshape_that_changes_the_batch_is_not_matched():
    def build():
        x = tf.placeholder(tf.float32, [None, 12], name="x")
        outputs = tf.reshape(x, [4, 3])  # a fixed first dimension: not the batch
        return model_ends(x, outputs)
    tf1, recognised = recognised_graph(build)
    with tf1:
        assert layer_classes(recognised) == HEAD and recognised.unrecognised_ops == [("Reshape", "Reshape")]
