"""dynamic_rnn's while loop as TF1 builds it (v1 control flow: Enter, Merge, Switch, NextIteration,
Exit), read for constructs/rnn_cells: the loop variables a cell's step reads and writes, the TensorArray
its inputs come from, and the ways a program takes the loop's results (final state, outputs,
outputs[:, -1]).

A loop variable is `Merge(Enter(initial), NextIteration(next))`; the step reads it through
`Identity(Switch(merge):1)` and the loop hands it out through `Exit(Switch(merge):0)`.
`v1_control_flow()` builds such loops in this process (training a captured graph adds the
loop's gradient, which must be a v1 loop too).
"""

import contextlib
import re

import numpy as np
from tensorflow.python.ops import control_flow_util

from tf1_to_keras.porting import rnn_cell_steps


@contextlib.contextmanager
def v1_control_flow():
    """Graph code inside builds TF1's v1 while loops (and TensorArrays), as TF1 and the runner do;
    this process builds v2 ones (a functional While op) otherwise. Restored on exit."""
    saved = control_flow_util.ENABLE_CONTROL_FLOW_V2
    control_flow_util.ENABLE_CONTROL_FLOW_V2 = False
    try:
        yield
    finally:
        control_flow_util.ENABLE_CONTROL_FLOW_V2 = saved


def loop_variable(read):
    """(initial value, next value) of the while-loop variable whose in-loop read is `read`
    (Identity(Switch:1(Merge(Enter(initial), NextIteration(next))))), else None."""
    switch = read.op.inputs[0] if read.op.type == "Identity" and read.op.inputs else None
    if switch is None or switch.op.type != "Switch" or switch.value_index != 1:
        return None
    merge = switch.op.inputs[0].op
    if merge.type != "Merge" or len(merge.inputs) != 2:
        return None
    enter, next_iteration = merge.inputs[0].op, merge.inputs[1].op
    if enter.type != "Enter" or next_iteration.type != "NextIteration":
        return None
    return enter.inputs[0], next_iteration.inputs[0]


def exit_next_value(tensor):
    """The value a loop variable takes each iteration, when `tensor` is its Exit, else None."""
    if tensor.op.type != "Exit" or tensor.op.inputs[0].op.type != "Switch":
        return None
    merge = tensor.op.inputs[0].op.inputs[0].op
    next_iteration = merge.inputs[1].op if merge.type == "Merge" and len(merge.inputs) == 2 else None
    return next_iteration.inputs[0] if next_iteration is not None and next_iteration.type == "NextIteration" \
        else None


def scattered_sequence(x, context):
    """The (N, T, F) input of dynamic_rnn when `x` is the step's TensorArray read of it, else None."""
    read = context.producer(x, "TensorArrayReadV3")
    flow = None if read is None else context.producer(read.inputs[2], "Enter")
    scatter = None if flow is None else context.producer(flow.inputs[0], "TensorArrayScatterV3")
    transpose = None if scatter is None else context.producer(scatter.inputs[2], "Transpose")
    if transpose is None or transpose.inputs[0].shape.ndims != 3:
        return None
    # dynamic_rnn's own transpose to time-major computes its perm (concat([1, 0], range(2, rank)));
    # a program's own, before time_major=True, must be the constant [1, 0, 2].
    perm = context.constant_value(transpose.inputs[1])
    if (perm is None and transpose.inputs[1].op.type != "ConcatV2") or (perm is not None and list(perm) != [1, 0, 2]):
        return None
    return transpose.inputs[0]


def last_of_sequence(tensor, context):
    """The sequence tensor when `tensor` is `outputs[:, -1]` / `outputs[:, -1, :]`, or the
    time-major form `tf.gather(tf.transpose(outputs, [1, 0, 2]), T - 1)`, else None."""
    gathered = _gathered_last_step(tensor, context)
    if gathered is not None:
        return gathered
    op = context.producer(tensor, "StridedSlice")
    begin = None if op is None else context.constant_value(op.inputs[1])
    strides = None if op is None else context.constant_value(op.inputs[3])
    if begin is None or strides is None or len(begin) < 2 or begin[1] != -1 or np.any(strides != 1):
        return None
    full = (1 << len(begin)) - 1 - 2  # every axis but 1 taken whole
    masks_fit = op.get_attr("shrink_axis_mask") == 2 and op.get_attr("begin_mask") & full == full \
        and op.get_attr("end_mask") & full == full
    return op.inputs[0] if masks_fit and not op.get_attr("ellipsis_mask") and not op.get_attr("new_axis_mask") \
        else None


def _gathered_last_step(tensor, context):
    """outputs when `tensor` is tf.gather(tf.transpose(outputs, [1, 0, 2]), T - 1) (axis 0), else None."""
    gather = context.producer(tensor, "GatherV2")
    transpose = None if gather is None else context.producer(gather.inputs[0], "Transpose")
    if transpose is None or transpose.inputs[0].shape.ndims != 3:
        return None
    perm, index = context.constant_value(transpose.inputs[1]), context.constant_value(gather.inputs[1])
    axis, steps = context.constant_value(gather.inputs[2]), transpose.inputs[0].shape[1]
    fits = perm is not None and list(perm) == [1, 0, 2] and index is not None and np.ndim(index) == 0 \
        and axis is not None and int(axis) == 0 and steps is not None and int(index) == steps - 1
    return transpose.inputs[0] if fits else None


def dynamic_output(tensor, context):
    """(the step's new output, return_sequences) of dynamic_rnn's final state (an Exit), its
    outputs (Transpose of the TensorArray gather), or outputs[:, -1], else None."""
    if tensor.op.type == "Exit":
        new = exit_next_value(tensor)
        return None if new is None else (new, False)
    sequence, return_sequences = last_of_sequence(tensor, context), False
    sequence, return_sequences = (tensor, True) if sequence is None else (sequence, False)
    transpose = context.producer(sequence, "Transpose")
    gather = None if transpose is None else context.producer(transpose.inputs[0], "TensorArrayGatherV3")
    flow = None if gather is None else exit_next_value(gather.inputs[2])
    write = None if flow is None else context.producer(flow, "TensorArrayWriteV3")
    return None if write is None else (write.inputs[2], return_sequences)


def loop_ops(tensor, scope):
    """Names of the ops of the while loop (`.../while/...`) that made `tensor`'s step, but those of
    the other cells of a MultiRNNCell (`multi_rnn_cell/cell_<k>/`) than the one at `scope`."""
    loop = tensor.op.name.partition("/while/")[0] + "/while/"
    own = re.search(r"/cell_(\d+)(/|$)", scope)
    def other_cell(name):
        found = re.search(r"multi_rnn_cell/cell_(\d+)/", name)
        return found is not None and (own is None or found.group(1) != own.group(1))
    return [op.name for op in tensor.graph.get_operations()
            if op.name.startswith(loop) and not other_cell(op.name)]


def runs_from_zero(step, context):
    """True when the step reads loop variables that start at zero and take the step's new values."""
    pairs = [(step.previous_output, step.output)]
    pairs += [(step.previous_state, step.state)] if step.state is not None else []
    for read, new in pairs:
        loop = loop_variable(read)
        if loop is None or loop[1].name != new.name or not rnn_cell_steps.is_zero(loop[0], context):
            return False
    return True
