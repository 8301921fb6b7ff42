"""One time step of a TF1 RNN cell, read back from its output: the cell's formula op by op.

`CELLS` describes each cell constructs/rnn_cells maps (its Keras layer, variables, harness transform)
with a `parse(output, context) -> Step | None` that accepts exactly the ops tf_keras's legacy
cells (legacy_tf1.compat.nn.rnn_cell, TF 1.x's code) build for one step, commutative
operands in either order, and nothing else:

* LSTM (BasicLSTMCell, LSTMCell without options): gates = concat([x, h]) @ kernel + bias,
  i, j, f, o = split(gates, 4); c = c_prev * sigmoid(f + forget_bias) + sigmoid(i) * tanh(j);
  h = tanh(c) * sigmoid(o);
* GRU: r, u = split(sigmoid(concat([x, h]) @ gates/kernel + gates/bias), 2);
  c = tanh(concat([x, r * h]) @ candidate/kernel + candidate/bias); h = u * h + (1 - u) * c;
* BasicRNNCell: h = activation(concat([x, h]) @ kernel + bias), tanh by default.
"""

import dataclasses

import numpy as np


@dataclasses.dataclass
class Step:
    """One step: its input, the output and state it started from and made, its cell variables."""

    input: object
    previous_output: object
    output: object
    variables: tuple            # full variable names, the main kernel first
    previous_state: object = None  # LSTM's c; None for cells whose state is their output
    state: object = None
    settings: dict = dataclasses.field(default_factory=dict)


def is_zero(tensor, context):
    """True for a zero state: zeros from Fill (the cells' zero_state) or a Const."""
    fill = context.producer(tensor, "Fill")
    value = context.constant_value(fill.inputs[1] if fill is not None else tensor)
    return value is not None and value.size > 0 and not np.any(value)


def _either(op, first, second):
    """(first(a), second(b)) for op's two inputs in either order, where both match, else None."""
    if op is None or len(op.inputs) != 2:
        return None
    for a, b in ((op.inputs[0], op.inputs[1]), (op.inputs[1], op.inputs[0])):
        found = first(a), second(b)
        if found[0] is not None and found[1] is not None:
            return found
    return None


def _op(tensor, context, *types):
    """The op of one of `types` producing `tensor` (Identity skipped), else None; None-safe."""
    return None if tensor is None else context.producer(tensor, *types)


def _unary(tensor, context, op_type):
    """x when `tensor` is op_type(x), else None."""
    op = _op(tensor, context, op_type)
    return None if op is None else op.inputs[0]


def _split_output(tensor, context, count, index):
    """The Split op when `tensor` is output `index` of a split in `count` along axis 1, else None."""
    op = _op(tensor, context, "Split")
    if op is None or tensor.value_index != index or op.get_attr("num_split") != count:
        return None
    axis = context.constant_value(op.inputs[0])
    return op if axis is not None and int(axis) in (1, -1) else None


def _gate(tensor, context, index, activation="Sigmoid"):
    """The LSTM's 4-way Split when `tensor` is activation(split:index), else None."""
    return _split_output(_unary(tensor, context, activation), context, 4, index)


def _linear(tensor, context):
    """(x, h, kernel, bias) of bias_add(matmul(concat([x, h], 1), kernel), bias), else None."""
    bias_add = _op(tensor, context, "BiasAdd")
    matmul = None if bias_add is None else _op(bias_add.inputs[0], context, "MatMul")
    if matmul is None or matmul.get_attr("transpose_a") or matmul.get_attr("transpose_b"):
        return None
    concat = _op(matmul.inputs[0], context, "ConcatV2")
    kernel, bias = context.variable_of(matmul.inputs[1]), context.variable_of(bias_add.inputs[1])
    if concat is None or len(concat.inputs) != 3 or kernel is None or bias is None:
        return None
    axis = context.constant_value(concat.inputs[2])
    if axis is None or int(axis) not in (1, -1):
        return None
    return concat.inputs[0], concat.inputs[1], kernel, bias


# --- LSTM -----------------------------------------------------------------------------------------

def _forget_term(tensor, split, context):
    """(c_prev, forget_bias) of c_prev * sigmoid(split:2 + forget_bias), else None."""
    def forget_bias(gate):
        add = _op(_unary(gate, context, "Sigmoid"), context, "Add", "AddV2")
        found = _either(add, lambda a: True if _split_output(a, context, 4, 2) is split else None,
                        context.constant_value)
        return None if found is None or np.ndim(found[1]) else float(found[1])
    return _either(_op(tensor, context, "Mul"), lambda t: t, forget_bias)


def _input_term(tensor, split, context):
    """True for sigmoid(split:0) * tanh(split:1), else None."""
    return _either(_op(tensor, context, "Mul"),
                   lambda t: True if _gate(t, context, 0) is split else None,
                   lambda t: True if _gate(t, context, 1, "Tanh") is split else None)


def lstm_step(output, context):
    """The step whose h is `output`: h = tanh(c) * sigmoid(o), c = c_prev * sigmoid(f +
    forget_bias) + sigmoid(i) * tanh(j), [i, j, f, o] = concat([x, h_prev]) @ kernel + bias."""
    found = _either(_op(output, context, "Mul"), lambda t: _unary(t, context, "Tanh"),
                    lambda t: _gate(t, context, 3))
    if found is None:
        return None
    state, split = found
    terms = _either(_op(state, context, "Add", "AddV2"), lambda t: _forget_term(t, split, context),
                    lambda t: _input_term(t, split, context))
    linear = _linear(split.inputs[1], context)
    if terms is None or linear is None:
        return None
    (previous_state, forget_bias), _ = terms
    x, previous_output, kernel, bias = linear
    return Step(x, previous_output, output, (kernel, bias), previous_state, state,
                {"forget_bias": forget_bias})


# --- GRU ------------------------------------------------------------------------------------------

def _one_minus(tensor, context):
    """u when `tensor` is 1 - u, else None."""
    sub = _op(tensor, context, "Sub")
    one = None if sub is None else context.constant_value(sub.inputs[0])
    return sub.inputs[1] if one is not None and np.ndim(one) == 0 and float(one) == 1.0 else None


def _update_gate(tensor, context):
    """`tensor` when it is u, the second output of the GRU's 2-way gate split, else None."""
    return tensor if _split_output(tensor, context, 2, 1) is not None else None


def gru_step(output, context):
    """The step whose h is `output`: h = u * h_prev + (1 - u) * tanh(concat([x, r * h_prev]) @
    candidate/kernel + candidate/bias), [r, u] = sigmoid(concat([x, h_prev]) @ gates/kernel + gates/bias)."""
    def kept(term):  # (u, h_prev) of u * h_prev
        return _either(_op(term, context, "Mul"), lambda a: _update_gate(a, context), lambda b: b)

    def new(term):  # (u, candidate's input) of (1 - u) * tanh(candidate)
        return _either(_op(term, context, "Mul"), lambda a: _one_minus(a, context),
                       lambda b: _unary(b, context, "Tanh"))
    found = _either(_op(output, context, "Add", "AddV2"), kept, new)
    if found is None or found[0][0].name != found[1][0].name:
        return None
    (update, previous_output), (_, candidate_input) = found
    split = update.op
    gates, candidate = _linear(_unary(split.inputs[1], context, "Sigmoid"), context), \
        _linear(candidate_input, context)
    if gates is None or candidate is None or gates[0].name != candidate[0].name \
            or gates[1].name != previous_output.name:
        return None
    reset_state = _either(_op(candidate[1], context, "Mul"),
                          lambda a: a if _split_output(a, context, 2, 0) is split else None,
                          lambda b: b if b.name == previous_output.name else None)
    if reset_state is None:
        return None
    return Step(gates[0], previous_output, output, (gates[2], gates[3], candidate[2], candidate[3]))


# --- BasicRNNCell ---------------------------------------------------------------------------------

# BasicRNNCell(activation=...) of one op Keras' SimpleRNN names too: tanh (the default), relu, ...
SIMPLE_RNN_ACTIVATIONS = {"Tanh": "tanh", "Relu": "relu", "Sigmoid": "sigmoid", "Elu": "elu",
                          "Softsign": "softsign", "Softplus": "softplus", "Selu": "selu"}


def simple_rnn_step(output, context):
    """The step whose h is `output`: h = activation(concat([x, h_prev]) @ kernel + bias)."""
    op = _op(output, context, *SIMPLE_RNN_ACTIVATIONS)
    linear = None if op is None else _linear(op.inputs[0], context)
    if linear is None:
        return None
    x, previous_output, kernel, bias = linear
    return Step(x, previous_output, output, (kernel, bias),
                settings={"activation": SIMPLE_RNN_ACTIVATIONS[op.type]})


@dataclasses.dataclass(frozen=True)
class Cell:
    """A TF1 cell constructs/rnn_cells maps: its Keras layer, variables (relative to the cell's scope),
    column blocks per unit in the main kernel, harness transform, and step parser."""

    tf1: str
    keras_class: str
    config: dict
    variables: tuple
    blocks: int
    transform: str
    conversion: str
    parse: object


CELLS = (
    Cell("BasicLSTMCell/LSTMCell", "LSTM", {}, ("kernel", "bias"), 4, "lstm_cell",
         "gates i, c, f, o -> i, f, c, o, the forget bias folded into the bias", lstm_step),
    Cell("GRUCell", "GRU", {"reset_after": False},
         ("gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias"), 2, "gru_cell",
         "gates r, u -> z (= u), r, then the candidate; Keras' reset_after=True is another formula",
         gru_step),
    Cell("BasicRNNCell", "SimpleRNN", {}, ("kernel", "bias"), 1, "simple_rnn_cell",
         "the kernel split at the input size", simple_rnn_step),
)
