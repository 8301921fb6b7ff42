"""Where a failing forward check's two sides part, when the TF1 builder gave no taps.

The name map already pairs TF1 variables with Keras weights, so it pairs each TF1 scope
with a Keras layer (`hidden2/kernel` -> `hidden2/kernel`: scope `hidden2`, layer
`hidden2`; `output/weights` -> `logits/kernel`: scope `output`, layer `logits`). For
each pair, in the Keras model's layer order:

* the TF1 side's output is the tensor of the scope's last op (graph creation order) on a
  path from the inputs to the outputs: after `MatMul` and `BiasAdd`, the activation
  (`hidden2/Tanh`) when the builder applied it inside the scope;
* the Keras side's is the layer's output, through a functional sub-model over the layer
  outputs (KerasModel.tap): Sequential and functional models only.

Both are compared under the forward bars; the first pair that fails is the first
divergent layer. Layers before it that could not be compared are named in a note: the
two sides may already part there (a weightless layer, an RNN). A pair is left out when the scope has no op on that path (an RNN cell's
ops live in its loop), when the scope is the graph's root (raw `tf.Variable`s), when one
Keras layer's weights come from several scopes, or when the two static shapes differ (the
scope holds more than the layer: a reshape). An activation applied outside the scope is
not the scope's output: give the builder's `layers` taps for such a graph, and they are
used instead.
"""

from tf1_to_keras.harness import closeness

UNAVAILABLE_SUBCLASSED = ("localisation is not available: {model} has no layer outputs to compare "
                          "(a subclassed model); compare a Sequential or functional port to name the layer")
UNAVAILABLE_UNPAIRED = ("localisation is not available: the name map pairs no TF1 scope whose output "
                        "can be found with a Keras layer; give the TF1 builder's 'layers' taps")


def scope_pairs(mapping, keras_side):
    """[(Keras layer, TF1 scope)] in the Keras model's layer order, for each tappable layer
    whose weights all come from the variables of one TF1 scope (not the root)."""
    layer_of = keras_side.weight_layers()
    scopes = {}
    for tf1_name, keras_path in mapping.pairs():
        scopes.setdefault(layer_of[keras_path], set()).add(tf1_name.rpartition("/")[0])
    pairs = []
    for layer in keras_side.tappable_layers():
        found = scopes.get(layer, set())
        if len(found) == 1 and next(iter(found)):
            pairs.append((layer, next(iter(found))))
    return pairs


def _ops_between(inputs, outputs):
    """The ops on a path from any of `inputs` (tensors) to `outputs` (a tensor), both ends included."""
    downstream, queue = set(), [tensor.op for tensor in inputs]
    while queue:
        op = queue.pop()
        if op not in downstream:
            downstream.add(op)
            queue.extend(consumer for tensor in op.outputs for consumer in tensor.consumers())
    between, queue = set(), [outputs.op]
    while queue:
        op = queue.pop()
        if op in downstream and op not in between:
            between.add(op)
            queue.extend(tensor.op for tensor in op.inputs)
    return between


def _owner(op_name, scopes):
    """The innermost of `scopes` that holds the op, or None."""
    holding = [scope for scope in scopes if op_name.startswith(scope + "/")]
    return max(holding, key=len, default=None)


def scope_outputs(graph, inputs, outputs, scopes):
    """{scope: tensor}: each scope's last op on a path from `inputs` to `outputs`, its output
    that the path goes on through (or `outputs` itself)."""
    between = _ops_between(inputs, outputs)
    found = {}
    for op in graph.get_operations():  # creation order: an op comes after the ops it reads
        scope = _owner(op.name, scopes) if op in between else None
        if scope is None:
            continue
        onward = [tensor for tensor in op.outputs if tensor.name == outputs.name
                  or any(consumer in between for consumer in tensor.consumers())]
        found[scope] = onward[0] if onward else op.outputs[0]
    return found


def _same_shape(tensor, keras_shape):
    shape = None if tensor.shape.ndims is None else tensor.shape.as_list()
    return shape is not None and len(shape) == len(keras_shape) and all(
        a is None or b is None or a == b for a, b in zip(shape[1:], keras_shape[1:]))


def layer_outputs(tf1, keras_side, mapping):
    """[(Keras layer, TF1 tensor)] of the pairs whose TF1 output was found, in layer order."""
    pairs = scope_pairs(mapping, keras_side)
    inputs = tf1.endpoints.inputs
    inputs = list(inputs.values()) if isinstance(inputs, dict) else [inputs]
    tensors = scope_outputs(tf1.graph, inputs, tf1.endpoints.outputs, {scope for _, scope in pairs})
    shapes = {summary.name: summary.output_shape for summary in keras_side.layer_summaries()}
    return [(layer, tensors[scope]) for layer, scope in pairs
            if scope in tensors and _same_shape(tensors[scope], shapes[layer])]


def localise(tf1, keras_side, mapping, x, bars, batch_size=1000):
    # `bars`: a harness.Tolerances, whose forward bar each pair is held to.
    """({Keras layer: closeness.Comparison} of each pair, in layer order; a note when none
    could be compared, saying why)."""
    if not keras_side.tappable_layers():
        return {}, UNAVAILABLE_SUBCLASSED.format(model=keras_side.description)
    pairs = layer_outputs(tf1, keras_side, mapping)
    if not pairs:
        return {}, UNAVAILABLE_UNPAIRED
    tf1_values = tf1.fetch(x, dict(pairs), batch_size)
    keras_values = keras_side.tap(x, [layer for layer, _ in pairs], batch_size)
    comparisons = {layer: closeness.forward_compare(
        keras_values[layer], tf1_values[layer], bars=bars,
        name=f"forward: layer {layer!r} output (TF1 {tensor.name})")
        for layer, tensor in pairs}
    return comparisons, uncompared_before_failure(keras_side.tappable_layers(), comparisons)


def uncompared_before_failure(layer_order, comparisons):
    """A note naming the layers before the first failing comparison that were not compared
    (no weights, or no TF1 output found): the two sides may already part there; or None."""
    failing = next((layer for layer, comparison in comparisons.items() if not comparison.passed), None)
    if failing is None:
        return None
    skipped = [layer for layer in layer_order[:layer_order.index(failing)] if layer not in comparisons]
    if not skipped:
        return None
    return (f"layer(s) {', '.join(map(repr, skipped))} before {failing!r} could not be compared (no weights "
            "the name map pairs with a TF1 scope, or no output found in that scope); the two sides may "
            "part there already")
