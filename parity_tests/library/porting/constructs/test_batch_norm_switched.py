"""constructs/batch_norm on 2-D inputs with `training=` a bool tensor, as the runner builds it (v1
`tf.cond`: Switch/Merge, reference variables read through RefSwitch): `tf.nn.batch_normalization`'s
arithmetic on Merge(batch moments, moving statistics) -> BatchNormalization, its momentum read from
the moving-average update inside the cond."""

import legacy_tf1.compat as tf

from tf1_to_keras.porting import rnn_loops

from .construct_checks import HEAD, assert_forward_parity, layer_classes, model_ends, normal, recognised_graph


def _normalised(moving_averages=True):
    def build():
        with tf.variable_scope("", use_resource=False):  # the runner's TF1 variables
            x = tf.placeholder(tf.float32, [None, 6], name="x")
            training = tf.placeholder_with_default(False, [], name="is_training")
            hidden = tf.layers.dense(x, 5, use_bias=False, name="fc1")
            if moving_averages:
                hidden = tf.layers.batch_normalization(
                    hidden, training=training, momentum=0.9, epsilon=1e-3, name="bn1",
                    moving_mean_initializer=tf.constant_initializer(0.5),
                    moving_variance_initializer=tf.constant_initializer(2.0))
            else:  # batch moments at inference too: no Keras layer normalises so
                mean, variance = tf.nn.moments(hidden, [0])
                hidden = tf.nn.batch_normalization(hidden, mean, variance, None, None, 1e-3)
            return model_ends(x, tf.nn.relu(hidden))
    with rnn_loops.v1_control_flow():
        return recognised_graph(build)


def test_switched_batch_norm_forward_matches_tf1_on_moving_statistics():
    tf1, recognised = _normalised()
    with tf1:
        assert layer_classes(recognised) == [("fc1", "Dense"), ("bn1", "BatchNormalization"),
                                             ("re_lu", "ReLU"), *HEAD]
        assert recognised.layers[1].config == {"epsilon": 0.001, "momentum": 0.9}
        assert [source.tf1_variable for source in recognised.layers[1].weights] == [
            "bn1/gamma", "bn1/beta", "bn1/moving_mean", "bn1/moving_variance"]
        assert_forward_parity(tf1, recognised, normal(8, 6))


def test_batch_moments_without_moving_averages_are_not_batch_normalization():
    tf1, recognised = _normalised(moving_averages=False)
    with tf1:
        assert "BatchNormalization" not in [cls for _, cls in layer_classes(recognised)]
        assert "Rsqrt" in {op_type for op_type, _ in recognised.unrecognised_ops}
