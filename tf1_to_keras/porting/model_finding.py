"""Finds the model in a TF1 training graph: its output (logits), labels, loss and inputs.

With a training run (its ops, or the fetches that reached one), the model is found from the
loss it minimises, whatever the loss is written as (loss_finding: the gradients' root, the
inputs that reach trainable variables, the labels that do not, the model's last tensor
before it meets them). Without one (a graph that was never trained), the output is the tensor feeding the loss (`SoftmaxCrossEntropyWithLogits`, its sparse
form, `sigmoid_cross_entropy_with_logits`' arithmetic, `SquaredDifference` of mean squared
error); without a loss, the input of a Softmax or ArgMax that depends on a variable. A loss
reached from the captured run's fetches wins over others (an eval graph's, a summary's).
The inputs are the placeholders (or `IteratorGetNext` outputs: Estimator and Dataset input)
the output depends on, less scalar ones or ones of unknown rank (keep_prob, training flags,
learning rates) and those the captured run fed with a number.
"""

import dataclasses

import tensorflow as tf

from tf1_to_keras.porting import loss_finding, recognition_context, training_run

# Ops a loss' logits/labels pass through before the loss op: TF's own reshapes and casts.
_LOSS_PLUMBING = ("Identity", "StopGradient", "Reshape", "Cast", "ExpandDims", "Squeeze")
_CROSS_ENTROPY = ("SoftmaxCrossEntropyWithLogits", "SparseSoftmaxCrossEntropyWithLogits")
INPUT_TYPES = ("Placeholder", "PlaceholderWithDefault", "PlaceholderV2", "IteratorGetNext",
               "IteratorGetNextSync")


@dataclasses.dataclass
class ModelEnds:
    """The output tensor, the input tensors (ordered by name), labels and loss tensors;
    `activation`: "Softmax"/"Sigmoid" when the output is probabilities the loss takes;
    `target_is_input`: the loss compares the output with the input (an autoencoder)."""

    output: tf.Tensor
    inputs: list
    labels: object = None
    loss: object = None
    activation: object = None
    target_is_input: bool = False


def find_model(graph, fetches=(), feeds=None, train_op=None):
    """The ModelEnds of `graph`: from the loss the training run (`train_op`, else the fetches)
    minimises when there is one, else from a loss op or a softmax/argmax; ValueError when
    there is none of them."""
    run = [graph.get_operation_by_name(train_op)] if train_op else _fetched_ops(graph, fetches)
    loss = training_run.minimised_loss(graph, run) if run else None
    if run and loss is None:  # a gradient written by hand: the program's own cost
        loss = training_run.descended_loss(graph, run)
    if loss is not None:
        found = loss_finding.model_of_loss(loss, feeds or {}, training_run.updated_variables(run))
        return ModelEnds(found.output, found.inputs, found.labels, loss, found.activation,
                         found.target_is_input)
    candidates = _loss_candidates(graph) or _prediction_candidates(graph)
    if not candidates:
        raise ValueError("found no loss (softmax/sigmoid cross entropy, squared difference) and "
                         "no softmax/argmax of a model in the graph, so no model output")
    reached = _ancestor_names(graph, fetches)
    candidates.sort(key=lambda candidate: candidate[0].name not in reached)
    loss_op, output, labels = candidates[0]
    inputs = find_inputs(output, feeds or {})
    if not inputs:
        raise ValueError(f"the model output {output.name} depends on no placeholder or input "
                         "iterator, so there is no model input")
    is_loss = loss_op.type != "Softmax" and loss_op.type != "ArgMax"
    return ModelEnds(output, inputs, labels, loss_op.outputs[0] if is_loss else None)


def find_inputs(output, feeds):
    """The non-scalar placeholder / iterator tensors `output` depends on, sorted by name."""
    found, seen, pending = {}, set(), [output]
    while pending:
        tensor = pending.pop()
        if tensor.op.name in seen:
            continue
        seen.add(tensor.op.name)
        if tensor.op.type in INPUT_TYPES:
            # Unknown rank: `tf.placeholder(tf.float32)`, TF1's usual keep_prob.
            if tensor.shape.rank not in (0, None) and tensor.name not in feeds:
                found[tensor.name] = tensor
            continue
        if tensor.op.type in recognition_context.VARIABLE_TYPES:
            continue
        pending.extend(tensor.op.inputs)
        pending.extend(op.outputs[0] for op in tensor.op.control_inputs if op.outputs)
    # IteratorGetNext: only its outputs the output reads (features, not labels).
    return [found[name] for name in sorted(found)]


def _source(tensor):
    """`tensor` before TF's reshapes/casts around a loss op."""
    while tensor.op.type in _LOSS_PLUMBING and tensor.op.inputs:
        tensor = tensor.op.inputs[0]
    return tensor


def _loss_candidates(graph):
    """[(loss op, logits, labels)] of the graph's losses."""
    candidates = []
    for op in graph.get_operations():
        if op.name.startswith("gradients"):
            continue
        if _is_loss(op):
            output, labels = op.inputs[0], op.inputs[1]
            if op.type == "SquaredDifference" and not _depends_on_variable(output):
                output, labels = labels, output  # tf.losses.mean_squared_error(labels, predictions)
            candidates.append((op, _source(output), _source(labels)))
    return candidates


def _is_loss(op):
    """Cross entropy, squared difference of a model's output, or sigmoid cross entropy's
    `logits * labels` (its other ops are arithmetic that says nothing alone)."""
    return (op.type in _CROSS_ENTROPY
            or op.type == "SquaredDifference"
            and _depends_on_variable(op.inputs[0]) != _depends_on_variable(op.inputs[1])
            or op.type == "Mul" and op.name.endswith("logistic_loss/mul"))


def _prediction_candidates(graph):
    return [(op, _source(op.inputs[0]), None) for op in graph.get_operations()
            if op.type in ("Softmax", "ArgMax") and not op.name.startswith("gradients")
            and _depends_on_variable(op.inputs[0])]


def _depends_on_variable(tensor, limit=10000):
    seen, pending = set(), [tensor.op]
    while pending and len(seen) < limit:
        op = pending.pop()
        if op.type in recognition_context.VARIABLE_TYPES:
            return True
        if op.name not in seen:
            seen.add(op.name)
            pending.extend(t.op for t in op.inputs)
    return False


def _ancestor_names(graph, fetches):
    """Names of the ops the fetches depend on (data and control inputs)."""
    return ancestors(_fetched_ops(graph, fetches))


def _fetched_ops(graph, fetches):
    """The ops of the fetch names the graph holds."""
    found = []
    for name in fetches:
        try:
            element = graph.as_graph_element(name, allow_tensor=True, allow_operation=True)
        except (KeyError, ValueError):
            continue
        found.append(element if isinstance(element, tf.Operation) else element.op)
    return found


def ancestors(ops):
    """Names of `ops` and of every op they depend on (data and control inputs)."""
    seen, pending = set(), list(ops)
    while pending:
        op = pending.pop()
        if op.name not in seen:
            seen.add(op.name)
            pending.extend(t.op for t in op.inputs)
            pending.extend(op.control_inputs)
    return seen
