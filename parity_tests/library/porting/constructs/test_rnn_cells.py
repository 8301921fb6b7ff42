"""constructs/rnn_cells: TF1 RNN cells recognised as Keras LSTM / GRU / SimpleRNN whose outputs
equal TF1's with the converted weights, and the cells Keras cannot express left unrecognised.

Captured programs go through recognition, a Keras model built from the recognised layers and
the harness's forward check: the compat suite's static_rnn LSTM classifier (default run),
programs/rnn_gru_dynamic.py (GRUCell in dynamic_rnn) and programs/rnn_stacked_lstm.py
(MultiRNNCell of two LSTMCells in dynamic_rnn) (slow: a capture each). Graphs built here
in-process cover each cell's formula (forget_bias, stacked outputs, BasicRNNCell, TF 1.0's
split inputs, MultiRNNCell), dynamic_rnn with TF1's v1 while loop, and the rejections.
"""

import keras
import numpy as np
import pytest

import legacy_tf1.compat as tf
from mnist_core import mnist
from tf1_to_keras import harness
from tf1_to_keras.porting import (
    constructs,
    recognition,
    recognition_context,
    rnn_loops,
)

from ..recognised_ports import captured_tf1, keras_port
from . import construct_checks

TIME_STEPS, FEATURES = 5, 3


def mnist_images(shape, count=1000):
    (_, _), (x_test, _) = mnist.load_data()
    return (x_test[:count] / np.float32(255.0)).astype(np.float32).reshape((count, *shape))


@pytest.fixture(scope="module")
def static_lstm(static_lstm_capture):
    return recognition.recognise(recognition.load_graph(static_lstm_capture), static_lstm_capture)


def test_static_lstm_program_is_an_lstm_and_a_dense(static_lstm):
    assert [(layer.name, layer.keras_class) for layer in static_lstm.layers] == [
        ("basic_lstm_cell", "LSTM"), ("dense", "Dense")]
    lstm = static_lstm.layers[0]
    assert lstm.config == {"units": 64}
    assert [(source.keras_weight, source.tf1_variable) for source in lstm.weights] == [
        ("kernel", "rnn/basic_lstm_cell/kernel"), ("recurrent_kernel", "rnn/basic_lstm_cell/kernel"),
        ("bias", "rnn/basic_lstm_cell/bias")]
    assert lstm.weights[0].transform.to_json() == {"transform": "lstm_cell", "scope": "rnn/basic_lstm_cell",
                                                   "forget_bias": 1.0}
    assert "unstack" in lstm.tf1_ops and "rnn/basic_lstm_cell/MatMul_27" in lstm.tf1_ops
    assert static_lstm.inputs[0].shape == (28, 28) and static_lstm.unrecognised_ops == []


def test_static_lstm_port_forward_matches_tf1(static_lstm_capture, static_lstm):
    keras_side, name_map = keras_port(static_lstm)
    with captured_tf1(static_lstm_capture, static_lstm) as tf1:
        result = harness.check_forward(tf1, keras_side, mnist_images((28, 28)), name_map=name_map)
    assert result.passed, result.failures
    assert result.forward_max_abs_diff <= 1e-5 and list(result.layers) == ["basic_lstm_cell", "dense"]


@pytest.mark.slow  # a capture of its own (~10 s)
def test_dynamic_gru_program_is_reshape_gru_dense_and_forward_matches(dynamic_gru_capture):
    recognised = recognition.recognise(recognition.load_graph(dynamic_gru_capture), dynamic_gru_capture)
    assert [(layer.name, layer.keras_class, layer.config.get("units")) for layer in recognised.layers] == [
        ("reshape", "Reshape", None), ("gru_cell", "GRU", 32), ("logits", "Dense", 10)]
    gru = recognised.layers[1]
    assert gru.config == {"units": 32, "reset_after": False} and gru.tf1_output == "rnn/while/Exit_3:0"
    assert gru.weights[0].transform.to_json() == {"transform": "gru_cell", "scope": "rnn/gru_cell"}
    assert "rnn/while/gru_cell/MatMul_1" in gru.tf1_ops and recognised.unrecognised_ops == []
    keras_side, name_map = keras_port(recognised)
    with captured_tf1(dynamic_gru_capture, recognised) as tf1:
        result = harness.check_forward(tf1, keras_side, mnist_images((784,)), name_map=name_map)
    assert result.passed and result.forward_max_abs_diff <= 1e-5, result.failures


@pytest.mark.slow  # a capture of its own (~10 s)
def test_stacked_dynamic_lstm_program_ports_layer_by_layer(program_capture):
    captured = program_capture("rnn_stacked_lstm.py", "--steps", "1")
    recognised = recognition.recognise(recognition.load_graph(captured), captured)
    assert [(layer.name, layer.keras_class, layer.config) for layer in recognised.layers[:2]] == [
        ("cell_0", "LSTM", {"units": 32, "return_sequences": True}), ("cell_1", "LSTM", {"units": 24})]
    assert recognised.layers[1].tf1_output == "strided_slice:0" and recognised.unrecognised_ops == []
    keras_side, name_map = keras_port(recognised)
    with captured_tf1(captured, recognised) as tf1:
        result = harness.check_forward(tf1, keras_side, mnist_images((28, 28)), name_map=name_map)
    assert result.passed and result.forward_max_abs_diff <= 1e-5, result.failures


# --- cells built here: each formula, and what must stay unrecognised -------------------------------

def time_major_rows(x):
    """TF 1.0 tutorials' way to cut (N, T, F) into T inputs (N, F)."""
    return tf.split(tf.reshape(tf.transpose(x, [1, 0, 2]), [-1, FEATURES]), TIME_STEPS, 0)


def static_rnn_graph(make_cell, stack=False, cut=None, **rnn_arguments):
    """A builder: static_rnn of make_cell() over (N, 5, 3) inputs cut into steps by `cut` (default
    tf.unstack(x, 5, 1)); the last output, or all of them stacked."""
    def build():
        x = tf.placeholder(tf.float32, [None, TIME_STEPS, FEATURES], name="x")
        rows = cut(x) if cut else tf.unstack(x, TIME_STEPS, 1)
        outputs, _ = tf.nn.static_rnn(make_cell(), rows, dtype=tf.float32, **rnn_arguments)
        return {"inputs": x, "outputs": tf.stack(outputs, axis=1) if stack else outputs[-1]}
    return build


def match(tf1, tensor=None):
    """The first rnn matcher's (LayerSpec, input) for `tensor` (the builder's output), else None."""
    with tf1.graph.as_default():
        shapes = {variable.op.name: tuple(variable.shape.as_list()) for variable in tf.global_variables()}
    context = recognition_context.RecognitionContext(tf1.graph, {}, {"x:0"}, shapes)
    return next((found for matcher in constructs.patterns() if matcher.name.startswith("rnn_cells.")
                 if (found := matcher(tf1.endpoints.outputs if tensor is None else tensor, context)) is not None),
                None)


CELLS = {
    "lstm_cell": (lambda: tf.nn.rnn_cell.LSTMCell(6), False, "LSTM", {"units": 6}, 1.0),
    "lstm_time_major_split": (lambda: tf.nn.rnn_cell.BasicLSTMCell(6), time_major_rows, "LSTM", {"units": 6}, 1.0),
    "basic_lstm_forget_bias_0.5": (lambda: tf.nn.rnn_cell.BasicLSTMCell(6, forget_bias=0.5), False, "LSTM",
                                   {"units": 6, "unit_forget_bias": False}, 0.5),
    "gru_all_outputs": (lambda: tf.nn.rnn_cell.GRUCell(5), True, "GRU",
                        {"units": 5, "reset_after": False, "return_sequences": True}, None),
    "basic_rnn": (lambda: tf.nn.rnn_cell.BasicRNNCell(4), False, "SimpleRNN", {"units": 4}, None),
    "basic_rnn_relu": (lambda: tf.nn.rnn_cell.BasicRNNCell(4, activation=tf.nn.relu), True, "SimpleRNN",
                       {"units": 4, "activation": "relu", "return_sequences": True}, None),
}


@pytest.mark.parametrize("case", list(CELLS))
def test_cell_recognised_and_forward_matches(case):
    make_cell, how, keras_class, config, forget_bias = CELLS[case]
    stack, cut = (how, None) if isinstance(how, bool) else (False, how)
    tf1 = harness.TF1Model.from_builder(static_rnn_graph(make_cell, stack, cut), seed=0)
    with tf1:
        layer, sequence = match(tf1)
        assert (layer.keras_class, layer.config, sequence.name) == (keras_class, config, "x:0")
        if forget_bias is not None:
            assert layer.weights[0].transform.arguments["forget_bias"] == forget_bias
        keras_side = harness.KerasModel(keras.Sequential([
            keras.Input((TIME_STEPS, FEATURES)), getattr(keras.layers, keras_class)(name=layer.name, **config)]))
        name_map = harness.NameMap(transforms={layer.name: layer.weights[0].transform})
        x = np.random.default_rng(0).normal(size=(64, TIME_STEPS, FEATURES)).astype(np.float32)
        result = harness.check_forward(tf1, keras_side, x, name_map=name_map)
    assert result.passed and result.forward_max_abs_diff <= 1e-5, result.failures


REJECTED = {
    "peepholes": (lambda: tf.nn.rnn_cell.LSTMCell(6, use_peepholes=True), {}),
    "projection": (lambda: tf.nn.rnn_cell.LSTMCell(6, num_proj=3), {}),
    "cell_clip": (lambda: tf.nn.rnn_cell.LSTMCell(6, cell_clip=2.0), {}),
    "leaky_relu_activation": (lambda: tf.nn.rnn_cell.BasicRNNCell(4, activation=tf.nn.leaky_relu), {}),
    "dropout_wrapper": (lambda: tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.GRUCell(5), output_keep_prob=0.5),
                        {}),
}


@pytest.mark.parametrize("case", list(REJECTED))
def test_cell_keras_cannot_express_is_not_matched(case):
    make_cell, arguments = REJECTED[case]
    with harness.TF1Model.from_builder(static_rnn_graph(make_cell, **arguments), seed=0) as tf1:
        assert match(tf1) is None


def test_multi_rnn_cell_is_two_layers_the_lower_returning_sequences():
    def two_layers():
        return tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.LSTMCell(6), tf.nn.rnn_cell.GRUCell(5)])
    with harness.TF1Model.from_builder(static_rnn_graph(two_layers), seed=0) as tf1:
        upper, below = match(tf1)
        lower, sequence = match(tf1, below)
        assert (upper.name, upper.keras_class, upper.config) == ("cell_1", "GRU", {"units": 5, "reset_after": False})
        assert (lower.name, lower.keras_class, lower.config, lower.tf1_output, sequence.name) == (
            "cell_0", "LSTM", {"units": 6, "return_sequences": True}, "", "x:0")
        assert not set(upper.tf1_ops) & {name for name in lower.tf1_ops if "/cell_0/" in name}
        keras_side = harness.KerasModel(keras.Sequential([
            keras.Input((TIME_STEPS, FEATURES)), keras.layers.LSTM(name="cell_0", **lower.config),
            keras.layers.GRU(name="cell_1", **upper.config)]))
        name_map = harness.NameMap(transforms={"cell_0": lower.weights[0].transform,
                                               "cell_1": upper.weights[0].transform})
        x = np.random.default_rng(0).normal(size=(64, TIME_STEPS, FEATURES)).astype(np.float32)
        result = harness.check_forward(tf1, keras_side, x, name_map=name_map)
    assert result.passed and result.forward_max_abs_diff <= 1e-5, result.failures


def test_initial_state_and_sequence_length_are_not_matched():
    def build():
        x = tf.placeholder(tf.float32, [None, TIME_STEPS, FEATURES], name="x")
        lengths = tf.placeholder(tf.int32, [None], name="lengths")
        rows = tf.unstack(x, TIME_STEPS, 1)
        state = tf.fill([tf.shape(x)[0], 5], 0.5)
        given_state, _ = tf.nn.static_rnn(tf.nn.rnn_cell.GRUCell(5), rows, initial_state=state)
        with tf.variable_scope("masked"):
            masked, _ = tf.nn.static_rnn(tf.nn.rnn_cell.GRUCell(5), rows, dtype=tf.float32,
                                         sequence_length=lengths)
        return {"inputs": {"x": x, "lengths": lengths}, "outputs": given_state[-1],
                "layers": {"masked": masked[-1]}}
    with harness.TF1Model.from_builder(build, seed=0) as tf1:
        assert match(tf1) is None
        assert match(tf1, tf1.endpoints.layers["masked"]) is None


def test_peephole_lstm_program_keeps_its_cell_ops_unrecognised():
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [None, TIME_STEPS, FEATURES], name="x")
        labels = tf.placeholder(tf.int64, [None], name="labels")
        outputs, _ = tf.nn.static_rnn(tf.nn.rnn_cell.LSTMCell(6, use_peepholes=True), tf.unstack(x, TIME_STEPS, 1),
                                      dtype=tf.float32)
        logits = tf.layers.dense(outputs[-1], 4, name="logits")
        tf.train.AdamOptimizer().minimize(tf.losses.sparse_softmax_cross_entropy(labels, logits))
    recognised = recognition.recognise(graph, feeds={})
    assert "LSTM" not in [layer.keras_class for layer in recognised.layers]
    unrecognised = {name for _, name in recognised.unrecognised_ops}
    assert "unstack" in unrecognised and any(name.startswith("rnn/lstm_cell/") for name in unrecognised)


# --- dynamic_rnn, built with TF1's v1 while loop as the runner builds it ---------------------------

def dynamic_rnn_graph(make_cell, take, **rnn_arguments):
    """A builder: dynamic_rnn of make_cell() over (N, 5, 3) inputs, its output chosen by
    take(outputs, state)."""
    def build():
        with rnn_loops.v1_control_flow():
            x = tf.placeholder(tf.float32, [None, TIME_STEPS, FEATURES], name="x")
            outputs, state = tf.nn.dynamic_rnn(make_cell(), x, dtype=tf.float32, **rnn_arguments)
            return {"inputs": x, "outputs": take(outputs, state)}
    return build


def two_lstms():
    return tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.LSTMCell(6), tf.nn.rnn_cell.LSTMCell(4)])


DYNAMIC = {
    "gru_final_state": (lambda: tf.nn.rnn_cell.GRUCell(5), lambda outputs, state: state,
                        [("GRU", {"units": 5, "reset_after": False})]),
    "lstm_all_outputs": (lambda: tf.nn.rnn_cell.BasicLSTMCell(6), lambda outputs, state: outputs,
                         [("LSTM", {"units": 6, "return_sequences": True})]),
    "two_lstms_last_output": (two_lstms, lambda outputs, state: outputs[:, -1, :],
                              [("LSTM", {"units": 6, "return_sequences": True}), ("LSTM", {"units": 4})]),
}


@pytest.mark.parametrize("case", list(DYNAMIC))
def test_dynamic_rnn_recognised_and_forward_matches(case):
    make_cell, take, expected = DYNAMIC[case]
    with harness.TF1Model.from_builder(dynamic_rnn_graph(make_cell, take), seed=0) as tf1:
        layers, tensor = [], tf1.endpoints.outputs
        while tensor.name != "x:0":
            layer, tensor = match(tf1, tensor)
            layers.insert(0, layer)
        assert [(layer.keras_class, layer.config) for layer in layers] == expected
        keras_side = harness.KerasModel(keras.Sequential([keras.Input((TIME_STEPS, FEATURES))] + [
            getattr(keras.layers, layer.keras_class)(name=layer.name, **layer.config) for layer in layers]))
        name_map = harness.NameMap(transforms={layer.name: layer.weights[0].transform for layer in layers})
        x = np.random.default_rng(0).normal(size=(64, TIME_STEPS, FEATURES)).astype(np.float32)
        result = harness.check_forward(tf1, keras_side, x, name_map=name_map)
    assert result.passed and result.forward_max_abs_diff <= 1e-5, result.failures


def test_dynamic_rnn_keras_cannot_express_is_not_matched():
    def build():
        with rnn_loops.v1_control_flow():
            x = tf.placeholder(tf.float32, [None, TIME_STEPS, FEATURES], name="x")
            lengths = tf.placeholder(tf.int32, [None], name="lengths")
            with tf.variable_scope("masked"):
                _, masked = tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(5), x, sequence_length=lengths,
                                              dtype=tf.float32)
            with tf.variable_scope("time_major"):
                time_major, _ = tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(5), x, time_major=True, dtype=tf.float32)
            return {"inputs": {"x": x, "lengths": lengths}, "outputs": masked,
                    "layers": {"time_major": time_major}}
    with harness.TF1Model.from_builder(build, seed=0) as tf1:
        assert match(tf1) is None
        assert match(tf1, tf1.endpoints.layers["time_major"]) is None


def test_multi_rnn_cell_of_dropout_wrappers_is_lstm_dropout_lstm():
    def build():
        with rnn_loops.v1_control_flow():
            x = tf.placeholder(tf.float32, [None, TIME_STEPS, FEATURES], name="x")
            keep_prob = tf.placeholder(tf.float32, name="keep_prob")
            cells = [tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.LSTMCell(units), output_keep_prob=keep_prob)
                     for units in (6, 4)]
            _, states = tf.nn.dynamic_rnn(tf.nn.rnn_cell.MultiRNNCell(cells), x, dtype=tf.float32)
            ends = construct_checks.model_ends(x, states[-1].h)
            return {**ends, "training_feed": {keep_prob: 0.8}, "inference_feed": {keep_prob: 1.0}}
    tf1, recognised = construct_checks.recognised_graph(build, feeds={"keep_prob:0": 0.8})
    with tf1:
        assert [(layer.name, layer.keras_class, layer.config) for layer in recognised.layers] == [
            ("cell_0", "LSTM", {"units": 6, "return_sequences": True}), ("dropout", "Dropout", {"rate": 0.2}),
            ("cell_1", "LSTM", {"units": 4}), ("head", "Dense", {"units": 2})]
        construct_checks.assert_forward_parity(tf1, recognised, construct_checks.normal(64, TIME_STEPS, FEATURES))
