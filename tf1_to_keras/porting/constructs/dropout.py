"""Construct: dropout subgraphs -> Dropout(rate).

Dropout: TF 2.21's `nn.dropout` graph, `SelectV2(RandomUniform(shape(x)) >= rate, x / (1 - rate),
0)`, whatever called it (`tf.nn.dropout(x, keep_prob)`, `tf.layers.dropout`, contrib's), and
the same inside a `tf.cond` on a training switch (`Switch`/`Merge`). The rate: a constant,
`1 - keep_prob` or a rate placeholder read from the captured training run's feeds; when a
placeholder was not fed the LayerSpec's rate is None and a note says why.
"""

import re

import tensorflow as tf

from tf1_to_keras.porting import specs
from tf1_to_keras.porting.constructs import pattern
from tf1_to_keras.porting.graph_ops import short_scope
from tf1_to_keras.porting.recognition_context import clean_float

_RANDOM_DEPTH = 4


def _is_random(tensor, context):
    """True when `tensor` is RandomUniform, maybe scaled/shifted (a few ops away)."""
    pending = [(tensor.op, 0)]
    while pending:
        op, depth = pending.pop()
        if op.type == "RandomUniform":
            return True
        if depth < _RANDOM_DEPTH:
            pending.extend((t.op, depth + 1) for t in op.inputs)
    return False


def dropout_rate(tensor, context):
    """(rate or None, note) of the dropout's rate tensor."""
    keep = context.producer(tensor, "Sub")
    if keep is not None and _is_one(context.constant_value(keep.inputs[0])):
        value, note = _fed(keep.inputs[1], context, "keep_prob")
        if value is None:
            return None, note
        return round(1.0 - value, 9), f"rate {round(1.0 - value, 9)}: 1 - {note}"
    value, note = _fed(tensor, context, "rate")
    return (None if value is None else round(value, 9)), note


def _is_one(value):
    return value is not None and value.size == 1 and float(value) == 1.0


def _fed(tensor, context, what):
    """(value, note) of a constant or the captured feed of a placeholder (entered into a while
    loop: DropoutWrapper's keep_prob inside dynamic_rnn)."""
    while tensor.op.type == "Enter":
        tensor = tensor.op.inputs[0]
    constant = context.constant_value(tensor)
    if constant is not None:
        return clean_float(constant), f"constant {what} {clean_float(constant)}"
    placeholder = context.producer(tensor, "Placeholder", "PlaceholderWithDefault")
    if placeholder is not None and context.feed_value(placeholder.outputs[0]) is not None:
        value = float(context.feed_value(placeholder.outputs[0]))
        return value, f"{what}'s training feed ({placeholder.outputs[0].name} = {value})"
    if placeholder is not None and placeholder.type == "PlaceholderWithDefault":
        default = context.constant_value(placeholder.inputs[0])
        if default is not None:
            return clean_float(default), f"{what}'s default ({placeholder.name} = {clean_float(default)})"
    return None, (f"rate unknown: {what} {tensor.name} is not a constant and was not fed in the "
                  "captured training run; set the Dropout rate by hand")


def _short_scope(context, name):
    """The dropout's scope: slim's `dropout6/dropout/...` (tf.nn.dropout's own scope inside the
    one slim.dropout opens; `dropout6/cond/dropout/...` under an is_training tensor) ->
    "dropout6"; otherwise the op's last scope component."""
    parts = context.scope_of(name).split("/")
    if parts[-1] != "dropout":
        return short_scope(context, name)
    outer = parts[:-1]
    while outer and re.fullmatch(r"cond(_\d+)?", outer[-1]):
        outer.pop()
    return outer[-1] if outer and outer[-1].lower().startswith("dropout") else "dropout"


def _plain_dropout(tensor, context):
    """(LayerSpec, x) of `SelectV2(random >= rate, x / keep, 0)` or `x / keep * cast(mask)`."""
    op = context.producer(tensor, "SelectV2", "Select", "Mul")
    if op is None:
        return None
    if op.type == "Mul":
        mask_tensor, kept_tensor = _mask_first(op, context)
    else:
        mask_tensor, kept_tensor = op.inputs[0], op.inputs[1]
    compare = context.producer(mask_tensor, "GreaterEqual")
    scaled = context.producer(kept_tensor, "RealDiv", "Mul")
    if compare is None or scaled is None or not _is_random(compare.inputs[0], context):
        return None
    x = scaled.inputs[0]
    rate, note = dropout_rate(compare.inputs[1], context)
    layer = specs.LayerSpec(name=_short_scope(context, op.name), keras_class="Dropout",
                            config={"rate": rate}, tf1_output=tensor.name, notes=[note])
    return layer, x


def _mask_first(op, context):
    """(mask, data) inputs of `Mul(data, Cast(mask))`, in that order."""
    first, second = op.inputs
    if context.producer(first, "Cast") is not None:
        return first.op.inputs[0], second
    cast = context.producer(second, "Cast")
    return (cast.inputs[0] if cast is not None else second), first


@pattern(75, "before merges: a dropout ends in Mul(x / keep, mask), two model tensors")
def match_dropout(tensor, context):
    """A dropout subgraph -> Dropout(rate)."""
    found = _plain_dropout(tensor, context)
    if found is None or not context.on_path(found[1]):
        return None
    return found


def _switch_input(tensor, context):
    """(Switch op, port) behind `tensor` through Identity ops, else (None, None)."""
    while tensor.op.type == "Identity":
        tensor = tensor.op.inputs[0]
    return (tensor.op, tensor.value_index) if tensor.op.type == "Switch" else (None, None)


@pattern(80, "before plain dropout: a Merge whose branch is a dropout")
def match_cond_dropout(tensor, context):
    """`tf.cond(training, lambda: dropout(x), lambda: x)` -> Dropout (Keras drops only in training)."""
    merge = context.producer(tensor, "Merge")
    if merge is None or len(merge.inputs) != 2:
        return None
    for dropped, kept in ((0, 1), (1, 0)):
        found = _plain_dropout(merge.inputs[dropped], context)
        if found is None:
            continue
        layer, switched = found
        switch, port = _switch_input(switched, context)
        other, _ = _switch_input(merge.inputs[kept], context)
        if switch is None or other is None or switch.inputs[0].name != other.inputs[0].name:
            continue
        flag = switch.inputs[1]
        while flag.op.type == "Identity":  # cond/pred_id -> the switch the program feeds
            flag = flag.op.inputs[0]
        if port != 1:
            layer.notes.append(f"dropout applies when {flag.name} is false; Keras applies it "
                               "in training only: check the switch")
        layer.notes.append(f"inside tf.cond on {flag.name}: Keras' Dropout is active in training only")
        layer.tf1_output = tensor.name
        return layer, switch.inputs[0]
    return None


def _function_nodes(graph, function_name):
    """{node name: NodeDef} of a graph function (a tf.cond branch)."""
    function = graph._get_function(function_name)  # pylint: disable=protected-access
    return {node.name: node for node in function.definition.node_def}


@pattern(80, "an If op: nothing else claims it; with the v1 tf.cond form")
def match_functional_cond_dropout(tensor, context):
    """`If(training, x)` (TF2 control flow: tf.cond built outside the runner) whose true branch
    is a dropout with a constant rate and whose false branch returns x -> Dropout(rate)."""
    op = context.producer(tensor, "If", "StatelessIf")
    if (op is None or len(op.inputs) != 2 or tensor.value_index != 0
            or not context.on_path(op.inputs[1])):
        return None
    dropped = _function_nodes(context.graph, op.get_attr("then_branch").name)
    kept = _function_nodes(context.graph, op.get_attr("else_branch").name)
    compare = next((node for node in dropped.values() if node.op == "GreaterEqual"), None)
    # OptionalNone: the intermediates TF keeps for the gradient of the other branch.
    if (any(node.op not in ("Identity", "OptionalNone") for node in kept.values()) or compare is None
            or not any(node.op == "RandomUniform" for node in dropped.values())):
        return None
    rate_node = dropped.get(compare.input[1].split(":")[0])
    if rate_node is None or rate_node.op != "Const":
        return None
    rate = clean_float(tf.make_ndarray(rate_node.attr["value"].tensor))
    flag = op.inputs[0]
    notes = [f"constant rate {rate}",
             f"inside tf.cond on {flag.name}: Keras' Dropout is active in training only"]
    return specs.LayerSpec(name=_short_scope(context, op.name) or "dropout", keras_class="Dropout",
                           config={"rate": rate}, tf1_output=tensor.name, notes=notes), op.inputs[1]

