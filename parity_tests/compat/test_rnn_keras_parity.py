"""TF 1.x RNN cells next to their Keras 3 twins, on real MNIST rows (28 steps of 28 pixels).

The TF 1.x side runs the layer's cells under `dynamic_rnn` / `static_rnn` in a graph of
its own; the Keras side runs eagerly with the weights converted by
`tf1_to_keras.harness.rnn_weights`. Forward parity is held to `tolerances.FORWARD_ATOL`; the
conversions that are done wrong (no gate reordering, no forget bias, Keras GRU's
default `reset_after=True`, no mask for `sequence_length`) are shown to miss by far.
docs/MIGRATION.md, "RNN cells", names these tests.
"""

import keras
import numpy as np
import pytest

import legacy_tf1.compat as tf
from mnist_core import mnist
from tf1_to_keras.harness import closeness, rnn_weights, tolerances
from rnn_runs import run_rnn

CELLS = tf.nn.rnn_cell
UNITS = 32
ROWS = 28

# The cells' deprecation notices are TF 1.x's own (the programs show them); not news here.
pytestmark = pytest.mark.filterwarnings("ignore:`tf.nn.rnn_cell.*is deprecated:UserWarning")


@pytest.fixture(scope="module")
def mnist_rows():
    """FORWARD_IMAGES real test images as 28 time steps of 28 pixels, in [0, 1]."""
    images = mnist.load_data()[1][0][:tolerances.FORWARD_IMAGES]
    return images.astype(np.float32) / np.float32(255.0)


def keras_output(layers, weights, inputs, **call_arguments):
    """Keras layers applied in turn to `inputs` after `set_weights`, eagerly."""
    outputs = inputs
    for layer, layer_weights in zip(layers, weights, strict=True):
        layer.build((None, *outputs.shape[1:]))
        layer.set_weights(layer_weights)
        outputs = layer(outputs, **call_arguments)
    return keras.tree.map_structure(keras.ops.convert_to_numpy, outputs)


def assert_forward_close(actual, expected, name):
    return closeness.assert_close(actual, expected, name=name, atol=tolerances.FORWARD_ATOL,
                                   rtol=tolerances.FORWARD_RTOL)


def sequences(layer_class, count, **options):
    return lambda: [layer_class(UNITS, return_sequences=True, **options) for _ in range(count)]


MULTI = "rnn/multi_rnn_cell/cell_{}/basic_lstm_cell"
# key: (TF 1.x cell, converter of its variables to each Keras layer's weights, Keras layers)
PARITY_CASES = {
    "lstm": (lambda: CELLS.BasicLSTMCell(UNITS),
             lambda v: [rnn_weights.lstm_to_keras(v, "rnn/basic_lstm_cell")], sequences(keras.layers.LSTM, 1)),
    "lstm_block_forget_bias_0.5": (
        lambda: tf.contrib.rnn.LSTMBlockCell(UNITS, forget_bias=0.5),
        lambda v: [rnn_weights.lstm_to_keras(v, "rnn/lstm_cell", forget_bias=0.5)], sequences(keras.layers.LSTM, 1)),
    "gru": (lambda: CELLS.GRUCell(UNITS), lambda v: [rnn_weights.gru_to_keras(v, "rnn/gru_cell")],
            sequences(keras.layers.GRU, 1, reset_after=False)),
    "simple_rnn": (lambda: CELLS.BasicRNNCell(UNITS),
                   lambda v: [rnn_weights.simple_rnn_to_keras(v, "rnn/basic_rnn_cell")],
                   sequences(keras.layers.SimpleRNN, 1)),
    "two_layer_lstm": (lambda: CELLS.MultiRNNCell([CELLS.BasicLSTMCell(UNITS) for _ in range(2)]),
                       lambda v: [rnn_weights.lstm_to_keras(v, MULTI.format(i)) for i in range(2)],
                       sequences(keras.layers.LSTM, 2)),
}


@pytest.fixture(scope="module")
def tf1_run(mnist_rows):
    """(outputs, final state, variables) of PARITY_CASES[key]'s cell over the MNIST rows, run once."""
    runs = {}

    def run(key):
        if key not in runs:
            runs[key] = run_rnn(PARITY_CASES[key][0], mnist_rows)
        return runs[key]
    return run


@pytest.mark.parametrize("key", PARITY_CASES)
def test_tf1_cell_and_keras_layer_agree_on_mnist_rows(key, tf1_run, mnist_rows):
    _, convert, keras_layers = PARITY_CASES[key]
    outputs, _, variables = tf1_run(key)
    assert_forward_close(keras_output(keras_layers(), convert(variables), mnist_rows), outputs, f"{key} outputs")


# --- the traps ----------------------------------------------------------------------------------

def keras_lstm_miss(tf1_run, mnist_rows, weights):
    """Max |Keras LSTM(weights) - TF 1.x BasicLSTMCell| over every output of the MNIST rows."""
    outputs, _, _ = tf1_run("lstm")
    return closeness.max_abs_diff(keras_output(sequences(keras.layers.LSTM, 1)(), [weights], mnist_rows), outputs)


def test_lstm_weights_without_gate_reordering_miss_by_far(tf1_run, mnist_rows):
    _, _, variables = tf1_run("lstm")
    kernel, bias = variables["rnn/basic_lstm_cell/kernel"], variables["rnn/basic_lstm_cell/bias"].copy()
    bias[2 * UNITS:3 * UNITS] += 1.0  # the forget bias, on TF 1.x's f block: only the order is wrong
    miss = keras_lstm_miss(tf1_run, mnist_rows, [kernel[:ROWS], kernel[ROWS:], bias])
    assert miss > 0.1, miss  # measured 0.98 (seed 0, 1,000 images)


def test_lstm_weights_without_forget_bias_miss_by_far(tf1_run, mnist_rows):
    _, _, variables = tf1_run("lstm")
    weights = rnn_weights.lstm_to_keras(variables, "rnn/basic_lstm_cell", forget_bias=0.0)
    miss = keras_lstm_miss(tf1_run, mnist_rows, weights)
    assert miss > 0.1, miss  # measured 0.29 (seed 0, 1,000 images)


def test_keras_gru_default_reset_after_does_not_match(tf1_run, mnist_rows):
    outputs, _, variables = tf1_run("gru")
    kernel, recurrent_kernel, bias = rnn_weights.gru_to_keras(variables, "rnn/gru_cell")
    layer = keras.layers.GRU(UNITS, return_sequences=True)  # reset_after=True: bias [2, 3u]
    assert layer.reset_after
    keras_outputs = keras_output([layer], [[kernel, recurrent_kernel, np.stack([bias, 0 * bias])]], mnist_rows)
    miss = closeness.max_abs_diff(keras_outputs, outputs)
    assert miss > 0.05, miss  # measured 0.11 (seed 0, 1,000 images)


def test_static_rnn_is_keras_lstm_unrolled_and_final_states_swap_order(mnist_rows):
    images = mnist_rows[:100]
    graph = tf.Graph()
    with graph.as_default():
        rows = tf.placeholder(tf.float32, [None, ROWS, ROWS])
        outputs, state = tf.nn.static_rnn(CELLS.BasicLSTMCell(UNITS), tf.unstack(rows, ROWS, 1), dtype=tf.float32)
        variables = tf.global_variables()
    with tf.Session(graph=graph) as session:
        session.run(tf.global_variables_initializer())
        outputs, state, values = session.run([outputs, state, variables], {rows: images})
    weights = rnn_weights.lstm_to_keras(dict(zip([v.name for v in variables], values)), "rnn/basic_lstm_cell")
    for layer in (keras.layers.LSTM(UNITS, unroll=True, return_sequences=True, return_state=True),
                  keras.layers.RNN(keras.layers.LSTMCell(UNITS), unroll=True, return_sequences=True,
                                   return_state=True)):
        sequence, first_state, second_state = keras_output([layer], [weights], images)
        assert_forward_close(sequence, np.stack(outputs, axis=1), f"{layer.name} outputs")
        assert_forward_close(first_state, state.h, f"{layer.name} state h")  # Keras: [h, c]
        assert_forward_close(second_state, state.c, f"{layer.name} state c")  # TF 1.x: (c, h)
        assert closeness.max_abs_diff(first_state, state[0]) > 0.1  # state[0] is c


def test_sequence_length_is_a_keras_mask_with_zero_output_for_mask(mnist_rows):
    ink = mnist_rows.max(axis=2) > 0
    lengths = (ROWS - np.argmax(ink[:, ::-1], axis=1)).astype(np.int32)  # up to the last row with ink
    assert lengths.min() < ROWS - 3
    outputs, state, variables = run_rnn(lambda: CELLS.GRUCell(UNITS), mnist_rows, sequence_length=lengths)
    weights = [rnn_weights.gru_to_keras(variables, "rnn/gru_cell")]
    mask = np.arange(ROWS)[np.newaxis, :] < lengths[:, np.newaxis]
    misses = {}
    for zero_output in (True, False):
        layer = keras.layers.GRU(UNITS, reset_after=False, return_sequences=True, return_state=True,
                                 zero_output_for_mask=zero_output)
        sequence, final_state = keras_output([layer], weights, mnist_rows, mask=mask)
        assert_forward_close(final_state, state, f"final state, zero_output_for_mask={zero_output}")
        misses[zero_output] = closeness.max_abs_diff(sequence, outputs)
    assert misses[True] <= tolerances.FORWARD_ATOL and misses[False] > 0.1, misses  # measured 0.82
    _, unmasked_state = keras_output([keras.layers.GRU(UNITS, reset_after=False, return_sequences=True,
                                                              return_state=True)], weights, mnist_rows)
    assert closeness.max_abs_diff(unmasked_state, state) > 0.1  # measured 0.67


# --- the converter's refusals ---------------------------------------------------------------------

def test_converter_ignores_optimizer_slots_and_rejects_options_and_bad_shapes():
    scope = "rnn/lstm_cell"
    cell = {f"{scope}/kernel": np.zeros((10, 16)), f"{scope}/bias": np.zeros(16),
            f"{scope}/kernel/Adam": np.zeros((10, 16)), "rnn/other/kernel": np.zeros(3)}
    assert [w.shape for w in rnn_weights.lstm_to_keras(cell, scope)] == [(6, 16), (4, 16), (16,)]
    refusals = [
        (lambda: rnn_weights.lstm_to_keras({**cell, f"{scope}/w_f_diag": np.zeros(4)}, scope), "use_peepholes"),
        (lambda: rnn_weights.lstm_to_keras({**cell, f"{scope}/projection/kernel": np.zeros((4, 2))}, scope),
         "num_proj"),
        (lambda: rnn_weights.lstm_to_keras(cell, scope, cell_clip=3.0), "cell_clip=3.0"),
        (lambda: rnn_weights.lstm_to_keras({**cell, f"{scope}/bias": np.zeros(12)}, scope),
         r"rnn/lstm_cell/bias: shape \(12,\); expected \(16,\)"),
        (lambda: rnn_weights.lstm_to_keras({**cell, f"{scope}/kernel": np.zeros((3, 16))}, scope),
         r"rnn/lstm_cell/kernel: shape \(3, 16\) has 3 rows for 4 units"),
        (lambda: rnn_weights.gru_to_keras(cell, "rnn/gru_cell"), r"missing \['candidate/bias'"),
    ]
    for convert, message in refusals:
        with pytest.raises(ValueError, match=message):
            convert()


def test_keras_initial_weights_are_not_tf1s():
    lstm, gru = keras.layers.LSTM(8), keras.layers.GRU(8, reset_after=False)
    lstm.build((None, ROWS, ROWS))
    gru.build((None, ROWS, ROWS))
    _, recurrent_kernel, lstm_bias = (keras.ops.convert_to_numpy(w) for w in lstm.weights)
    # Orthogonal recurrent kernel (TF 1.x: one glorot_uniform kernel over [x, h]).
    np.testing.assert_allclose(recurrent_kernel @ recurrent_kernel.T, np.eye(8), atol=1e-5)
    # unit_forget_bias: ones in the stored forget block (TF 1.x: zeros, forget_bias added at run time).
    np.testing.assert_array_equal(lstm_bias, np.repeat([0.0, 1.0, 0.0, 0.0], 8))
    # Zero GRU bias (TF 1.x's GRUCell: gates/bias starts at 1.0).
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(gru.weights[2]), np.zeros(24))
