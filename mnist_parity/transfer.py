"""Weight transfer between the two sides: a lookup by layer name.

Weights travel as `{layer_name: [kernel, bias]}` dicts of NumPy arrays. Every
transfer checks the whole mapping first and fails with a list of each missing,
extra or shape-mismatched entry, so nothing is half-copied.
"""


class WeightTransferError(ValueError):
    """The weights do not fit the model: lists each missing, extra and mismatched name."""


def _describe(shapes):
    return [tuple(shape) for shape in shapes]


def check_weights(expected_shapes, weights, target):
    """Raises WeightTransferError unless `weights` fits `expected_shapes` exactly.

    expected_shapes: {layer: [shape, ...]} of the receiving model, named `target`.
    """
    problems = []
    for name in sorted(set(expected_shapes) - set(weights)):
        problems.append(f"missing {name}: expected shapes {_describe(expected_shapes[name])}, found nothing")
    for name in sorted(set(weights) - set(expected_shapes)):
        problems.append(f"extra {name}: shapes {_describe(a.shape for a in weights[name])} not in {target}")
    for name in sorted(set(expected_shapes) & set(weights)):
        expected = _describe(expected_shapes[name])
        found = _describe(array.shape for array in weights[name])
        if expected != found:
            problems.append(f"shape mismatch {name}: expected {expected}, found {found}")
    if problems:
        raise WeightTransferError(f"weights do not fit {target}:\n  " + "\n  ".join(problems))


def keras_weight_shapes(model):
    """{layer: [shape, ...]} for each Keras layer that has weights."""
    return {layer.name: [tuple(w.shape) for w in layer.weights] for layer in model.layers if layer.weights}


def keras_weights(model):
    """{layer: [array, ...]} for each Keras layer that has weights (kernel, bias order)."""
    return {layer.name: layer.get_weights() for layer in model.layers if layer.weights}


def set_keras_weights(model, weights):
    """Loads `{layer: [arrays]}` into a Keras model after checking the whole mapping."""
    check_weights(keras_weight_shapes(model), weights, f"Keras model '{model.name}'")
    for name, arrays in weights.items():
        model.get_layer(name).set_weights(arrays)


def legacy_weight_shapes(endpoints):
    """{layer: [shape, ...]} of a TF1 graph's GraphEndpoints."""
    return {name: [tuple(v.shape.as_list()) for v in variables]
            for name, variables in endpoints.variables.items()}


def legacy_weights(session, endpoints):
    """{layer: [array, ...]} read from a TF1 session."""
    return session.run(endpoints.variables)


def set_legacy_weights(session, endpoints, weights):
    """Loads `{layer: [arrays]}` into a TF1 session's variables after checking the mapping."""
    check_weights(legacy_weight_shapes(endpoints), weights, "TF1 graph")
    # load() feeds the variable's initializer; outside its graph it would run eagerly.
    with session.graph.as_default():
        for name, arrays in weights.items():
            for variable, array in zip(endpoints.variables[name], arrays):
                variable.load(array, session)
