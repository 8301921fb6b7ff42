"""constructs/batch_norm: tf.layers batch norm on 4-D inputs (fused) -> BatchNormalization, moving
statistics as Keras' inference weights. (The training-switch and 2-D forms: test_recognition.py,
and the kit's layers_estimator_batch_norm program.)"""

import legacy_tf1.compat as tf

from .construct_checks import FLAT_HEAD, assert_forward_parity, layer_classes, model_ends, normal, recognised_graph


def _normalised():
    x = tf.placeholder(tf.float32, [None, 5, 5, 2], name="x")
    hidden = tf.layers.conv2d(x, 3, 3, name="conv")
    normed = tf.layers.batch_normalization(hidden, momentum=0.9, training=False, name="bn",
                                           moving_variance_initializer=tf.constant_initializer(2.0))
    return model_ends(x, normed)


def test_fused_batch_norm_forward_matches_tf1():
    tf1, recognised = recognised_graph(_normalised)
    with tf1:
        assert layer_classes(recognised) == [("conv", "Conv2D"), ("bn", "BatchNormalization"), *FLAT_HEAD]
        assert [source.tf1_variable for source in recognised.layers[1].weights][-2:] == [
            "bn/moving_mean", "bn/moving_variance"]
        assert_forward_parity(tf1, recognised, normal(8, 5, 5, 2))


def test_a_batch_norm_in_nchw_is_not_matched():
    def build():
        x = tf.placeholder(tf.float32, [None, 2, 5, 5], name="x")
        ones, zeros = tf.ones_initializer(), tf.zeros_initializer()
        parameters = [tf.get_variable(name, [2], initializer=initializer) for name, initializer in
                      (("scale", ones), ("offset", zeros), ("mean", zeros), ("variance", ones))]
        normed = tf.nn.fused_batch_norm(x, *parameters[:2], mean=parameters[2], variance=parameters[3],
                                        data_format="NCHW", is_training=False)[0]
        return model_ends(x, normed)
    tf1, recognised = recognised_graph(build)
    with tf1:
        assert layer_classes(recognised) == FLAT_HEAD
        assert [op_type for op_type, _ in recognised.unrecognised_ops] == ["FusedBatchNormV3"]
