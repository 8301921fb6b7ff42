"""What a TF1 builder or checkpoint hands the harness, checked: its graph's named tensors
(`Endpoints`), and the checkpoint files.

`endpoints_from` reads a builder's return value: a tuple `(inputs, outputs)`, a dict
(for the optional parts too), an object with the same attributes, or the kit's
`legacy_tf1.endpoints.GraphEndpoints` (images -> inputs, logits -> outputs).
`resolve_endpoints` finds them by name in a restored meta graph;
`checkpoint_prefix` finds a Saver checkpoint (or an Estimator model_dir's latest).
Anything missing, unreadable or of the wrong kind raises ModelError naming the key or
file, what it was, and what was expected.
"""

import dataclasses
import os

import legacy_tf1.compat as tf
from legacy_tf1 import endpoints as kit_endpoints
from tf1_to_keras.harness import errors

KEYS = ("inputs", "outputs", "labels", "loss", "layers", "training_feed", "inference_feed", "variables")
EXPECTED = ("expected a tuple (inputs, outputs) of tf.Tensors, or a dict with 'inputs' and 'outputs' "
            "(and optionally 'labels', 'loss', 'layers', feeds)")


@dataclasses.dataclass
class Endpoints:
    """A TF1 model's named tensors; `variable_layers` is {variable name: layer}."""

    inputs: object
    outputs: object
    labels: object = None
    loss: object = None
    layers: dict = dataclasses.field(default_factory=dict)
    training_feed: dict = dataclasses.field(default_factory=dict)
    inference_feed: dict = dataclasses.field(default_factory=dict)
    variable_layers: dict = dataclasses.field(default_factory=dict)


def _as_dict(built, where):
    if isinstance(built, kit_endpoints.GraphEndpoints):
        return {"inputs": built.images, "outputs": built.logits, "labels": built.labels,
                "loss": built.loss, "layers": built.layers, "training_feed": built.training_feed,
                "inference_feed": built.inference_feed, "variables": built.variables}
    if isinstance(built, dict):
        unknown = sorted(set(built) - set(KEYS))
        if unknown:
            raise errors.ModelError(f"{where} returned unknown key(s) {unknown}; expected some of "
                                    f"{list(KEYS)}")
        return dict(built)
    if hasattr(built, "inputs") and hasattr(built, "outputs"):
        return {key: getattr(built, key) for key in KEYS if hasattr(built, key)}
    if isinstance(built, tuple):
        return _pair(built, where)
    raise errors.ModelError(f"{where} returned a {type(built).__name__}; {EXPECTED}")


def _pair(built, where):
    """`return x, logits`: the inputs (a placeholder, or {name: placeholder}) and the outputs."""
    kinds = ", ".join(type(item).__name__ for item in built)
    inputs_fit = len(built) == 2 and (isinstance(built[0], tf.Tensor) or (
        isinstance(built[0], dict) and all(isinstance(item, tf.Tensor) for item in built[0].values())))
    if not inputs_fit or not isinstance(built[1], tf.Tensor):
        raise errors.ModelError(f"{where} returned a tuple of {len(built)} ({kinds}); {EXPECTED}")
    return {"inputs": built[0], "outputs": built[1]}


def _tensor(value, graph, where, key, optional=False):
    if value is None and optional:
        return None
    if not isinstance(value, tf.Tensor):
        found = "missing" if value is None else type(value).__name__
        raise errors.ModelError(f"{where}: {key!r} is {found}; expected a tf.Tensor of the graph it built")
    if value.graph is not graph:
        raise errors.ModelError(f"{where}: {key!r} ({value.name}) belongs to another graph; build every "
                                "tensor inside build()")
    return value


def _tensors(values, graph, where, key):
    if not isinstance(values, dict):
        raise errors.ModelError(f"{where}: {key!r} is a {type(values).__name__}; expected a dict "
                                "{name: tensor}")
    return {name: _tensor(value, graph, where, f"{key}[{name!r}]") for name, value in values.items()}


def _feed(values, graph, where, key):
    if not isinstance(values, dict):
        raise errors.ModelError(f"{where}: {key!r} is a {type(values).__name__}; expected a dict "
                                "{tensor: value}")
    return {_tensor(tensor, graph, where, f"{key} key"): value for tensor, value in values.items()}


def endpoints_from(built, graph, where):
    """Endpoints from a builder's return value, each tensor checked."""
    parts = _as_dict(built, where)
    inputs = parts.get("inputs")
    inputs = (_tensors(inputs, graph, where, "inputs") if isinstance(inputs, dict)
              else _tensor(inputs, graph, where, "inputs"))
    loss = _tensor(parts.get("loss"), graph, where, "loss", optional=True)
    if loss is not None and loss.shape.ndims not in (None, 0):
        raise errors.ModelError(f"{where}: 'loss' ({loss.name}) has shape {loss.shape}; expected a scalar")
    variables = parts.get("variables") or {}
    return Endpoints(
        inputs, _tensor(parts.get("outputs"), graph, where, "outputs"),
        _tensor(parts.get("labels"), graph, where, "labels", optional=True), loss,
        _tensors(parts.get("layers") or {}, graph, where, "layers"),
        _feed(parts.get("training_feed") or {}, graph, where, "training_feed"),
        _feed(parts.get("inference_feed") or {}, graph, where, "inference_feed"),
        {variable.op.name: layer for layer, members in variables.items() for variable in members})


def _by_name(graph, name, where, key):
    if not isinstance(name, str):
        raise errors.ModelError(f"{where}: {key} {name!r}; expected a tensor name such as 'x:0'")
    name = name if ":" in name else name + ":0"
    try:
        return graph.get_tensor_by_name(name)
    except (KeyError, ValueError):
        placeholders = [op.name + ":0" for op in graph.get_operations() if op.type == "Placeholder"]
        raise errors.ModelError(f"{where}: {key} {name!r} is not a tensor of the meta graph "
                                f"(its placeholders: {placeholders[:10]})") from None


def resolve_endpoints(graph, where, inputs, outputs, labels=None, loss=None, layers=None,
                      training_feed=None, inference_feed=None):
    """Endpoints from tensor names ("x:0"; ":0" may be left out) in a restored graph."""
    def find(name, key):
        return None if name is None else _by_name(graph, name, where, key)

    return endpoints_from({
        "inputs": ({key: find(name, f"inputs[{key!r}]") for key, name in inputs.items()}
                   if isinstance(inputs, dict) else find(inputs, "inputs")),
        "outputs": find(outputs, "outputs"), "labels": find(labels, "labels"), "loss": find(loss, "loss"),
        "layers": {key: find(name, f"layers[{key!r}]") for key, name in (layers or {}).items()},
        "training_feed": {find(name, "training_feed key"): value
                          for name, value in (training_feed or {}).items()},
        "inference_feed": {find(name, "inference_feed key"): value
                           for name, value in (inference_feed or {}).items()},
    }, graph, where)


def restoring(where, step):
    """step(), its failure (an unreadable meta graph, a checkpoint that does not fit it) a ModelError."""
    try:
        return step()
    except Exception as error:  # TF raises several kinds here; each is a bad file, named
        raise errors.ModelError(f"{where}: cannot restore it: {type(error).__name__}: "
                                f"{str(error).splitlines()[0] if str(error) else ''}") from error


def checkpoint_prefix(checkpoint):
    """A Saver prefix, from a prefix or a directory (an Estimator model_dir: its latest)."""
    checkpoint = os.fspath(checkpoint)
    if os.path.isdir(checkpoint):
        latest = tf.train.latest_checkpoint(checkpoint)
        if latest is None:
            raise errors.ModelError(f"checkpoint directory {checkpoint}: no checkpoint in it")
        return latest
    if not os.path.isfile(checkpoint + ".index"):
        raise errors.ModelError(f"checkpoint {checkpoint}: no {checkpoint}.index; expected a Saver "
                                "checkpoint prefix (e.g. model.ckpt-1000) or an Estimator model_dir")
    return checkpoint


def same_in(endpoints, graph, where):
    """`endpoints` with each tensor replaced by the one of the same name in `graph` (a copy),
    found as resolve_endpoints finds a meta graph's."""
    def name(tensor):
        return None if tensor is None else tensor.name

    inputs = endpoints.inputs
    moved = resolve_endpoints(
        graph, where, {key: name(tensor) for key, tensor in inputs.items()} if isinstance(inputs, dict)
        else name(inputs), name(endpoints.outputs), name(endpoints.labels), name(endpoints.loss),
        {key: name(tensor) for key, tensor in endpoints.layers.items()},
        {name(tensor): value for tensor, value in endpoints.training_feed.items()},
        {name(tensor): value for tensor, value in endpoints.inference_feed.items()})
    moved.variable_layers = dict(endpoints.variable_layers)
    return moved
