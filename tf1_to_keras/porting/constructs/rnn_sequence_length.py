"""Construct: `tf.nn.dynamic_rnn(cell, x, sequence_length=lengths)` -> SequenceLengthMask, then the
cell's Keras layer, which reads the mask.

With sequence_length TF1's loop copies the state through and writes zeros once a sequence has
ended: each step's new value is `Select(time >= lengths, old, new)` (state) and
`Select(time >= lengths, zeros, new)` (output). Keras' recurrent layers do the same under a
mask: masked steps keep the state, and with return_sequences=False the output is the last
unmasked step's. The mask comes from the lengths input: `SequenceLengthMask()([x, lengths])`
passes x on with the mask `arange(T) < lengths` (a small layer of keras.ops; Keras' Masking
reads a padding value instead, and a real step may hold it).

The model output is the final state (the loop's Exit: `state.h`, a GRU's state) or the last
relevant output as TF1 tutorials gathered it, `tf.gather(tf.reshape(outputs, [-1, units]),
tf.range(0, batch) * T + (lengths - 1))`: the same tensor for lengths >= 1.
"""

import keras

from tf1_to_keras.porting import rnn_cell_steps, rnn_loops, specs
from tf1_to_keras.porting.constructs import pattern, rnn_cells


@keras.saving.register_keras_serializable(package="tf1_to_keras")
class SequenceLengthMask(keras.layers.Layer):
    """[sequence (N, T, ...), lengths (N,)] -> the sequence, masked to each example's first lengths
    steps (tf.nn.dynamic_rnn's sequence_length): the recurrent layer after it skips the rest."""

    def call(self, inputs):
        return inputs[0]

    def compute_mask(self, inputs, previous_mask=None):
        sequence, lengths = inputs
        steps = keras.ops.arange(keras.ops.shape(sequence)[1])
        return keras.ops.less(keras.ops.expand_dims(steps, 0),
                              keras.ops.expand_dims(keras.ops.cast(lengths, "int32"), 1))


def _copy_through(select, context):
    """(kept, new, lengths) of `Select(time >= Enter(lengths), kept, new)` in the loop, else None."""
    op = context.producer(select, "Select", "SelectV2")
    compare = None if op is None else context.producer(op.inputs[0], "GreaterEqual")
    enter = None if compare is None else context.producer(compare.inputs[1], "Enter")
    if enter is None or rnn_loops.loop_variable(compare.inputs[0]) is None:
        return None
    return op.inputs[1], op.inputs[2], _model_input(enter.inputs[0], context)


def _model_input(tensor, context):
    """The model input `tensor` is (through dynamic_rnn's CheckSeqLen identity and casts), else None."""
    while tensor.name not in context.input_tensors and tensor.op.type in ("Identity", "Cast") and tensor.op.inputs:
        tensor = tensor.op.inputs[0]
    return tensor if tensor.name in context.input_tensors else None


def _carried(read, new, lengths, context):
    """True when the loop variable read as `read` starts at zero and takes Select(done, read, new)."""
    loop = rnn_loops.loop_variable(read)
    found = None if loop is None else _copy_through(loop[1], context)
    return found is not None and found[0].name == read.name and found[1].name == new.name \
        and _same(found[2], lengths) and rnn_cell_steps.is_zero(loop[0], context)


def _same(tensor, other):
    return tensor is not None and other is not None and tensor.name == other.name


def _outside_loop(tensor):
    """The value a while loop's Enter brings in (dynamic_rnn's zero output), else `tensor`."""
    while tensor.op.type == "Enter":
        tensor = tensor.op.inputs[0]
    return tensor


def _last_relevant(tensor, context):
    """(outputs, lengths tensor) of tf.gather(tf.reshape(outputs, [-1, U]), range(0, N) * T + (lengths - 1))."""
    gather = context.producer(tensor, "GatherV2")
    reshape = None if gather is None else context.producer(gather.inputs[0], "Reshape")
    add = None if reshape is None else context.producer(gather.inputs[1], "Add", "AddV2")
    if add is None or reshape.inputs[0].shape.ndims != 3 or context.constant_value(gather.inputs[2]) != 0:
        return None
    steps = reshape.inputs[0].shape[1]
    for rows, last in ((add.inputs[0], add.inputs[1]), (add.inputs[1], add.inputs[0])):
        mul, sub = context.producer(rows, "Mul"), context.producer(last, "Sub")
        if mul is None or sub is None or context.producer(mul.inputs[0], "Range") is None:
            continue
        if context.constant_value(mul.inputs[1]) == steps and context.constant_value(sub.inputs[1]) == 1:
            lengths = _model_input(sub.inputs[0], context)
            return (reshape.inputs[0], lengths) if lengths is not None else None
    return None


def _masked_step(tensor, context):
    """(the cell's new output in the loop, the lengths input) of the layer output `tensor`, else None."""
    relevant = _last_relevant(tensor, context)
    if relevant is not None:
        found = rnn_loops.dynamic_output(relevant[0], context)
        written = None if found is None else _copy_through(found[0], context)
        zeros = written is not None and rnn_cell_steps.is_zero(_outside_loop(written[0]), context)
        return (written[1], written[2]) if zeros and _same(written[2], relevant[1]) else None
    final = rnn_loops.exit_next_value(tensor) if tensor.op.type == "Exit" else None
    found = None if final is None else _copy_through(final, context)
    return None if found is None else (found[1], found[2])


@pattern(95, "before the cells: with sequence_length their loop variables take Selects")
def match_rnn_sequence_length(tensor, context):
    """dynamic_rnn(cell, x, sequence_length=lengths)'s final state / last relevant output ->
    [SequenceLengthMask, LSTM/GRU/SimpleRNN], fed [x, lengths]; else None."""
    found = _masked_step(tensor, context)
    for cell in rnn_cell_steps.CELLS if found is not None else ():
        step = cell.parse(found[0], context)
        if step is None or not _carried(step.previous_output, step.output, found[1], context):
            continue
        if step.state is not None and not _carried(step.previous_state, step.state, found[1], context):
            continue
        # the cells' own reading (rnn_cells), shared: the scope, its variables, the layer
        sequence, scope = rnn_loops.scattered_sequence(step.input, context), rnn_cells._cell_scope(cell, step)
        if sequence is None or not rnn_cells._cell_variables_fit(cell, scope, context):
            return None
        layer = rnn_cells._layer(tensor, cell, [step], [sequence, found[1]], False, context, "dynamic_rnn")
        layer.tf1_ops = sorted(set(layer.tf1_ops) | set(rnn_loops.loop_ops(step.output, scope)))
        layer.notes.append(f"sequence_length {found[1].name}: the mask SequenceLengthMask makes of it")
        return [specs.LayerSpec("", "SequenceLengthMask"), layer], [sequence, found[1]]
    return None

