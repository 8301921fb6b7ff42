"""Construct: recurrent layers, the cells of tf.nn.rnn_cell / tf.contrib.rnn -> LSTM, GRU, SimpleRNN.

Its patterns plug into recognition (`match(tensor, context) -> (LayerSpec, input tensor) | None`,
tf1_to_keras/porting/recognition_context.py). A cell unrolled by `static_rnn` is read back
step by step from the layer's output: each step's ops must be exactly the cell's formula
(rnn_cell_steps.py), every step the same cell variables, the first step starting from the
zero state, and the steps' inputs one `tf.unstack(x, T, 1)` (or TF 1.0 tutorials'
transpose/reshape/split) of an (N, T, F) tensor: that tensor is the Keras layer's input.
The output is the last step's (`outputs[-1]`, the final state's h) or every step's stacked
on axis 1 (`return_sequences=True`). A cell in `dynamic_rnn` (TF1's v1 while loop, as the
runner builds it) is one step inside the loop: its loop variables must start at zero and
take the step's values, its input be the TensorArray of dynamic_rnn's time-major transpose;
the output is the final state (the loop's Exit), `outputs` (return_sequences) or
`outputs[:, -1]`. The layer accounts for every op of the loop (rnn_loops.py reads it).
In a MultiRNNCell each cell is a layer: the upper one's input is the lower one's output
(its last step's, the tensor the walk goes on from), and the lower one returns sequences; a
DropoutWrapper's output dropout between them (dynamic_rnn) is a Dropout layer between them.

* BasicLSTMCell / LSTMCell (tanh, no peepholes, num_proj, cell_clip) -> `LSTM(units)`, weights
  through harness `lstm_cell(scope, forget_bias)` (gates i, c, f, o -> i, f, c, o; forget_bias
  folded into the bias);
* GRUCell -> `GRU(units, reset_after=False)` through `gru_cell(scope)`;
* BasicRNNCell -> `SimpleRNN(units)` (its activation when not tanh) through `simple_rnn_cell(scope)`.

Each of the layer's three weights (kernel, recurrent_kernel, bias) has a WeightSource naming
the cell's main variable and the one cell transform, which converts every variable under the
cell's scope at once: in a harness NameMap it is `transforms={layer name: transform}`.
Anything else (peepholes, projections, clipping, a DropoutWrapper, an initial state,
sequence_length, time-major outputs) matches no formula: None, so its ops stay unrecognised.
"""

import re

from tf1_to_keras.harness import transforms
from tf1_to_keras.porting import rnn_cell_steps, rnn_loops, specs
from tf1_to_keras.porting.constructs import dropout, pattern
from tf1_to_keras.porting.graph_ops import INPUT_TYPES

MAX_STEPS = 10_000  # a bound on the backward walk; real sequences are far shorter
# The TF1 class a cell's default scope name tells (LSTMBlockCell shares LSTMCell's "lstm_cell").
TF1_CELL_CLASSES = {"basic_lstm_cell": "BasicLSTMCell", "lstm_cell": "LSTMCell", "gru_cell": "GRUCell",
                    "basic_rnn_cell": "BasicRNNCell"}


def _unroll(last_output, cell, context):
    """The cell's steps, first to last, ending in `last_output`; None unless they chain from zero."""
    steps, output, state = [], last_output, None
    while not rnn_cell_steps.is_zero(output, context):
        step = cell.parse(output, context)
        if step is None or len(steps) >= MAX_STEPS:
            return None
        if state is not None and step.state.name != state.name:
            return None
        if steps and step.variables != steps[0].variables:
            return None
        steps.append(step)
        output, state = step.previous_output, step.previous_state
    if not steps or (state is not None and not rnn_cell_steps.is_zero(state, context)):
        return None
    return steps[::-1]


def _sequence_input(steps, context):
    """The (N, T, F) tensor split into the steps' inputs by `tf.unstack(x, T, 1)`, or as TF 1.0's
    tutorials did, `tf.split(tf.reshape(tf.transpose(x, [1, 0, 2]), [-1, F]), T, 0)`; else None."""
    op = context.producer(steps[0].input, "Unpack", "Split")
    if op is None or any(step.input.op is not op or step.input.value_index != index
                         for index, step in enumerate(steps)):
        return None
    if op.type == "Unpack":
        fits = op.get_attr("num") == len(steps) and op.get_attr("axis") in (1, -2)
        sequence = op.inputs[0] if fits else None
    else:
        sequence = _time_major_rows(op, len(steps), context)
    return sequence if sequence is not None and sequence.shape.ndims == 3 else None


def _time_major_rows(split, steps, context):
    """x when `split` is tf.split(tf.reshape(tf.transpose(x, [1, 0, 2]), [-1, F]), steps, 0), else None."""
    axis = context.constant_value(split.inputs[0])
    reshape = context.producer(split.inputs[1], "Reshape")
    if axis is None or int(axis) != 0 or split.get_attr("num_split") != steps or reshape is None:
        return None
    transpose = context.producer(reshape.inputs[0], "Transpose")
    perm = None if transpose is None else context.constant_value(transpose.inputs[1])
    shape = context.constant_value(reshape.inputs[1])
    if perm is None or list(perm) != [1, 0, 2] or shape is None or len(shape) != 2 or shape[0] != -1:
        return None
    features = transpose.inputs[0].shape[-1]
    return transpose.inputs[0] if features is not None and shape[1] == features else None


def _sequence_output(tensor, context):
    """(the last step's output tensor, every step's outputs in order or None) of the layer output."""
    pack = context.producer(tensor, "Pack")
    if pack is not None and pack.get_attr("axis") in (1, -2) and len(pack.inputs) > 1:
        return pack.inputs[-1], list(pack.inputs)
    return tensor, None


def _layer_ops(output, stops):
    """Names of every op the output depends on, down to (not including) the `stops` tensors' ops
    and the graph's inputs (dynamic_rnn's loop bounds read the input's shape)."""
    seen, stack = {tensor.op.name for tensor in stops}, [output.op]
    seen |= {op.name for op in output.graph.get_operations() if op.type in INPUT_TYPES}
    found = set()
    while stack:
        op = stack.pop()
        if op.name in seen:
            continue
        seen.add(op.name)
        found.add(op.name)
        stack.extend(tensor.op for tensor in op.inputs)
    return sorted(found)


def _feeds_a_cell(tensor, context):
    """True when `tensor` is the input x of a MultiRNNCell's next cell: concat([x, h]) @ the kernel
    of `multi_rnn_cell/cell_<k>/...`, or is so through a DropoutWrapper's output dropout."""
    return _feeds_a_cell_directly(tensor, context) or any(
        _feeds_a_cell_directly(dropped, context) for dropped in _dropout_outputs(tensor, context))


def _dropout_outputs(tensor, context):
    """The outputs of the dropouts of `tensor` (DropoutWrapper's `SelectV2(mask, x / keep, 0)`)."""
    return [select.outputs[0] for scaled in tensor.consumers() if scaled.type in ("RealDiv", "Mul")
            for select in scaled.outputs[0].consumers()
            if (found := dropout._plain_dropout(select.outputs[0], context)) is not None  # noqa: SLF001
            and found[1].name == tensor.name]


def _wrapper_dropout(tensor, context):
    """(Dropout LayerSpec, the cell output below) when the in-loop `tensor` is a DropoutWrapper's
    output dropout of the step output of the cell below (MultiRNNCell), else None."""
    found = dropout._plain_dropout(tensor, context) if "/while/" in tensor.op.name else None  # noqa: SLF001
    if found is None or not _output_of_a_cell(found[1], context):
        return None
    layer, below = found
    layer.tf1_output = ""  # one step's tensor inside the loop: TF1 holds no whole sequence of it
    layer.notes.append("DropoutWrapper(output_keep_prob) of the cell below: a new mask each step, as "
                       "Dropout on the sequence draws; off at inference")
    return layer, below


def _feeds_a_cell_directly(tensor, context):
    kernels = [context.variable_of(user.inputs[1]) for consumer in tensor.consumers()
               if consumer.type == "ConcatV2" and consumer.inputs[0].name == tensor.name
               for user in consumer.outputs[0].consumers() if user.type == "MatMul"]
    return any(kernel and re.search(r"multi_rnn_cell/cell_\d+/", kernel) for kernel in kernels)


def _output_of_a_cell(tensor, context):
    """True when `tensor` is a step output of one of the cells (the layer below, in MultiRNNCell)."""
    return any(cell.parse(tensor, context) is not None for cell in rnn_cell_steps.CELLS)


def _cell_scope(cell, step):
    """The cell's variable scope: "rnn/gru_cell" of "rnn/gru_cell/gates/kernel"."""
    return step.variables[0].removesuffix("/" + cell.variables[0])


def _cell_variables_fit(cell, scope, context):
    """True when the cell's scope holds exactly the variables of its formula (no peepholes,
    projection...), optimizer slots aside."""
    prefix = scope + "/"
    names = [name[len(prefix):] for name in context.variable_shapes if name.startswith(prefix)]
    own = {name for name in names if not any(name.startswith(expected + "/") for expected in cell.variables)}
    return own == set(cell.variables)


def _layer(tensor, cell, steps, stops, return_sequences, context, how="static_rnn"):
    """The LayerSpec of a recognised cell."""
    scope = _cell_scope(cell, steps[0])
    units = context.variable_shapes[steps[0].variables[0]][1] // cell.blocks
    config = {"units": units, **cell.config}
    over = f"{len(steps)} time steps (static_rnn)" if how == "static_rnn" else "dynamic_rnn's while loop"
    tf1_class = TF1_CELL_CLASSES.get(scope.rpartition("/")[2], cell.tf1)
    notes = [f"{tf1_class} over {over}, weights through {cell.transform} of {scope!r}: {cell.conversion}",
             "initializers left at Keras' (kernel glorot_uniform, recurrent_kernel orthogonal); TF1 initialised "
             "the one concat([x, h]) kernel as a whole: only training from scratch sees the difference"]
    options = {}
    if cell.keras_class == "LSTM":
        forget_bias = steps[0].settings["forget_bias"]
        options["forget_bias"] = forget_bias
        if forget_bias != 1.0:  # Keras' unit_forget_bias starts the forget bias at 1, TF1's at forget_bias
            config["unit_forget_bias"] = False
            notes.append(f"forget_bias={forget_bias} is folded into the converted bias; trained from "
                         "scratch, the Keras layer starts its forget bias at 0")
    if steps[0].settings.get("activation", "tanh") != "tanh":
        config["activation"] = steps[0].settings["activation"]
    if return_sequences:
        config["return_sequences"] = True
    transform = getattr(transforms, cell.transform)(scope, **options)
    kernel, bias = steps[0].variables[:2]
    weights = [specs.WeightSource(weight, variable, transform) for weight, variable in
               (("kernel", kernel), ("recurrent_kernel", kernel), ("bias", bias))]
    # A layer feeding the next of a MultiRNNCell returns every step's output: TF1 holds no such tensor.
    tap = "" if _feeds_a_cell(tensor, context) else tensor.name
    return specs.LayerSpec(_layer_name(scope), cell.keras_class, config, _layer_ops(tensor, stops),
                           weights, tf1_output=tap, notes=notes)


def _layer_name(scope):
    """"cell_1" for "rnn/multi_rnn_cell/cell_1/lstm_cell" (unique), else the cell's scope: "gru_cell"."""
    parts = scope.split("/")
    return parts[-2] if len(parts) > 1 and re.fullmatch(r"cell_\d+", parts[-2]) else parts[-1]


def _static_rnn_matcher(cell):
    def match(tensor, context):
        last, outputs = _sequence_output(tensor, context)
        steps = _unroll(last, cell, context)
        if steps is None or (outputs is not None and [t.name for t in outputs]
                             != [step.output.name for step in steps]):
            return None
        if not _cell_variables_fit(cell, _cell_scope(cell, steps[0]), context):
            return None
        sequence, stops = _sequence_input(steps, context), [step.input for step in steps]
        if sequence is None and _output_of_a_cell(steps[-1].input, context):
            sequence = steps[-1].input  # MultiRNNCell: the layer below; the walk goes on from its last output
        elif sequence is not None:
            stops = [sequence]
        if sequence is None:
            return None
        return_sequences = outputs is not None or _feeds_a_cell(tensor, context)
        return _layer(tensor, cell, steps, stops, return_sequences, context), sequence
    match.__name__ = f"match_static_{cell.keras_class.lower()}"
    match.__doc__ = f"A {cell.tf1} unrolled by static_rnn -> Keras {cell.keras_class}, else None."
    return match


# --- dynamic_rnn: one step inside a v1 while loop (rnn_loops) -------------------------------------

def _in_loop_input(step, context):
    """dynamic_rnn's (N, T, F) input, or the step output of the cell below (MultiRNNCell), else None."""
    sequence = rnn_loops.scattered_sequence(step.input, context)
    if sequence is None and "/while/" in step.input.op.name and _output_of_a_cell(step.input, context):
        return step.input
    return sequence


def _dynamic_rnn_matcher(cell):
    def match(tensor, context):
        found = rnn_loops.dynamic_output(tensor, context)
        if found is None and "/while/" in tensor.op.name and _feeds_a_cell(tensor, context):
            found = tensor, True  # the layer below in a MultiRNNCell: all its outputs go on
        step = None if found is None or "/while/" not in found[0].op.name else cell.parse(found[0], context)
        if step is None or not rnn_loops.runs_from_zero(step, context):
            return None
        dropped, scope = _wrapper_dropout(step.input, context), _cell_scope(cell, step)
        sequence = _in_loop_input(step, context) if dropped is None else dropped[1]
        if sequence is None or not _cell_variables_fit(cell, scope, context):
            return None
        layer = _layer(tensor, cell, [step], [sequence], found[1], context, "dynamic_rnn")
        layer.tf1_ops = sorted(set(layer.tf1_ops) | set(rnn_loops.loop_ops(found[0], scope)))
        return ([dropped[0], layer] if dropped else layer), sequence
    match.__name__ = f"match_dynamic_{cell.keras_class.lower()}"
    match.__doc__ = f"A {cell.tf1} run by dynamic_rnn -> Keras {cell.keras_class}, else None."
    return match


_FIRST = "first: a cell's step holds MatMul, Add and activations that Dense and merges would claim"
_LSTM, _GRU, _SIMPLE_RNN = rnn_cell_steps.CELLS
match_static_lstm = pattern(90, _FIRST)(_static_rnn_matcher(_LSTM))
match_static_gru = pattern(90, _FIRST)(_static_rnn_matcher(_GRU))
match_static_simple_rnn = pattern(90, _FIRST)(_static_rnn_matcher(_SIMPLE_RNN))
match_dynamic_lstm = pattern(90, _FIRST)(_dynamic_rnn_matcher(_LSTM))
match_dynamic_gru = pattern(90, _FIRST)(_dynamic_rnn_matcher(_GRU))
match_dynamic_simple_rnn = pattern(90, _FIRST)(_dynamic_rnn_matcher(_SIMPLE_RNN))
