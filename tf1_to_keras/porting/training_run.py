"""What makes a Session.run a training run, and what it minimises: one home for the capture
worker (which stops at the first one) and model finding (which starts from its loss).

A training run updates trainable variables: an optimizer's `Apply*` op, a sparse update of
an embedding (`ScatterSub`, `ResourceScatterAdd`, ...), or the program's own gradient descent
(`tf.assign(w, w - lr * grad)`: an Assign/AssignSub/AssignVariableOp whose value depends on
`tf.gradients`, or, with the gradient written by hand, assigns a trainable variable a value
computed from that variable and a fed batch: `hand_written_descent`). The loss it minimises
is the root of those gradients: `tf.gradients` seeds it with `<scope>/grad_ys_0`, which that
loss op's gradient (`<scope>/<loss op>_grad/...`) reads; a hand-written gradient has no root,
and its loss is the program's own scalar of the same variables and batch (`descended_loss`).
"""

import re
import weakref

APPLY_OP = re.compile(r"^(Resource)?(Sparse)?Apply")
SCATTER_OP = re.compile(r"^(Resource)?Scatter(Nd)?(Sub|Add|Update|Mul|Div|Min|Max)$")
ASSIGN_TYPES = ("Assign", "AssignSub", "AssignAdd", "AssignVariableOp", "AssignSubVariableOp",
                "AssignAddVariableOp")
# SyncReplicasOptimizer: a worker's step hands its gradients to a ConditionalAccumulator (its
# training run); the chief's queue runner applies their mean (Apply* on AccumulatorTakeGradient),
# which is the aggregation, not a step of the program.
ACCUMULATE_OP = re.compile(r"^(Resource)?(Sparse)?AccumulatorApplyGradient$")
AGGREGATE_OP = re.compile(r"^(Resource)?(Sparse)?AccumulatorTakeGradient$")
GRADIENT_OP = re.compile(r"(?:^|/)gradients(?:_\d+)?/")
GRADIENT_SEED = re.compile(r"(?P<scope>(?:.*/)?gradients(?:_\d+)?)/grad_ys_0")
BATCH_TYPES = ("Placeholder", "PlaceholderWithDefault", "PlaceholderV2", "IteratorGetNext",
               "IteratorGetNextSync")
VARIABLE_READS = ("Identity", "ReadVariableOp", "Enter", "Switch", "RefSwitch", "RefEnter")


def ancestor_ops(ops, control=True):
    """`ops` and every op they depend on (data inputs, and control inputs with `control`)."""
    seen, pending = {}, list(ops)
    while pending:
        op = pending.pop()
        if op.name not in seen:
            seen[op.name] = op
            pending.extend(tensor.op for tensor in op.inputs)
            pending.extend(op.control_inputs if control else ())
    return seen


_FROM_GRADIENTS = weakref.WeakKeyDictionary()  # graph -> (graph.version, from_gradients' set)


def from_gradients(graph):
    """Names of the ops computed from a `gradients/` op (by data inputs), those ops included:
    one pass over the graph, kept until an op is added. An op's value depends on gradients
    exactly when it is in this set; asking each assignment's ancestors instead walks the
    forward graph once per assignment (a batch norm's moving averages: quadratic on a ResNet)."""
    cached = _FROM_GRADIENTS.get(graph)
    if cached is not None and cached[0] == graph.version:
        return cached[1]
    found = set()
    pending = [op for op in graph.get_operations() if GRADIENT_OP.search(op.name)]
    while pending:
        op = pending.pop()
        if op.name not in found:
            found.add(op.name)
            pending.extend(consumer for tensor in op.outputs for consumer in tensor.consumers())
    _FROM_GRADIENTS[graph] = (graph.version, found)
    return found


def is_update(op):
    """True for an op that changes a variable from gradients: Apply*, or an assignment or
    scatter whose value is computed from a `gradients/` op (an initializer's is not)."""
    if APPLY_OP.match(op.type):
        return not any(AGGREGATE_OP.match(tensor.op.type) for tensor in op.inputs)
    if ACCUMULATE_OP.match(op.type):
        return True
    if op.type not in ASSIGN_TYPES and not SCATTER_OP.match(op.type):
        return False
    computed = from_gradients(op.graph)
    return any(tensor.op.name in computed for tensor in op.inputs[1:]) or hand_written_descent(op)


def assigned_variable(op):
    """The variable op an assignment or scatter `op` changes (its first input, read through)."""
    source = op.inputs[0].op
    while source.type in VARIABLE_READS and source.inputs:
        source = source.inputs[0].op
    return source


def hand_written_descent(op):
    """True when the assignment `op` gives a trainable variable a value computed from that
    variable and from a fed batch (a placeholder or iterator
    output): `W.assign(W - lr * reduce_mean((W * X - Y) * X))`. A moving average's shadow or a
    batch norm's moving mean (not trainable) and a counter (no batch) are not."""
    if op.type not in ASSIGN_TYPES:
        return False
    variable = assigned_variable(op)
    trainable = {each.op.name for each in op.graph.get_collection("trainable_variables")}
    if variable.name not in trainable:  # a moving average: no walk (once per batch norm)
        return False
    values = ancestor_ops([tensor.op for tensor in op.inputs[1:]], control=False)
    return variable.name in values and any(each.type in BATCH_TYPES for each in values.values())


def reaches_update(ops):
    """True when an update op (`is_update`) is among `ops` or their (control) inputs."""
    return any(is_update(op) for op in ancestor_ops(ops).values())


def updated_variables(ops):
    """Names of the variable ops the update ops among `ops` and their inputs change."""
    found = set()
    for op in ancestor_ops(ops).values():
        if is_update(op) and ACCUMULATE_OP.match(op.type):  # the accumulator's shared name
            found.add(accumulated_variable(op.inputs[0].op))
        elif is_update(op):
            found.add(assigned_variable(op).name)
    return found


def accumulated_variable(accumulator):
    """The variable a SyncReplicasOptimizer accumulator gathers gradients of ("hid_w:0/grad_accum")."""
    shared = accumulator.get_attr("shared_name").decode()
    return shared.removesuffix("/grad_accum").rpartition(":")[0] or shared


def training_roots(graph):
    """Names of the graph's training ops: ops nothing consumes that reach an update op (each
    `minimize`'s op, a `tf.group` of hand-written assignments), sorted."""
    consumed = set()
    for op in graph.get_operations():
        consumed.update(tensor.op.name for tensor in op.inputs)
        consumed.update(control.name for control in op.control_inputs)
    # A read after the update (a resource variable's ReadVariableOp under Adam's scope) is no op
    # a program runs to train.
    sinks = [op for op in graph.get_operations()
             if op.name not in consumed and op.type not in ("ReadVariableOp", "Identity")]
    return sorted(op.name for op in sinks if not GRADIENT_OP.search(op.name) and reaches_update([op]))


def minimised_loss(graph, ops):
    """The scalar tensor the gradients reaching `ops` (a training run's ops) are taken of, or
    None: no `tf.gradients` seed among their ancestors, or several losses (the first is taken
    by a caller that wants one: see `minimised_losses`)."""
    losses = minimised_losses(graph, ops)
    return losses[0] if losses else None


def minimised_losses(graph, ops):
    """The scalar tensors the gradients reaching `ops` are taken of, by gradient scope."""
    ancestors = ancestor_ops(ops)
    losses = []
    for name in sorted(ancestors):
        seed = GRADIENT_SEED.fullmatch(name)
        if not seed:
            continue
        pattern = re.compile(re.escape(seed["scope"]) + r"/(?P<loss>.+?)_grad/.+")
        for consumer in graph.get_operation_by_name(name).outputs[0].consumers():
            found = pattern.fullmatch(consumer.name)
            try:
                tensor = graph.get_operation_by_name(found["loss"]).outputs[0] if found else None
            except KeyError:  # a scope that only looks like an op's name
                tensor = None
            if tensor is not None:
                if tensor.shape.ndims == 0 and tensor not in losses:
                    losses.append(tensor)
                break
    return losses


def descended_loss(graph, ops):
    """The loss a hand-written descent (`ops`, a run with no `tf.gradients`) minimises: the one
    scalar mean or sum outside the run, not a gradient, computed from every variable the run
    updates and every batch input the run reads (the program's `cost`, which it evaluates in
    runs of its own), else None (none, or several: which one the gradient is of is not written)."""
    updated = updated_variables(ops)
    ran = ancestor_ops(ops, control=False)
    batch = {name for name, op in ran.items() if op.type in BATCH_TYPES}
    found = {}
    for op in graph.get_operations():
        if (op.type not in ("Mean", "Sum") or op.name in ran or GRADIENT_OP.search(op.name)
                or op.outputs[0].shape.ndims != 0):
            continue
        reads = ancestor_ops([op], control=False)
        if updated and updated <= set(reads) and batch <= set(reads):
            found[op.name] = (op, reads)
    outermost = [op for name, (op, _) in found.items()
                 if not any(name in reads for other, (_, reads) in found.items() if other != name)]
    return outermost[0].outputs[0] if len(outermost) == 1 else None
