"""Weight transfer between the two sides: a lookup by layer name.

Weights travel as `{layer_name: [kernel, bias]}` dicts of NumPy arrays. Every
transfer checks the whole mapping first and fails with a list of each missing,
extra or shape-mismatched entry, so nothing is half-copied.
"""


class WeightTransferError(ValueError):
    """The weights do not fit the model: lists each missing, extra and mismatched name."""


def _describe(shapes):
    return [tuple(shape) for shape in shapes]


def fit_problems(expected, found, noun, extra_note, counts_as_extra=None, other_mismatch=None):
    """Each missing, extra and shape-mismatched name, one line each, in that order and by name.

    expected, found: {name: shape description}; `noun` names one ("shape" for a variable,
    "shapes" for a layer). An extra name is listed unless `counts_as_extra(name)` is false;
    `other_mismatch(name)`, for a name whose shapes agree, may return one more line (or None).
    Serves both this module's layers and a checkpoint's variables (conversion.checkpoint_io).
    """
    problems = [f"missing {name}: expected {noun} {expected[name]}, found nothing"
                for name in sorted(set(expected) - set(found))]
    problems += [f"extra {name}: {noun} {found[name]} {extra_note}"
                 for name in sorted(set(found) - set(expected))
                 if counts_as_extra is None or counts_as_extra(name)]
    for name in sorted(set(expected) & set(found)):
        if expected[name] != found[name]:
            problems.append(f"shape mismatch {name}: expected {expected[name]}, found {found[name]}")
        elif other_mismatch is not None and (line := other_mismatch(name)):
            problems.append(line)
    return problems


def check_weights(expected_shapes, weights, target):
    """Raises WeightTransferError unless `weights` fits `expected_shapes` exactly.

    expected_shapes: {layer: [shape, ...]} of the receiving model, named `target`.
    """
    problems = fit_problems({name: _describe(shapes) for name, shapes in expected_shapes.items()},
                            {name: _describe(a.shape for a in arrays) for name, arrays in weights.items()},
                            "shapes", f"not in {target}")
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
