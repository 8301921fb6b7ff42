"""constructs/dense: `act(x @ W + b)` by hand and by tf.layers -> Dense, outputs equal TF1's."""

import legacy_tf1.compat as tf

from .construct_checks import assert_forward_parity, layer_classes, normal, recognised_graph


def _raw_variables():
    x = tf.placeholder(tf.float32, [None, 6], name="x")
    with tf.variable_scope("hidden"):
        weights = tf.get_variable("W", [6, 5])
        bias = tf.get_variable("b", [5], initializer=tf.random_normal_initializer())
    hidden = tf.nn.tanh(tf.matmul(x, weights) + bias)
    outputs = tf.layers.dense(hidden, 3, use_bias=False, name="logits")
    tf.nn.softmax(outputs)
    return {"inputs": x, "outputs": outputs}


def test_matmul_bias_activation_by_hand_and_tf_layers_are_dense():
    tf1, recognised = recognised_graph(_raw_variables)
    with tf1:
        assert layer_classes(recognised) == [("hidden", "Dense"), ("logits", "Dense")]
        assert recognised.layers[0].config["activation"] == "tanh"
        assert recognised.layers[1].config == {"units": 3, "use_bias": False}
        assert_forward_parity(tf1, recognised, normal(32, 6))


def test_a_matmul_with_transposed_input_is_not_dense():
    def build():
        x = tf.placeholder(tf.float32, [None, 6], name="x")
        outputs = tf.matmul(x, tf.get_variable("W", [3, 6]), transpose_a=True, transpose_b=True)
        tf.nn.softmax(outputs)
        return {"inputs": x, "outputs": outputs}
    tf1, recognised = recognised_graph(build)
    with tf1:
        assert layer_classes(recognised) == [] and recognised.unrecognised_ops == [("MatMul", "MatMul")]
