"""Code generation and weight conversion from hand-built RecognisedModels (no TF1 graph).

The generated model.py must compile, build without TF1, name every layer, hold no Lambda,
keep to 100 columns, and for the kit's five programs build the hand-written twin: the same
layer classes, names, order and get_config settings (seeds and dtypes aside). A layer
class Keras lacks, or a setting code cannot spell, is refused. Weight conversion goes
through a harness NameMap built from the specs, so a weight the specs leave out is an
error, and a written weight that differs is found.
"""

import importlib

import numpy as np
import pytest

from tf1_to_keras import harness
from tf1_to_keras.porting import codegen, specs, weights

from . import hand_recognised


def build(source):
    """build_model() of a generated source, executed in a namespace of its own."""
    namespace = {}
    exec(compile(source, "model.py", "exec"), namespace)  # noqa: S102 (the code under test)
    return namespace["build_model"]()


@pytest.mark.parametrize("key", list(hand_recognised.FIVE))
def test_generated_model_is_the_hand_written_twin(key):
    source = codegen.model_source(hand_recognised.FIVE[key](), f"legacy_tf1/models/{key}.py")
    model = build(source)
    twin = importlib.import_module(f"modern_keras.models.{key}").build_model()
    assert hand_recognised.twin_layer_configs(model) == hand_recognised.twin_layer_configs(twin)
    assert model.name == key
    assert "Lambda" not in source and "import keras\n" in source
    assert max(len(line) for line in source.splitlines()) <= 100
    assert f"tf1-to-keras port legacy_tf1/models/{key}.py" in source


def test_shared_initializers_become_small_functions_like_the_twins():
    source = codegen.model_source(hand_recognised.deep_cnn(), "mnist_deep.py")
    assert "def kernel_initializer():\n" in source
    assert "return keras.initializers.TruncatedNormal(stddev=0.1)" in source
    assert source.count("kernel_initializer=kernel_initializer()") == 4
    assert "keras.layers.Conv2D(\n            32, 5, padding=\"same\"" in source
    assert "# rate 0.5: 1 - keep_prob's training feed 0.5\n        keras.layers.Dropout(0.5" in source


def _branching_model():
    """x -> a, x -> b, concat(a, b) -> logits: not a chain."""
    layer = specs.LayerSpec
    return specs.RecognisedModel(
        [specs.InputSpec("features", "features:0", (8,))], "logits/BiasAdd:0", [
            layer("a", "Dense", {"units": 4, "activation": "relu"}, inputs=["features"]),
            layer("b", "Dense", {"units": 3}, inputs=["features"]),
            layer("merge", "Concatenate", {"axis": -1}, inputs=["a", "b"]),
            layer("logits", "Dense", {"units": 2}),
        ])


def test_a_graph_that_is_not_a_chain_is_written_functional():
    recognised = _branching_model()
    assert not recognised.is_chain
    source = codegen.model_source(recognised, "branches.py")
    assert "keras.Sequential" not in source
    assert "merge = keras.layers.Concatenate(axis=-1, name=\"merge\")([a, b])" in source
    model = build(source)
    assert [layer.name for layer in model.layers] == ["features", "a", "b", "merge", "logits"]
    assert model.get_layer("merge").output.shape == (None, 7)
    assert model.output.shape == (None, 2)


@pytest.mark.parametrize("keras_class", ["Lambda", "NoSuchLayer", "Sequential", "InputLayer"])
def test_a_class_keras_layers_lacks_or_a_lambda_is_refused(keras_class):
    recognised = hand_recognised.softmax_regression()
    recognised.layers[0].keras_class = keras_class
    with pytest.raises(ValueError, match=f"layer 'linear': keras_class '{keras_class}'"):
        codegen.model_source(recognised, "mnist_softmax.py")


@pytest.mark.parametrize("change, message", [
    (lambda layer: layer.config.update(activation=np.tanh), "expected a Python literal"),
    (lambda layer: layer.config.update(name="other"), "settings \\['name'\\]"),
    (lambda layer: layer.config.update(kernel_initializer=specs.KerasObject("os.system")),
     "expected a dotted name under keras"),
    (lambda layer: layer.config.update(units=float("nan")), "finite numbers only"),
    (lambda layer: layer.inputs.append("missing"), "name no earlier layer"),
])
def test_a_setting_code_cannot_spell_is_refused(change, message):
    recognised = hand_recognised.softmax_regression()
    change(recognised.layers[0])
    with pytest.raises(ValueError, match=message):
        codegen.model_source(recognised, "mnist_softmax.py")


def test_settings_are_written_exactly_and_long_calls_wrapped():
    recognised = hand_recognised.softmax_regression()
    recognised.layers[0].name = "a_rather_long_layer_name_that_a_tf1_scope_could_well_have_given_it"
    recognised.layers[0].config["bias_initializer"] = specs.KerasObject(
        "keras.initializers.Constant", {"value": 0.8999999761581421})
    recognised.layers[0].notes = ["a note long enough to wrap: " + "word " * 30]
    source = codegen.model_source(recognised, "mnist_softmax.py")
    assert "keras.initializers.Constant(value=0.8999999761581421)" in source
    assert max(len(line) for line in source.splitlines()) <= 100
    assert build(source).layers[0].bias_initializer.value == 0.8999999761581421


# --- weights --------------------------------------------------------------------------------------

def _values(recognised, model, seed=0):
    """Random TF1 variable values of the shapes the specs' Keras weights have."""
    random = np.random.default_rng(seed)
    keras_side = harness.KerasModel(model)
    shapes = {}
    for layer in recognised.layers:
        for source in layer.weights:
            path = weights.weight_path(keras_side.weight_layers(), layer.name, source.keras_weight)
            shapes[source.tf1_variable] = keras_side.weights()[path].shape
    return keras_side, {name: random.standard_normal(shape).astype(np.float32) for name, shape in shapes.items()}


def test_weights_go_where_the_specs_say():
    recognised = hand_recognised.lenet5()
    keras_side, values = _values(recognised, build(codegen.model_source(recognised, "lenet5.py")))
    mapping = weights.assign(recognised, keras_side, values, skipped=[("global_step", ())])
    loaded = keras_side.weights()
    assert all(np.array_equal(loaded[name], value) for name, value in values.items())  # same paths
    assert list(mapping.skipped) == [("global_step", ())]
    assert weights.differences(mapping, values, loaded) == []
    loaded["dense_1/bias"][3] += 1e-3
    assert weights.differences(mapping, values, loaded) == [
        "weights: dense_1/bias as written differs from TF1 dense_1/bias (max |diff| 0.001)"]


def test_a_weight_the_specs_leave_out_is_an_error_not_a_guess():
    recognised = hand_recognised.deep_cnn()
    keras_side, values = _values(recognised, build(codegen.model_source(recognised, "mnist_deep.py")))
    recognised.layers[-1].weights.pop()  # fc2's bias: the harness could match it by shape
    with pytest.raises(harness.NameMapError, match="fc2/Variable_1 -> fc2/bias"):
        weights.resolve(recognised, keras_side, values)
    del values["fc2/Variable_1"]
    with pytest.raises(harness.NameMapError, match="fc2/bias"):
        weights.resolve(recognised, keras_side, values)


def test_a_transform_in_the_specs_reaches_the_keras_weight():
    recognised = hand_recognised.softmax_regression()
    recognised.layers[0].weights[0].transform = harness.transpose([1, 0])
    keras_side = harness.KerasModel(build(codegen.model_source(recognised, "mnist_softmax.py")))
    values = {"Variable": np.arange(7840, dtype=np.float32).reshape(10, 784),
              "Variable_1": np.ones(10, np.float32)}
    weights.assign(recognised, keras_side, values)
    assert np.array_equal(keras_side.weights()["linear/kernel"], values["Variable"].T)
    with pytest.raises(ValueError, match="layer 'linear': 0 weights named 'gamma'"):
        recognised.layers[0].weights[1].keras_weight = "gamma"
        weights.name_map(recognised, keras_side.weight_layers())



def test_notes_and_commands_cannot_break_out_of_the_docstring():
    recognised = hand_recognised.softmax_regression()
    recognised.notes = ['a note with """ quotes and a \\ backslash']
    command = "tf1-to-keras port mnist_softmax.py -- " + " ".join(f"--flag_{index} value" for index in range(12))
    source = codegen.model_source(recognised, "mnist_softmax.py", command)
    namespace = {}
    exec(compile(source, "model.py", "exec"), namespace)  # noqa: S102 (the code under test)
    assert 'a note with """ quotes and a \\ backslash' in namespace["__doc__"]
    assert " ".join(namespace["__doc__"].replace("\\\n", " ").split()).count("--flag_11 value") == 1
    assert max(len(line) for line in source.splitlines()) <= 100


def _deep_residual_model(units=14):
    """A stem and `units` residual units with slim-length names: 3 layers a unit, an Add each."""
    layer, previous = specs.LayerSpec, "stem"
    layers = [layer("stem", "Dense", {"units": 4}, inputs=["features"])]
    for index in range(1, units + 1):
        unit = f"block{index // 4 + 1}_unit_{index}_bottleneck_v1"
        layers += [layer(f"{unit}_conv1", "Dense", {"units": 4}, inputs=[previous]),
                   layer(f"{unit}_conv1_BatchNorm", "BatchNormalization", {}, inputs=[f"{unit}_conv1"]),
                   layer(f"{unit}_add", "Add", {}, inputs=[previous, f"{unit}_conv1_BatchNorm"])]
        previous = f"{unit}_add"
    merged = [f"block{index // 4 + 1}_unit_{index}_bottleneck_v1_add" for index in range(max(1, units - 3), units + 1)]
    layers.append(layer("Mixed_concatenation_of_the_last_four_units", "Concatenate", {}, inputs=merged))
    return specs.RecognisedModel([specs.InputSpec("features", "features:0", (4,))], "concat:0", layers)


def test_a_deep_port_reads_as_written_by_hand():
    recognised = _deep_residual_model()
    source = codegen.model_source(recognised, "resnet_like.py")
    assert max(len(line) for line in source.splitlines()) <= 100  # the Adds and the Concatenate too
    docstring = " ".join(source.split('"""')[1].split())
    assert "44 layers, stem to Mixed_concatenation_of_the_last_four_units; port.json's `layers`" in docstring
    assert "block2_unit_5_bottleneck_v1_conv1," not in docstring  # no 44-name paragraph
    assert ('block4_unit_14_bottleneck_v1_add = keras.layers.Add(name="block4_unit_14_bottleneck_v1_add")(\n'
            "        [block4_unit_13_bottleneck_v1_add, block4_unit_14_bottleneck_v1_conv1_BatchNorm])"
            in source)
    assert "        [block3_unit_11_bottleneck_v1_add,\n         block4_unit_12_bottleneck_v1_add," in source
    model = build(source)
    assert len(model.layers) == 45 and model.output.shape[-1] == 16
    small = codegen.model_source(_deep_residual_model(units=2), "resnet_like.py")
    assert "in the TF1 order: stem,\nblock1_unit_1_bottleneck_v1_conv1," in small  # short lists stay
