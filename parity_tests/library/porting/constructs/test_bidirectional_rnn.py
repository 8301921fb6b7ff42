"""constructs/bidirectional_rnn: bidirectional_dynamic_rnn (final states, outputs) and
static_bidirectional_rnn's outputs[-1] -> Bidirectional(...), generated code held to TF1's outputs;
directions that are not one bidirectional layer, and a port with the directions' weights
swapped, refused."""

import pytest

import legacy_tf1.compat as tf
from tf1_to_keras.porting import rnn_loops

from .construct_checks import FLAT_HEAD, HEAD, assert_forward_parity, forward_result, layer_classes, model_ends, \
    normal, recognised_graph

STEPS, FEATURES = 5, 3


def dynamic_graph(make_cell, take):
    """bidirectional_dynamic_rnn of two make_cell()s over x (N, 5, 3); take(outputs, states) fed to a head."""
    def build():
        with rnn_loops.v1_control_flow():
            x = tf.placeholder(tf.float32, [None, STEPS, FEATURES], name="x")
            outputs, states = tf.nn.bidirectional_dynamic_rnn(make_cell(), make_cell(), x, dtype=tf.float32)
            return model_ends(x, take(outputs, states))
    return build


def static_last_graph(make_cell):
    def build():
        x = tf.placeholder(tf.float32, [None, STEPS, FEATURES], name="x")
        outputs, _, _ = tf.nn.static_bidirectional_rnn(make_cell(), make_cell(), tf.unstack(x, STEPS, 1),
                                                       dtype=tf.float32)
        return model_ends(x, outputs[-1])
    return build


def gru():
    return tf.nn.rnn_cell.GRUCell(4)


def lstm():
    return tf.nn.rnn_cell.BasicLSTMCell(4, forget_bias=0.5)


CASES = {
    "dynamic_gru_final_states": (dynamic_graph(gru, lambda outputs, states: tf.concat(states, 1)),
                                 [("bidirectional_rnn", "Bidirectional")] + HEAD, {}),
    "dynamic_lstm_h": (dynamic_graph(lstm, lambda outputs, states: tf.concat([states[0].h, states[1].h], 1)),
                       [("bidirectional_rnn", "Bidirectional")] + HEAD, {}),
    "dynamic_gru_outputs": (dynamic_graph(gru, lambda outputs, states: tf.concat(outputs, 2)),
                            [("bidirectional_rnn", "Bidirectional")] + FLAT_HEAD, {"return_sequences": True}),
    "static_lstm_last_output": (static_last_graph(lstm), [
        ("bidirectional_rnn", "Bidirectional"), ("cropping1d", "Cropping1D"), ("flatten", "Flatten")] + HEAD,
        {"return_sequences": True}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bidirectional_recognised_and_generated_model_matches_tf1(case):
    build, layers, inner_config = CASES[case]
    tf1, recognised = recognised_graph(build)
    with tf1:
        assert layer_classes(recognised) == layers
        inner = recognised.layers[0].config["layer"]
        assert {key: value for key, value in inner.kwargs.items() if key == "return_sequences"} == inner_config
        source = assert_forward_parity(tf1, recognised, normal(64, STEPS, FEATURES))
    assert "keras.layers.Bidirectional(\n" in source or "keras.layers.Bidirectional(keras.layers." in source
    assert "Lambda" not in source


def test_swapped_directions_fail_the_forward_check():
    tf1, recognised = recognised_graph(CASES["dynamic_gru_final_states"][0])
    with tf1:
        bidirectional = recognised.layers[0]
        half = len(bidirectional.weights) // 2
        for forward, backward in zip(bidirectional.weights[:half], bidirectional.weights[half:]):
            forward.transform, backward.transform = backward.transform, forward.transform
        _, result = forward_result(tf1, recognised, normal(64, STEPS, FEATURES))
    assert not result.passed and result.forward_max_abs_diff > 1e-3


def test_directions_of_other_sizes_or_inputs_are_not_one_layer():
    def build():
        with rnn_loops.v1_control_flow():
            x = tf.placeholder(tf.float32, [None, STEPS, FEATURES], name="x")
            with tf.variable_scope("sizes"):
                _, (fw, bw) = tf.nn.bidirectional_dynamic_rnn(tf.nn.rnn_cell.GRUCell(4), tf.nn.rnn_cell.GRUCell(3),
                                                              x, dtype=tf.float32)
            with tf.variable_scope("one"):
                _, one = tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(4), x, dtype=tf.float32)
            with tf.variable_scope("two"):
                _, two = tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(4), x, dtype=tf.float32)
            return model_ends(x, tf.concat([tf.concat([fw, bw], 1), tf.concat([one, two], 1)], 1))
    tf1, recognised = recognised_graph(build)
    with tf1:
        classes = [keras_class for _, keras_class in layer_classes(recognised)]
    assert "Bidirectional" not in classes and classes.count("GRU") == 4
