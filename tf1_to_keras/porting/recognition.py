"""Recognises the Keras layers of a captured TF1 model: `recognise(graph, captured)`.

Finds the model's ends (model_finding), then walks from the output back to the inputs,
asking the constructs' patterns (tf1_to_keras/porting/constructs/, highest declared priority
first) which layer produces the current tensor. An op no matcher explains is listed in `unrecognised_ops` and
the walk goes on from its input on the model path; so is every op on the input->output path
that no layer accounts for: never silently dropped. Layer names come from TF1 scopes, made unique and valid in a last pass.
"""

import re

import numpy as np
import tensorflow as tf

from tf1_to_keras.porting import constructs, layer_naming, model_finding, recognition_context, specs
from tf1_to_keras.porting.graph_ops import TRANSPARENT
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]*$")
_DEFAULT_NAMES = {"Conv2D": "conv2d", "MaxPooling2D": "max_pooling2d", "ReLU": "re_lu",
                  "AveragePooling2D": "average_pooling2d", "BatchNormalization": "batch_normalization",
                  "SimpleRNN": "simple_rnn", "Cropping1D": "cropping1d",
                  "GlobalAveragePooling1D": "global_average_pooling1d"}
_ACTIVATION_CLASSES = ("ReLU", "LeakyReLU", "Activation", "Softmax", "ELU", "PReLU")


def matchers():
    """The layer matchers, in the order they are tried: the constructs' declared priorities."""
    return list(constructs.patterns())


def recognise(graph, captured=None, feeds=None):
    """The RecognisedModel of `graph` (imported from `captured.meta_graph`, or a TF1Model's).

    `captured` (a CapturedProgram) gives the training run's feeds and fetches; without it,
    `feeds` ({tensor name: value}) stands for the training feeds (dropout's keep_prob).
    """
    feeds = dict(captured.feeds) if captured is not None else dict(feeds or {})
    fetches = list(captured.fetches) if captured is not None else []
    ends = model_finding.find_model(graph, fetches, feeds, getattr(captured, "training_op", None))
    context = make_context(graph, ends, feeds)
    layers, sources, unrecognised = walk(ends.output, context, matchers())
    unrecognised += _unaccounted(context, layers, unrecognised)
    fed = captured.fed() if captured is not None and None in (t.shape.rank for t in ends.inputs) else {}
    inputs = [input_spec(tensor, index, len(ends.inputs), fed) for index, tensor in enumerate(ends.inputs)]
    layer_naming.qualify_shared_names(layers)  # slim's unit scopes: block1_unit_1_..._conv1
    name_layers(layers, reserved={spec.name for spec in inputs})
    connect(layers, sources, inputs)
    return specs.RecognisedModel(
        inputs=inputs, output=ends.output.name, layers=layers, unrecognised_ops=unrecognised,
        labels=ends.labels.name if ends.labels is not None else "",
        loss=ends.loss.name if ends.loss is not None else "")


def make_context(graph, ends, feeds):
    """The RecognitionContext of a graph whose model ends are known."""
    with graph.as_default():
        variables = tf.compat.v1.global_variables()
    shapes = {variable.op.name: tuple(variable.shape.as_list()) for variable in variables}
    context = recognition_context.RecognitionContext(
        graph=graph, feeds=feeds, input_tensors={tensor.name for tensor in ends.inputs},
        variable_shapes=shapes)
    context.path_ops = _path_ops(ends.output, ends.inputs)
    return context


def _path_ops(output, inputs):
    """Names of the ops that depend on an input and that the output depends on."""
    ancestors = model_finding.ancestors([output.op])
    descendants, pending = set(), [consumer for tensor in inputs for consumer in tensor.consumers()]
    while pending:
        op = pending.pop()
        if op.name in ancestors and op.name not in descendants:
            descendants.add(op.name)
            pending.extend(consumer for tensor in op.outputs for consumer in tensor.consumers())
    return descendants


class _Walk:
    """The walk from the output back to the inputs: the layer (or input) behind each tensor."""

    def __init__(self, context, layer_matchers):
        self.context, self.matchers = context, layer_matchers
        self.layers, self.unrecognised, self.sources, self.done = [], [], {}, {}

    def visit(self, tensor):
        """The source of `tensor`: an input tensor's name, a LayerSpec, or None (no input)."""
        if tensor.name in self.context.input_tensors:
            return tensor.name
        if tensor.name not in self.done:
            found = _first_match(tensor, self.context, self.matchers)
            if found is None:
                self.done[tensor.name] = None  # in progress: a while loop's NextIteration leads back here
                self.done[tensor.name] = self._skip(tensor)
            else:
                chain, feeding = found
                feeding = list(feeding) if isinstance(feeding, (list, tuple)) else [feeding]
                sources = [self.visit(each) for each in feeding]
                for layer in chain:  # several layers for one TF1 construct: a chain, the first fed
                    self.sources[id(layer)], sources = sources, [layer]
                    self.layers.append(layer)  # after its inputs: execution order
                self.done[tensor.name] = chain[-1]
        return self.done[tensor.name]

    def _skip(self, tensor):
        """An op no matcher explains: listed (unless it only passes a value on), and the walk
        goes on through its inputs on the model path; the first one's source stands for it."""
        if tensor.op.type not in TRANSPARENT and (tensor.op.type, tensor.op.name) not in self.unrecognised:
            self.unrecognised.append((tensor.op.type, tensor.op.name))
        sources = [self.visit(each) for each in tensor.op.inputs if self.context.on_path(each)]
        return next((source for source in sources if source is not None), None)


def walk(output, context, layer_matchers):
    """(layers in execution order, {id(layer): its sources}, [(type, name)] of unexplained ops)."""
    state = _Walk(context, layer_matchers)
    state.visit(output)
    return state.layers, state.sources, state.unrecognised


def _first_match(tensor, context, layer_matchers):
    """([LayerSpec], its input tensor(s)) from the first matcher that knows `tensor`, else None.
    A matcher answers one LayerSpec, or a list of them: a chain Keras needs for one TF1 construct."""
    for match in layer_matchers:
        found = match(tensor, context)
        if found is not None:
            layer, feeding = found
            chain = list(layer) if isinstance(layer, (list, tuple)) else [layer]
            claimed = {name for layer in chain[1:] for name in layer.tf1_ops}  # a chain's later layers' own
            chain[0].tf1_ops = sorted(set(chain[0].tf1_ops) | (context.ops_between(tensor, feeding) - claimed))
            return chain, feeding
    return None


def connect(layers, sources, inputs):
    """Fills each layer's `inputs` (layer or input names) unless the layers form a chain from
    the one input, where `inputs` stay empty ("the previous layer", Sequential code)."""
    previous, chain = (inputs[0].tf1_tensor if len(inputs) == 1 else None), len(inputs) == 1
    for layer in layers:
        source = sources[id(layer)]
        chain = chain and len(source) == 1 and (
            source[0] is previous or isinstance(previous, str) and source[0] == previous)
        previous = layer
    if chain:
        return
    names = {spec.tf1_tensor: spec.name for spec in inputs}
    for layer in layers:
        layer.inputs = [source.name if isinstance(source, specs.LayerSpec) else names[source]
                        for source in sources[id(layer)] if source is not None]


def _unaccounted(context, layers, unrecognised):
    """(type, name) of path ops neither a layer nor the walk accounted for."""
    known = {name for layer in layers for name in layer.tf1_ops} | {name for _, name in unrecognised}
    return [(op.type, op.name) for op in context.graph.get_operations()
            if op.name in context.path_ops and op.name not in known
            and op.type not in TRANSPARENT and op.type not in model_finding.INPUT_TYPES]


def default_name(keras_class):
    """Keras' own name for an unnamed layer of `keras_class` ("dense", "max_pooling2d")."""
    return _DEFAULT_NAMES.get(keras_class, re.sub(r"(?<!^)(?=[A-Z])", "_", keras_class).lower())


def name_layers(layers, reserved=()):
    """Unique, valid Keras names: layers with weights claim their TF1 scope first, then the
    others in order; a name taken (or `reserved`: the inputs'), empty or invalid becomes
    for an activation the TF1 op's name in its scope, "/" written "_" (slim's `conv1/Relu`, its
    Conv2D being "conv1": "conv1_Relu"), else Keras' default (uniquified: "flatten")."""
    used = set(reserved)
    for claimants in ([layer for layer in layers if layer.weights],
                      [layer for layer in layers if not layer.weights]):
        for layer in claimants:
            scoped = layer.name and layer.keras_class in _ACTIVATION_CLASSES
            candidates = [layer.name, _scoped_op_name(layer) if scoped else ""]
            wanted = next((name for name in candidates if _NAME.match(name or "") and name not in used), "")
            layer.name = wanted or _unique(default_name(layer.keras_class), used)
            used.add(layer.name)


def _scoped_op_name(layer):
    """"conv1_Relu" for a layer whose TF1 output is `LeNet/conv1/Relu:0`: the op's name in its
    scope, as Keras accepts it (no "/")."""
    parts = (layer.tf1_output or "").rpartition(":")[0].split("/")
    return "_".join(parts[-2:]) if len(parts) >= 2 else ""


def _unique(name, used):
    if name not in used:
        return name
    number = 1
    while f"{name}_{number}" in used:
        number += 1
    return f"{name}_{number}"


def input_spec(tensor, index, count, fed=None):
    """The InputSpec of the `index`th of `count` model inputs; a placeholder's own name when
    the program gave it one, else "inputs" ("inputs_1", ... for several). A placeholder without
    a shape takes the shape of what the training run fed it (`fed`), a number being one example."""
    name = tensor.op.name
    if re.match(r"^(Placeholder|IteratorGetNext)(_\d+)?$", name) or not _NAME.match(name):
        name = "inputs" if count == 1 else f"inputs_{index}"
    if tensor.shape.rank is None and tensor.name in (fed or {}):
        shape = tuple(np.shape(fed[tensor.name])[1:])
    elif tensor.shape.rank is None:
        raise ValueError(f"the model input {tensor.name} has no shape and the training run fed it "
                         "nothing to take one from; give the placeholder a shape")
    else:
        shape = tuple(tensor.shape.as_list()[1:])
    return specs.InputSpec(name=name, tf1_tensor=tensor.name, shape=shape, dtype=tensor.dtype.name)


def load_graph(captured):
    """A new tf.Graph holding the captured meta graph (import_meta_graph, devices cleared)."""
    graph = tf.Graph()
    with graph.as_default():
        tf.compat.v1.train.import_meta_graph(captured.meta_graph, clear_devices=True)
    return graph


def recognise_captured(captured):
    """recognise() on the graph of a CapturedProgram."""
    return recognise(load_graph(captured), captured)
