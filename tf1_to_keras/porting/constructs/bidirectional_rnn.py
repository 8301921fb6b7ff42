"""Construct: a bidirectional RNN, a forward and a backward run of two cells of one kind and size
joined on the last axis -> `Bidirectional(LSTM/GRU/SimpleRNN(units, name=<cell scope>))`.

* `tf.nn.bidirectional_dynamic_rnn(cell_fw, cell_bw, x)`: the backward loop reads
  `ReverseV2(x, [1])`. `tf.concat([state_fw, state_bw], 1)` (final states; an LSTM's `.h`) is
  Keras' Bidirectional output; `tf.concat([out_fw, out_bw], 2)` (the outputs, the backward ones
  reversed back) is its output with `return_sequences=True`.
* `static_bidirectional_rnn(cell_fw, cell_bw, tf.unstack(x, T, 1))`: `outputs[-1]` is
  `concat([fw's last output, bw's first step's])`: the backward cell has seen only x[T - 1]
  there, not the whole sequence as Keras' `Bidirectional(return_sequences=False)` would. It is
  step T - 1 of Keras' return_sequences output: Bidirectional(return_sequences=True),
  Cropping1D((T - 1, 0)), Flatten.

Each direction is read by constructs/rnn_cells (the cell's formula, zero initial state, the
loop); the backward cell's weights go to Keras' `backward_<name>` through the same cell
transform, the forward's to `forward_<name>`. Directions of different cells or sizes, a
sequence_length, or inputs other than the same x reversed: None.
"""

from tf1_to_keras.porting import rnn_cell_steps, specs
from tf1_to_keras.porting.constructs import pattern, rnn_cells

DYNAMIC = (rnn_cells.match_dynamic_lstm, rnn_cells.match_dynamic_gru, rnn_cells.match_dynamic_simple_rnn)


def _concat_of_two(tensor, context):
    """(a, b) of tf.concat([a, b], last axis), else None."""
    op = context.producer(tensor, "ConcatV2")
    if op is None or len(op.inputs) != 3 or tensor.shape.rank is None:
        return None
    axis = context.constant_value(op.inputs[2])
    if axis is None or axis.size != 1 or int(axis) % tensor.shape.rank != tensor.shape.rank - 1:
        return None
    return op.inputs[0], op.inputs[1]


def _reversed_in_time(tensor, context):
    """x when `tensor` is ReverseV2(x, [1]) (TF1's reversal of a batch-major sequence), else None."""
    op = context.producer(tensor, "ReverseV2")
    axis = None if op is None else context.constant_value(op.inputs[1])
    return op.inputs[0] if axis is not None and [int(value) for value in axis.reshape(-1)] == [1] else None


def _dynamic_direction(tensor, context):
    """(LayerSpec, input sequence) of the dynamic_rnn cell whose output is `tensor`, else None."""
    found = next((found for match in DYNAMIC if (found := match(tensor, context)) is not None), None)
    return found if found is not None and isinstance(found[0], specs.LayerSpec) else None  # not a chain


def bidirectional_spec(tensor, forward, backward, return_sequences):
    """Bidirectional(<forward's class>(...)) of two direction LayerSpecs of one config, else None."""
    if forward.keras_class != backward.keras_class or forward.config != backward.config:
        return None
    inner = forward.name
    if forward.config.get("return_sequences", False) != return_sequences:
        return None
    layer = specs.KerasObject(f"keras.layers.{forward.keras_class}", {**forward.config, "name": inner})
    weights = [specs.WeightSource(f"{side}_{inner}/{source.keras_weight}", source.tf1_variable, source.transform)
               for side, spec in (("forward", forward), ("backward", backward)) for source in spec.weights]
    scope = weights[0].transform.scope.split("/")
    name = scope[-3] if len(scope) >= 3 and scope[-2] == "fw" else inner
    notes = [f"forward and backward {forward.keras_class} of TF1's {name}/fw and {name}/bw cells, "
             "each converted as its cell is (the backward one into backward_" + inner + ")"]
    notes += forward.notes[1:]  # initializers, a folded forget_bias: as for one cell
    ops = sorted(set(forward.tf1_ops) | set(backward.tf1_ops))
    return specs.LayerSpec(name, "Bidirectional", {"layer": layer}, ops,
                           weights, tf1_output=tensor.name, notes=notes)


@pattern(95, "before the cells and Concatenate: the concat of two directions is one layer")
def match_bidirectional_dynamic(tensor, context):
    """concat of bidirectional_dynamic_rnn's final states or outputs -> Bidirectional, else None."""
    pair = _concat_of_two(tensor, context)
    unreversed = None if pair is None else _reversed_in_time(pair[1], context)
    backward_output = pair[1] if unreversed is None and pair is not None else unreversed
    forward = None if pair is None else _dynamic_direction(pair[0], context)
    backward = None if forward is None else _dynamic_direction(backward_output, context)
    if backward is None or _reversed_in_time(backward[1], context) is None:
        return None
    sequences = forward[0].config.get("return_sequences", False)
    reversed_outputs = backward_output is not pair[1]
    if _reversed_in_time(backward[1], context).name != forward[1].name or sequences != reversed_outputs \
            or backward[0].config.get("return_sequences", False) != sequences:
        return None
    layer = bidirectional_spec(tensor, forward[0], backward[0], sequences)
    return None if layer is None else (layer, forward[1])


def _static_direction(output, context):
    """(cell, its steps first to last) of the static_rnn cell whose last output is `output`, else None."""
    for cell in rnn_cell_steps.CELLS:
        steps = rnn_cells._unroll(output, cell, context)  # noqa: SLF001 (the cells' own reading)
        if steps is not None and rnn_cells._cell_variables_fit(cell, rnn_cells._cell_scope(cell, steps[0]), context):
            return cell, steps
    return None


def _unstacked_inputs(steps, context):
    """(the Unpack op, [its output index per step]) when every step reads one tf.unstack(x, T, 1)."""
    op = context.producer(steps[0].input, "Unpack")
    if op is None or any(step.input.op is not op for step in steps) or op.get_attr("axis") not in (1, -2):
        return None
    return op, [step.input.value_index for step in steps]


@pattern(95, "before the cells and Concatenate: the concat of two directions is one layer")
def match_bidirectional_static_last(tensor, context):
    """outputs[-1] of static_bidirectional_rnn -> Bidirectional(return_sequences), Cropping1D, Flatten."""
    pair = _concat_of_two(tensor, context)
    forward = None if pair is None else _static_direction(pair[0], context)
    backward = None if forward is None else _static_direction(pair[1], context)
    if backward is None or forward[0] is not backward[0]:
        return None
    read = _unstacked_inputs(forward[1], context), _unstacked_inputs(backward[1], context)
    if read[0] is None or read[1] is None or read[0][0] is not read[1][0]:
        return None
    steps = read[0][0].get_attr("num")
    if read[0][1] != list(range(steps)) or read[1][1] != [steps - 1]:
        return None  # outputs[-1] only: the forward cell over every step, the backward one over the last
    cell, sequence = forward[0], read[0][0].inputs[0]
    stops = [sequence]
    directions = [rnn_cells._layer(part, cell, found[1], stops, True, context)  # noqa: SLF001
                  for part, found in zip(pair, (forward, backward))]
    layer = bidirectional_spec(tensor, *directions, return_sequences=True)
    if layer is None:
        return None
    layer.tf1_output = ""  # every step's outputs: TF1 holds no such tensor
    layer.notes.append(f"outputs[-1] of static_bidirectional_rnn is step {steps - 1} of every step's "
                       "outputs: the backward cell has read only the last input there")
    crop = specs.LayerSpec("", "Cropping1D", {"cropping": (steps - 1, 0)})
    return [layer, crop, specs.LayerSpec("", "Flatten", tf1_output=tensor.name)], sequence
