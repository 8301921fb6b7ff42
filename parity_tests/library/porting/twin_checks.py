"""Checks a RecognisedModel against a hand-written Keras twin: layer classes, order, names,
settings (each LayerSpec made a real Keras layer, its get_config() equal to the twin's) and
weight sources (the TF1 variable of each twin weight, with the twin weight's shape)."""

import importlib

import keras
import tensorflow as tf

from tf1_to_keras.porting import specs

# Graph-root variables: Keras' default names, in order (the twins say "linear", "c1", ...:
# names from the programs' Python dicts, which the graph does not hold).
DEFAULT_NAMED = {
    "softmax_regression": ["dense"],
    "core_convnet": ["conv2d", "conv2d_1", "max_pooling2d", "conv2d_2", "conv2d_3",
                     "max_pooling2d_1", "flatten", "dense", "dropout", "dense_1"],
}
ROOT_VARIABLES = {"softmax_regression": {"dense": ["Variable", "Variable_1"]},
                  "core_convnet": {"conv2d": ["W1", "B1"], "conv2d_3": ["W4", "B4"],
                                   "dense": ["W5", "B5"], "dense_1": ["W6", "B6"]}}
IGNORED_CONFIG = ("name",)


def keras_object(value):
    """A KerasObject as the object it describes; other values unchanged."""
    if isinstance(value, specs.KerasObject):
        module_path, _, class_name = value.path.rpartition(".")
        return getattr(importlib.import_module(module_path), class_name)(**value.kwargs)
    return value


def keras_layer(layer):
    """The Keras layer a LayerSpec describes."""
    config = {key: keras_object(value) for key, value in layer.config.items()}
    return getattr(keras.layers, layer.keras_class)(name=layer.name, **config)


def comparable(config):
    return {key: value for key, value in config.items() if key not in IGNORED_CONFIG}


def twin_layers(key):
    return importlib.import_module(f"modern_keras.models.{key}").build_model().layers


def assert_matches_twin(key, model):
    """Same classes, order, settings (get_config) and names as the hand twin (see DEFAULT_NAMED)."""
    twins = twin_layers(key)
    assert [layer.keras_class for layer in model.layers] == [type(t).__name__ for t in twins]
    expected_names = DEFAULT_NAMED.get(key, [twin.name for twin in twins])
    assert [layer.name for layer in model.layers] == expected_names
    for layer, twin in zip(model.layers, twins):
        assert comparable(keras_layer(layer).get_config()) == comparable(twin.get_config()), layer.name
    assert model.unrecognised_ops == []


def assert_weights_sourced(key, model, graph):
    """Every twin weight has a source variable of the twin weight's shape, from the layer's scope."""
    shapes = {variable.op.name: tuple(variable.shape.as_list())
              for variable in graph.get_collection(tf.compat.v1.GraphKeys.GLOBAL_VARIABLES)}
    for layer, twin in zip(model.layers, twin_layers(key)):
        sources = {source.keras_weight: source for source in layer.weights}
        assert sorted(sources) == sorted(weight.name for weight in twin.weights), layer.name
        for weight in twin.weights:
            assert shapes[sources[weight.name].tf1_variable] == tuple(weight.shape), layer.name
        expected = ROOT_VARIABLES.get(key, {}).get(layer.name)
        if expected is not None:
            assert [source.tf1_variable for source in layer.weights] == expected
        elif key not in ROOT_VARIABLES:
            assert all(source.tf1_variable.startswith(layer.name + "/") for source in layer.weights)
