"""constructs/activation: lone activations, leaky_relu's alpha, and selu/elu written with tf.where."""

import pytest

import legacy_tf1.compat as tf

from .construct_checks import HEAD, assert_forward_parity, layer_classes, model_ends, normal, recognised_graph

SELU_SCALE, SELU_ALPHA = 1.0507009873554805, 1.6732632423543772


def _activated(activate):
    def build():
        x = tf.placeholder(tf.float32, [None, 6], name="x")
        return model_ends(x, activate(x))
    return build


CASES = {
    "relu6": (tf.nn.relu6, "Activation", {"activation": "relu6"}),
    "elu": (tf.nn.elu, "Activation", {"activation": "elu"}),
    "selu": (tf.nn.selu, "Activation", {"activation": "selu"}),
    "leaky_relu": (lambda x: tf.nn.leaky_relu(x, alpha=0.1), "LeakyReLU", {"negative_slope": 0.1}),
    "selu_by_where_exp": (lambda x: SELU_SCALE * tf.where(x > 0.0, x, SELU_ALPHA * (tf.exp(x) - 1)),
                          "Activation", {"activation": "selu"}),
    "selu_by_where_elu": (lambda x: tf.multiply(SELU_SCALE, tf.where(x > 0.0, x, SELU_ALPHA * tf.nn.elu(x))),
                          "Activation", {"activation": "selu"}),
    "elu_by_where": (lambda x: tf.where(x > 0.0, x, tf.exp(x) - 1.0), "Activation", {"activation": "elu"}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_activation_recognised_and_forward_matches(case):
    activate, keras_class, config = CASES[case]
    tf1, recognised = recognised_graph(_activated(activate))
    with tf1:
        assert [layer.keras_class for layer in recognised.layers] == [keras_class, "Dense"]
        assert recognised.layers[0].config == config
        assert_forward_parity(tf1, recognised, 3 * normal(64, 6))


def test_a_where_with_other_constants_is_not_an_activation():
    build = _activated(lambda x: 2.0 * tf.where(x > 0.0, x, 0.5 * (tf.exp(x) - 1)))
    tf1, recognised = recognised_graph(build)
    with tf1:
        assert layer_classes(recognised)[-1:] == HEAD and "Activation" not in str(layer_classes(recognised))
        assert {op_type for op_type, _ in recognised.unrecognised_ops} >= {"Greater", "Exp"}
