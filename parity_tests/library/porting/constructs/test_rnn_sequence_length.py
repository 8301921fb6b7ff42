"""constructs/rnn_sequence_length: dynamic_rnn with sequence_length -> SequenceLengthMask, then the
cell's layer under the mask; the final state and the gathered last relevant output, generated
code held to TF1's outputs on sequences of every length; a gather of another step refused."""

import numpy as np
import pytest

import legacy_tf1.compat as tf
from tf1_to_keras.porting import rnn_loops

from .construct_checks import HEAD, assert_forward_parity, layer_classes, model_ends, recognised_graph

STEPS, FEATURES = 6, 2


def masked_graph(make_cell, take):
    def build():
        with rnn_loops.v1_control_flow():
            x = tf.placeholder(tf.float32, [None, STEPS, FEATURES], name="x")
            lengths = tf.placeholder(tf.int32, [None], name="lengths")
            outputs, state = tf.nn.dynamic_rnn(make_cell(), x, sequence_length=lengths, dtype=tf.float32)
            ends = model_ends(x, take(outputs, state, lengths))
            return {**ends, "inputs": {"x": x, "lengths": lengths}}
    return build


def last_relevant(outputs, state, lengths, offset=1):
    index = tf.range(0, tf.shape(outputs)[0]) * STEPS + (lengths - offset)
    return tf.gather(tf.reshape(outputs, [-1, int(outputs.shape[-1])]), index)


CASES = {
    "lstm_last_relevant_output": (lambda: tf.nn.rnn_cell.BasicLSTMCell(5), last_relevant, "LSTM"),
    "lstm_final_state_h": (lambda: tf.nn.rnn_cell.LSTMCell(5), lambda outputs, state, lengths: state.h, "LSTM"),
    "gru_final_state": (lambda: tf.nn.rnn_cell.GRUCell(4), lambda outputs, state, lengths: state, "GRU"),
}


def examples(count=64):
    rng = np.random.default_rng(0)
    return {"x": rng.normal(size=(count, STEPS, FEATURES)).astype(np.float32),
            "lengths": rng.integers(1, STEPS + 1, count).astype(np.int32)}


@pytest.mark.parametrize("case", list(CASES))
def test_sequence_length_is_a_mask_and_generated_model_matches_tf1(case):
    make_cell, take, keras_class = CASES[case]
    tf1, recognised = recognised_graph(masked_graph(make_cell, take))
    with tf1:
        assert [cls for _, cls in layer_classes(recognised)] == ["SequenceLengthMask", keras_class, "Dense"]
        assert layer_classes(recognised)[-1:] == HEAD
        source = assert_forward_parity(tf1, recognised, examples())
    assert "class SequenceLengthMask(keras.layers.Layer):" in source and "Lambda" not in source


def test_a_gather_of_another_step_is_not_the_last_relevant_output():
    def second_to_last(outputs, state, lengths):
        return last_relevant(outputs, state, lengths, offset=2)
    tf1, recognised = recognised_graph(masked_graph(lambda: tf.nn.rnn_cell.BasicLSTMCell(5), second_to_last))
    with tf1:
        assert "SequenceLengthMask" not in [cls for _, cls in layer_classes(recognised)]
        assert recognised.unrecognised_ops
