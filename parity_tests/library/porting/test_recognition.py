"""recognition.recognise on the kit's five TF1 graphs, held to the hand-written Keras twins.

The graphs are built in-process by each program's `build_graph` (the programs' own model
code; test_capture.py recognises the graphs captured from the running programs). Each
recognised layer becomes a real Keras layer whose `get_config()` must equal the twin's,
name aside where the TF1 graph holds no scope to take it from (softmax_regression's and
core_convnet's variables sit at the graph root; their twins' names come from Python dicts).
"""

import contextlib
import importlib

import numpy as np
import pytest
import tensorflow as tf

import legacy_tf1.compat as tf1
from tf1_to_keras.porting import recognition, specs

from .twin_checks import assert_matches_twin, assert_weights_sourced

KIT_MODELS = ["softmax_regression", "deep_cnn", "core_convnet", "layers_cnn", "lenet5"]


def recognise_kit_graph(key, feeds=None):
    """The RecognisedModel of a kit program's build_graph, with its training feeds."""
    module = importlib.import_module(f"legacy_tf1.models.{key}")
    graph = tf.Graph()
    with graph.as_default():
        endpoints = module.build_graph(seed=0)
        training_feeds = {tensor.name: value for tensor, value in endpoints.training_feed.items()}
    return recognition.recognise(graph, feeds=training_feeds if feeds is None else feeds), graph


@pytest.mark.parametrize("key", KIT_MODELS)
def test_kit_graph_recognised_as_its_twin(key):
    model, graph = recognise_kit_graph(key)
    assert_matches_twin(key, model)
    assert_weights_sourced(key, model, graph)
    assert model.is_chain and len(model.inputs) == 1 and model.labels and model.loss


def test_deep_cnn_dropout_rate_is_one_minus_the_keep_prob_feed():
    model, _ = recognise_kit_graph("deep_cnn")
    dropout = next(layer for layer in model.layers if layer.keras_class == "Dropout")
    assert dropout.config == {"rate": 0.5} and "keep_prob" in dropout.notes[0]
    assert model.output == "fc2/add:0" and model.inputs[0].shape == (784,)


def test_unfed_keep_prob_leaves_the_rate_unknown_and_says_so():
    model, _ = recognise_kit_graph("deep_cnn", feeds={})
    dropout = next(layer for layer in model.layers if layer.keras_class == "Dropout")
    assert dropout.config["rate"] is None and "rate unknown" in dropout.notes[0]


def _graph_with_cumsum():
    graph = tf.Graph()
    with graph.as_default():
        images = tf1.placeholder(tf1.float32, [None, 8], name="images")
        labels = tf1.placeholder(tf1.int64, [None], name="labels")
        hidden = tf1.layers.dense(images, 4, activation=tf1.nn.relu)
        logits = tf1.layers.dense(tf1.cumsum(hidden, axis=1), 3)
        tf1.losses.sparse_softmax_cross_entropy(labels, logits)
    return graph


def test_an_op_no_layer_explains_is_listed_not_dropped():
    model = recognition.recognise(_graph_with_cumsum())
    assert model.unrecognised_ops == [("Cumsum", "Cumsum")]
    assert [(layer.name, layer.keras_class) for layer in model.layers] == [
        ("dense", "Dense"), ("dense_1", "Dense")]
    assert model.inputs[0].name == "images" and model.labels == "labels:0"


def test_a_transposed_matmul_kernel_is_sourced_through_a_transpose():
    graph = tf.Graph()
    with graph.as_default():
        images = tf1.placeholder(tf1.float32, [None, 6], name="images")
        with tf1.variable_scope("tied"):
            weights = tf1.get_variable("weights", [3, 6])  # [units, inputs], as tied decoders did
        logits = tf1.matmul(images, weights, transpose_b=True)
        tf1.nn.softmax(logits)
    model = recognition.recognise(graph)
    (dense,) = model.layers
    assert (dense.name, dense.config, model.output) == ("tied", {"units": 3, "use_bias": False},
                                                        "MatMul:0")
    (kernel,) = dense.weights
    assert kernel.tf1_variable == "tied/weights" and kernel.transform is not None
    assert kernel.transform(np.arange(18).reshape(3, 6)).shape == (6, 3)


def _scope(name):
    return tf1.name_scope(name) if name else contextlib.nullcontext()


def _root_variables_graph(layer_scopes, outer=None):
    """Two Dense layers over variables at the graph root (W1/B1, W2/B2, as raw tf.nn programs
    make them), each layer's ops under its name scope in `layer_scopes` (None: none), all
    inside the name scope `outer` when given."""
    graph = tf.Graph()
    with graph.as_default():
        images = tf1.placeholder(tf1.float32, [None, 6], name="images")
        variables = [(tf1.get_variable(f"W{index}", shape), tf1.get_variable(f"B{index}", shape[-1:]))
                     for index, shape in ((1, (6, 4)), (2, (4, 3)))]
        tensor = images
        with _scope(outer):
            for (kernel, bias), scope in zip(variables, layer_scopes):
                with _scope(scope):
                    tensor = tf1.matmul(tensor, kernel) + bias
        tf1.nn.softmax(tensor)
    return graph


@pytest.mark.parametrize("layer_scopes, outer, names", [
    (("fc1", "fc2"), None, ["fc1", "fc2"]),
    (("fc1", "fc2"), "model", ["fc1", "fc2"]),
    ((None, None), None, ["dense", "dense_1"]),
    ((None, None), "model", ["dense", "dense_1"]),  # one scope over both layers names neither
], ids=["op-scopes", "op-scopes-in-an-outer-scope", "no-scope", "one-outer-scope"])
def test_root_variables_take_their_kernel_ops_scope_as_layer_name(layer_scopes, outer, names):
    model = recognition.recognise(_root_variables_graph(layer_scopes, outer))
    assert [layer.name for layer in model.layers] == names
    assert [[source.tf1_variable for source in layer.weights] for layer in model.layers] == [
        ["W1", "B1"], ["W2", "B2"]]
    # get_variable's default initializer is Glorot uniform, for a bias too (fans: its length).
    assert model.layers[0].config["bias_initializer"] == specs.KerasObject("keras.initializers.GlorotUniform")


def _regression_graph(batch_norm):
    """x -> dense -> batch norm (on 2-D inputs) -> relu -> dense, mean squared error."""
    graph = tf.Graph()
    with graph.as_default():
        images = tf1.placeholder(tf1.float32, [None, 8], name="x")
        targets = tf1.placeholder(tf1.float32, [None, 1], name="y")
        hidden = batch_norm(tf1.layers.dense(images, 4, name="fc1"))
        output = tf1.layers.dense(tf1.nn.relu(hidden), 1, name="out")
        tf1.losses.mean_squared_error(targets, output)
    return graph


@pytest.mark.parametrize("form, batch_norm, config, keras_class", [
    ("arithmetic", lambda x: tf1.layers.batch_normalization(x, momentum=0.9, training=True,
                                                            name="bn"),
     {"epsilon": 0.001, "momentum": 0.9}, "BatchNormalization"),  # unfused: Keras' update
    ("reshaped-fused", lambda x: tf1.contrib.layers.batch_norm(x, is_training=True, scope="bn"),
     {"epsilon": 0.001, "momentum": 0.999, "scale": False}, "BatchNormalizationTF1"),  # n / (n - 1)
], ids=["layers-arithmetic", "contrib-reshaped-fused"])
def test_batch_norm_of_2d_inputs_and_a_squared_error_loss(form, batch_norm, config, keras_class):
    model = recognition.recognise(_regression_graph(batch_norm))
    assert [(layer.name, layer.keras_class) for layer in model.layers] == [
        ("fc1", "Dense"), ("bn", keras_class), ("re_lu", "ReLU"), ("out", "Dense")]
    assert model.layers[1].config == config, form
    assert [source.tf1_variable for source in model.layers[1].weights][-2:] == [
        "bn/moving_mean", "bn/moving_variance"]
    assert (model.output, model.labels) == ("out/BiasAdd:0", "y:0")
    assert model.unrecognised_ops == []


def _branching_graph():
    """Two inputs concatenated, a residual connection: a functional model."""
    graph = tf.Graph()
    with graph.as_default():
        left = tf1.placeholder(tf1.float32, [None, 4], name="left")
        right = tf1.placeholder(tf1.float32, [None, 4], name="right")
        joined = tf1.concat([left, right], axis=1, name="joined")
        block = tf1.layers.dense(joined, 8, activation=tf1.nn.relu, name="block")
        residual = tf1.add(block, tf1.layers.dense(block, 8, name="inner"), name="residual")
        logits = tf1.layers.dense(tf1.nn.relu(residual), 3, name="logits")
        tf1.losses.sparse_softmax_cross_entropy(tf1.placeholder(tf1.int64, [None]), logits)
    return graph


def test_branches_and_several_inputs_give_each_layer_its_inputs():
    model = recognition.recognise(_branching_graph())
    assert [spec.name for spec in model.inputs] == ["left", "right"] and not model.is_chain
    assert [(layer.name, layer.keras_class, layer.inputs) for layer in model.layers] == [
        ("joined", "Concatenate", ["left", "right"]), ("block", "Dense", ["joined"]),
        ("inner", "Dense", ["block"]), ("residual", "Add", ["block", "inner"]),
        ("re_lu", "ReLU", ["residual"]), ("logits", "Dense", ["re_lu"])]
    assert model.unrecognised_ops == []


def test_a_graph_without_loss_or_prediction_is_rejected():
    graph = tf.Graph()
    with graph.as_default():
        tf.identity(tf.compat.v1.placeholder(tf.float32, [None, 3]))
    with pytest.raises(ValueError, match="no loss"):
        recognition.recognise(graph)


def test_a_while_loop_no_layer_explains_is_listed_and_the_walk_ends():
    # The loop's Merge reads its NextIteration, which leads back to the Merge: the walk
    # back from the output must not follow that cycle forever (it once hit RecursionError).
    # TF1's own loop ops, as programs under the runner build them (v2 builds one While op).
    graph = tf.Graph()
    tf.compat.v1.disable_control_flow_v2()
    try:
        _build_loop_graph(graph)
    finally:
        tf.compat.v1.enable_control_flow_v2()
    model = recognition.recognise(graph)
    assert {"Exit", "Merge", "NextIteration"} <= {op_type for op_type, _ in model.unrecognised_ops}
    assert [layer.name for layer in model.layers] == ["dense", "dense_1"]


def _build_loop_graph(graph):
    with graph.as_default():
        images = tf1.placeholder(tf1.float32, [None, 784], name="images")
        labels = tf1.placeholder(tf1.int64, [None], name="labels")
        hidden = tf1.layers.dense(images, 4)
        _, halved = tf1.while_loop(lambda i, h: i < 3, lambda i, h: (i + 1, h * 0.5), [0, hidden])
        logits = tf1.layers.dense(halved, 3)
        tf1.losses.sparse_softmax_cross_entropy(labels, logits)
