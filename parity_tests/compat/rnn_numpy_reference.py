"""NumPy re-implementations of TF 1.x's RNN cells (rnn_cell_impl.py and contrib's lstm_ops.py, r1.15).

Each runs a cell over [batch, time, input] from the cell's variables (names relative to
the cell's scope, as `relative` gives them) and returns (outputs, final state).
"""

import numpy as np


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def numpy_lstm(inputs, v, forget_bias=1.0, cell_clip=None, peepholes=False, projection=False):
    """TF 1.x LSTM over [batch, time, input]: gates i, j, f, o of concat([x, h]) @ kernel + bias."""
    units = v["bias"].shape[0] // 4
    c = np.zeros((len(inputs), units))
    h = np.zeros((len(inputs), v["projection/kernel"].shape[1] if projection else units))
    outputs = []
    for x in inputs.transpose(1, 0, 2):
        i, j, f, o = np.split(np.concatenate([x, h], 1) @ v["kernel"] + v["bias"], 4, axis=1)
        if peepholes:
            i, f = i + v["w_i_diag"] * c, f + v["w_f_diag"] * c
        c = sigmoid(f + forget_bias) * c + sigmoid(i) * np.tanh(j)
        if cell_clip:
            c = np.clip(c, -cell_clip, cell_clip)
        h = sigmoid(o + v["w_o_diag"] * c if peepholes else o) * np.tanh(c)
        h = h @ v["projection/kernel"] if projection else h
        outputs.append(h)
    return np.stack(outputs, 1), (c, h)


def numpy_gru(inputs, v):
    """TF 1.x GRUCell: r, u from gates/, candidate over concat([x, r * h]), h = u * h + (1 - u) * c."""
    h = np.zeros((len(inputs), v["candidate/bias"].shape[0]))
    outputs = []
    for x in inputs.transpose(1, 0, 2):
        r, u = np.split(sigmoid(np.concatenate([x, h], 1) @ v["gates/kernel"] + v["gates/bias"]), 2, axis=1)
        candidate = np.tanh(np.concatenate([x, r * h], 1) @ v["candidate/kernel"] + v["candidate/bias"])
        h = u * h + (1 - u) * candidate
        outputs.append(h)
    return np.stack(outputs, 1), h


def numpy_basic_rnn(inputs, v):
    """TF 1.x BasicRNNCell: h = tanh(concat([x, h]) @ kernel + bias)."""
    h = np.zeros((len(inputs), v["bias"].shape[0]))
    outputs = []
    for x in inputs.transpose(1, 0, 2):
        h = np.tanh(np.concatenate([x, h], 1) @ v["kernel"] + v["bias"])
        outputs.append(h)
    return np.stack(outputs, 1), h


def numpy_output_projection(inputs, v):
    """OutputProjectionWrapper(BasicRNNCell): the cell's output @ kernel + bias; the cell's state."""
    outputs, state = numpy_basic_rnn(inputs, relative(v, "basic_rnn_cell"))
    return outputs @ v["kernel"] + v["bias"], state


def relative(values, scope):
    return {name[len(scope) + 1:]: value for name, value in values.items() if name.startswith(scope + "/")}
