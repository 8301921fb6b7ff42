"""TF 1.x RNN cells in the layer (tf.nn.rnn_cell, tf.contrib.rnn).

Structure (TF 1.x variable names and shapes), TF 1.x's default initializer, each cell
against a NumPy re-implementation of TF 1.x's formula, DropoutWrapper. Their Keras 3
twins are in test_rnn_keras_parity.py. Graphs are built in-process inside
`tf.Graph().as_default()`; the process stays eager.
"""

import numpy as np
import pytest
from tf_keras.src.layers.rnn import legacy_cells

import legacy_tf1.compat as tf
from tf1_to_keras.harness import closeness
from rnn_numpy_reference import numpy_basic_rnn, numpy_gru, numpy_lstm, numpy_output_projection, relative
from rnn_runs import run_rnn

CELLS = tf.nn.rnn_cell
CONTRIB = tf.contrib.rnn

# The cells' deprecation notices are TF 1.x's own (the programs show them); not news here.
pytestmark = pytest.mark.filterwarnings("ignore:`tf.nn.rnn_cell.*is deprecated:UserWarning")


def variable_shapes(build):
    """{name: shape} of the variables `build()` creates in a fresh graph."""
    graph = tf.Graph()
    with graph.as_default():
        build()
        return {v.name.removesuffix(":0"): tuple(v.shape.as_list()) for v in tf.global_variables()}


# --- structure: TF 1.x variable names and shapes --------------------------------------------------

def rnn_over(cell_or_cells, rnn="dynamic", depth=5):
    """A builder running `cell_or_cells` (a factory) over a [batch, 4, depth] placeholder."""
    def build():
        inputs = tf.placeholder(tf.float32, [None, 4, depth])
        cells = cell_or_cells()
        if rnn == "dynamic":
            tf.nn.dynamic_rnn(cells, inputs, dtype=tf.float32)
        elif rnn == "bidirectional_dynamic":
            tf.nn.bidirectional_dynamic_rnn(*cells, inputs, dtype=tf.float32)
        elif rnn == "static_bidirectional":
            CONTRIB.static_bidirectional_rnn(*cells, tf.unstack(inputs, axis=1), dtype=tf.float32)
        else:
            CONTRIB.stack_bidirectional_dynamic_rnn(*cells, inputs, dtype=tf.float32)
    return build


@pytest.mark.parametrize("build, expected", [
    (rnn_over(lambda: CELLS.BasicLSTMCell(3)),
     {"rnn/basic_lstm_cell/kernel": (5 + 3, 12), "rnn/basic_lstm_cell/bias": (12,)}),
    (rnn_over(lambda: CELLS.BasicRNNCell(3)),
     {"rnn/basic_rnn_cell/kernel": (8, 3), "rnn/basic_rnn_cell/bias": (3,)}),
    (rnn_over(lambda: CELLS.DropoutWrapper(CELLS.GRUCell(3), output_keep_prob=0.5)),  # no scope of its own
     {"rnn/gru_cell/gates/kernel": (8, 6), "rnn/gru_cell/gates/bias": (6,),
      "rnn/gru_cell/candidate/kernel": (8, 3), "rnn/gru_cell/candidate/bias": (3,)}),
    (rnn_over(lambda: CELLS.MultiRNNCell([CELLS.LSTMCell(3, use_peepholes=True, num_proj=2),
                                          CELLS.BasicRNNCell(4)])),
     {"rnn/multi_rnn_cell/cell_0/lstm_cell/kernel": (5 + 2, 12),
      "rnn/multi_rnn_cell/cell_0/lstm_cell/bias": (12,),
      "rnn/multi_rnn_cell/cell_0/lstm_cell/w_f_diag": (3,),
      "rnn/multi_rnn_cell/cell_0/lstm_cell/w_i_diag": (3,),
      "rnn/multi_rnn_cell/cell_0/lstm_cell/w_o_diag": (3,),
      "rnn/multi_rnn_cell/cell_0/lstm_cell/projection/kernel": (3, 2),
      "rnn/multi_rnn_cell/cell_1/basic_rnn_cell/kernel": (2 + 4, 4),
      "rnn/multi_rnn_cell/cell_1/basic_rnn_cell/bias": (4,)}),
    (rnn_over(lambda: CONTRIB.OutputProjectionWrapper(CONTRIB.LSTMBlockCell(3), 2)),
     {"rnn/output_projection_wrapper/lstm_cell/kernel": (8, 12),
      "rnn/output_projection_wrapper/lstm_cell/bias": (12,),
      "rnn/output_projection_wrapper/kernel": (3, 2), "rnn/output_projection_wrapper/bias": (2,)}),
    (rnn_over(lambda: (CELLS.GRUCell(3), CELLS.GRUCell(3)), "bidirectional_dynamic"),
     {f"bidirectional_rnn/{d}/gru_cell/{v}": s for d in ("fw", "bw")
      for v, s in (("gates/kernel", (8, 6)), ("gates/bias", (6,)),
                   ("candidate/kernel", (8, 3)), ("candidate/bias", (3,)))}),
    (rnn_over(lambda: (CONTRIB.BasicLSTMCell(3), CONTRIB.BasicLSTMCell(3)), "static_bidirectional"),
     {f"bidirectional_rnn/{d}/basic_lstm_cell/{v}": s for d in ("fw", "bw")
      for v, s in (("kernel", (8, 12)), ("bias", (12,)))}),
    (rnn_over(lambda: ([CONTRIB.LSTMBlockCell(3), CONTRIB.LSTMBlockCell(2)],
                      [CONTRIB.LSTMBlockCell(3), CONTRIB.LSTMBlockCell(2)]), "stack"),
     {f"stack_bidirectional_rnn/cell_{i}/bidirectional_rnn/{d}/lstm_cell/{v}": s
      for i, depth, units in ((0, 5, 3), (1, 6, 2)) for d in ("fw", "bw")
      for v, s in (("kernel", (depth + units, 4 * units)), ("bias", (4 * units,)))}),
], ids=["basic_lstm", "basic_rnn", "dropout_gru", "multi_rnn_cell", "output_projection",
        "bidirectional_dynamic", "static_bidirectional", "stack_bidirectional_dynamic"])
def test_cells_create_tf1_variable_names_and_shapes(build, expected):
    assert variable_shapes(build) == expected


def test_cells_are_rnn_cells_and_missing_names_are_named():
    assert CONTRIB.BasicLSTMCell is CELLS.BasicLSTMCell and CONTRIB.static_rnn is tf.nn.static_rnn
    for cell in (CONTRIB.LSTMBlockCell(2), CELLS.MultiRNNCell([CELLS.GRUCell(2)]),
                 CELLS.DropoutWrapper(CELLS.BasicRNNCell(2)), CONTRIB.InputProjectionWrapper(CELLS.GRUCell(2), 3)):
        assert isinstance(cell, CELLS.RNNCell) and isinstance(cell, legacy_cells.RNNCell)
    with pytest.raises(AttributeError, match=r"'tf\.nn\.rnn_cell\.LayerRNNCell'"):  # public in contrib only
        CELLS.LayerRNNCell  # noqa: B018 - the access is the test
    with pytest.raises(AttributeError, match=r"'tf\.contrib\.rnn\.LayerNormBasicLSTMCell'"):
        CONTRIB.LayerNormBasicLSTMCell  # noqa: B018
    with pytest.raises(ValueError, match="2 forward and 1 backward"):
        CONTRIB.stack_bidirectional_dynamic_rnn([CELLS.GRUCell(2)] * 2, [CELLS.GRUCell(2)], None)


# --- TF 1.x's default initializer ----------------------------------------------------------------

def kernel_values(make_cell, seed, scope_initializer=None):
    """{name: value} of the cell's variables after `global_variables_initializer`, graph seed `seed`."""
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(seed)
        with tf.variable_scope("model", initializer=scope_initializer):
            tf.nn.dynamic_rnn(make_cell(), tf.zeros([2, 3, 6]), dtype=tf.float32)
        variables = tf.global_variables()
    with tf.Session(graph=graph) as session:
        session.run(tf.global_variables_initializer())
        return dict(zip([v.name for v in variables], session.run(variables)))


@pytest.mark.parametrize("make_cell", [
    lambda: CELLS.BasicLSTMCell(8), lambda: CELLS.GRUCell(8), lambda: CELLS.BasicRNNCell(8),
    lambda: CELLS.LSTMCell(8, use_peepholes=True, num_proj=4), lambda: CONTRIB.LSTMBlockCell(8),
], ids=["basic_lstm", "gru", "basic_rnn", "lstm_peepholes_projection", "lstm_block"])
def test_graph_seed_reaches_every_kernel(make_cell):
    first, again, other = (kernel_values(make_cell, seed) for seed in (1, 1, 2))
    kernels = [name for name in first if "kernel" in name or "diag" in name]
    for name in kernels:
        np.testing.assert_array_equal(first[name], again[name], err_msg=name)
        assert not np.array_equal(first[name], other[name]), name
    kernel = first[kernels[0]]  # glorot_uniform over [input + units, gates * units]
    limit = np.sqrt(6.0 / sum(kernel.shape))
    assert limit * 0.95 < np.abs(kernel).max() <= limit


def test_tf_keras_cells_alone_ignore_the_graph_seed():
    # The reason for the layer's default: tf_keras's own cell draws TF2's GlorotUniform.
    first, again = (kernel_values(lambda: legacy_cells.BasicLSTMCell(8), 1) for _ in range(2))
    assert not np.array_equal(first["model/rnn/basic_lstm_cell/kernel:0"],
                              again["model/rnn/basic_lstm_cell/kernel:0"])


def test_variable_scope_initializer_reaches_kernels_not_explicit_ones():
    values = kernel_values(lambda: CELLS.MultiRNNCell([
        CELLS.GRUCell(4), CELLS.GRUCell(4, kernel_initializer=tf.constant_initializer(0.7))]),
        seed=0, scope_initializer=tf.constant_initializer(0.3))
    prefix = "model/rnn/multi_rnn_cell/cell_"
    assert np.all(values[f"{prefix}0/gru_cell/gates/kernel:0"] == np.float32(0.3))
    assert np.all(values[f"{prefix}0/gru_cell/gates/bias:0"] == 1.0)  # TF 1.x's GRU gate bias
    assert np.all(values[f"{prefix}0/gru_cell/candidate/bias:0"] == 0.0)
    assert np.all(values[f"{prefix}1/gru_cell/candidate/kernel:0"] == np.float32(0.7))


# --- each cell against NumPy, from TF 1.x's formulas (rnn_cell_impl.py, contrib lstm_ops.py) ----

FORMULA_CASES = {
    "basic_rnn": (lambda: CELLS.BasicRNNCell(6), "basic_rnn_cell", numpy_basic_rnn),
    "basic_lstm": (lambda: CELLS.BasicLSTMCell(6), "basic_lstm_cell", numpy_lstm),
    "basic_lstm_forget_bias_0.3": (lambda: CELLS.BasicLSTMCell(6, forget_bias=0.3), "basic_lstm_cell",
                                   lambda x, v: numpy_lstm(x, v, forget_bias=0.3)),
    "lstm_peepholes_clip_projection": (
        lambda: CELLS.LSTMCell(6, use_peepholes=True, cell_clip=0.2, num_proj=4), "lstm_cell",
        lambda x, v: numpy_lstm(x, v, cell_clip=0.2, peepholes=True, projection=True)),
    "lstm_block_peepholes_clip": (lambda: CONTRIB.LSTMBlockCell(6, use_peephole=True, cell_clip=0.2),
                                  "lstm_cell", lambda x, v: numpy_lstm(x, v, cell_clip=0.2, peepholes=True)),
    "gru": (lambda: CELLS.GRUCell(6), "gru_cell", numpy_gru),
    "output_projection": (lambda: CONTRIB.OutputProjectionWrapper(CELLS.BasicRNNCell(6), 3),
                          "output_projection_wrapper", numpy_output_projection),
}


@pytest.mark.parametrize("key", FORMULA_CASES)
def test_cell_matches_numpy_tf1_formula(key):
    make_cell, scope, numpy_cell = FORMULA_CASES[key]
    inputs = np.random.RandomState(0).randn(4, 7, 5).astype(np.float32) * 2
    outputs, state, values = run_rnn(make_cell, inputs)
    expected_outputs, expected_state = numpy_cell(inputs, relative(values, f"rnn/{scope}"))
    closeness.assert_close(outputs, expected_outputs, name=f"{key} outputs", atol=1e-5)
    if not isinstance(state, tuple):  # GRU and BasicRNNCell: the state is h
        state, expected_state = (state,), (expected_state,)
    for index, (actual, expected) in enumerate(zip(state, expected_state, strict=True)):
        closeness.assert_close(actual, expected, name=f"{key} state[{index}]", atol=1e-5)


def test_lstm_block_cell_equals_tf_fused_kernel():
    x, c_prev, h_prev = np.random.RandomState(1).randn(3, 4, 5).astype(np.float32)
    graph = tf.Graph()
    with graph.as_default():
        cell = CONTRIB.LSTMBlockCell(5, forget_bias=0.7, cell_clip=0.4, use_peephole=True)
        h, (c, _) = cell(tf.constant(x), CELLS.LSTMStateTuple(c_prev, h_prev))
        fused = tf.raw_ops.LSTMBlockCell(
            x=x, cs_prev=c_prev, h_prev=h_prev, w=cell._kernel, b=cell._bias,
            wci=cell._w_i_diag, wcf=cell._w_f_diag, wco=cell._w_o_diag,
            forget_bias=0.7, cell_clip=0.4, use_peephole=True)
        init = tf.global_variables_initializer()
    with tf.Session(graph=graph) as session:
        session.run(init)
        (h, c), fused = session.run([(h, c), fused])
    closeness.assert_close(h, fused.h, name="LSTMBlockCell h", atol=1e-6)
    closeness.assert_close(c, fused.cs, name="LSTMBlockCell cs", atol=1e-6)


# --- DropoutWrapper -------------------------------------------------------------------------------

def test_dropout_wrapper_keep_prob_one_is_identity_and_half_drops_half_doubling_the_rest():
    graph = tf.Graph()
    with graph.as_default():
        inputs = tf.constant(np.random.RandomState(2).randn(200, 10).astype(np.float32))
        state = tf.zeros([200, 64])
        cell = CELLS.GRUCell(64)
        plain, _ = cell(inputs, state)
        kept, _ = CELLS.DropoutWrapper(cell, input_keep_prob=1.0, output_keep_prob=1.0)(inputs, state)
        halved, _ = CELLS.DropoutWrapper(cell, output_keep_prob=0.5, seed=3)(inputs, state)
        assert len(tf.global_variables()) == 4  # the wrappers reuse the cell's weights
        init = tf.global_variables_initializer()
    with tf.Session(graph=graph) as session:
        session.run(init)
        plain, kept, halved = session.run([plain, kept, halved])
    np.testing.assert_array_equal(kept, plain)
    dropped = halved == 0.0
    assert 0.45 < dropped.mean() < 0.55, dropped.mean()
    np.testing.assert_allclose(halved[~dropped], 2.0 * plain[~dropped], rtol=1e-6)


# --- static_state_saving_rnn ----------------------------------------------------------------------

class VariableStateSaver:
    """The state saver `static_state_saving_rnn` asks for: each named state kept in a variable."""

    def __init__(self, shape, names):
        self._states = {name: tf.Variable(tf.zeros(shape), trainable=False, name=name) for name in names}

    def state(self, name):
        return self._states[name].read_value()

    def save_state(self, name, value):
        return self._states[name].assign(value)


def test_static_state_saving_rnn_carries_the_state_across_runs():
    sequence = np.random.RandomState(4).rand(2, 6, 4).astype(np.float32)
    graph = tf.Graph()
    with graph.as_default():
        chunk, whole = tf.placeholder(tf.float32, [2, 3, 4]), tf.placeholder(tf.float32, [2, 6, 4])
        cell = CONTRIB.BasicLSTMCell(5)
        chunk_outputs, _ = CONTRIB.static_state_saving_rnn(
            cell, tf.unstack(chunk, axis=1), VariableStateSaver([2, 5], ("c", "h")), ("c", "h"))
        with tf.variable_scope("rnn", reuse=True):  # the same weights over the whole sequence
            whole_outputs, _ = CONTRIB.static_rnn(cell, tf.unstack(whole, axis=1), dtype=tf.float32)
        init = tf.global_variables_initializer()
    with tf.Session(graph=graph) as session:
        session.run(init)
        halves = [session.run(chunk_outputs, {chunk: part}) for part in np.split(sequence, 2, axis=1)]
        expected = session.run(whole_outputs, {whole: sequence})
    closeness.assert_close(np.concatenate(halves), expected, name="two saved-state chunks", atol=1e-6)
