"""A TF1 builder that returns `(inputs, outputs)`, and a forward failure localised without
taps (tf1_to_keras/harness/localisation.py): a 4-layer MLP whose port breaks in the middle
(hidden2's activation) is named at hidden2 through the name map's scope pairs; the user's
own taps are used when given; a passing pair names no layer; a subclassed port says that
localisation is not available; raw tf.Variables (no scopes) say what to give instead."""

import keras
import pytest

import harness_twins as twins
import legacy_tf1.compat as tf
from tf1_to_keras import harness
from tf1_to_keras.harness import localisation


@pytest.fixture(scope="module")
def deep_tf1():
    with harness.TF1Model.from_builder(twins.build_deep_mlp, seed=0) as model:
        yield model


@pytest.fixture(scope="module")
def x():
    return twins.classification_data()[0]


def test_a_tuple_builder_gives_the_inputs_and_outputs_and_a_port_passes(deep_tf1, x):
    assert deep_tf1.endpoints.inputs.name == "x:0" and deep_tf1.endpoints.outputs.name == "logits/add:0"
    assert deep_tf1.endpoints.layers == {} and deep_tf1.endpoints.loss is None
    result = harness.check_forward(deep_tf1, harness.KerasModel(twins.keras_deep_mlp, seed=0), x)
    assert result.passed and result.failures == []
    assert result.first_divergent_layer is None and result.layers == {} and result.localised_by is None
    assert result.to_json()["first_divergent_layer"] is None


def test_a_port_broken_in_the_middle_is_named_at_that_layer_not_the_last(deep_tf1, x):
    broken = harness.KerasModel(lambda: twins.keras_deep_mlp(hidden2_activation="relu"), seed=0)
    result = harness.check_forward(deep_tf1, broken, x)
    assert not result.passed and result.first_divergent_layer == "hidden2"
    assert result.localised_by == "name map"
    assert list(result.layers) == ["hidden1", "hidden2", "hidden3", "logits"]  # graph order
    assert result.layers["hidden1"].passed and not result.layers["logits"].passed
    assert result.failures[0].startswith("forward: layer 'hidden2' output (TF1 hidden2/Tanh:0): max abs diff")
    assert result.failures[1].startswith("forward: outputs: max abs diff")
    assert result.to_json()["first_divergent_layer"] == "hidden2"
    with pytest.raises(harness.ParityError, match="layer 'hidden2' output"):
        harness.assert_forward(deep_tf1, broken, x)


def test_a_scopes_output_is_its_last_op_on_the_path_to_the_outputs(deep_tf1):
    keras_side = harness.KerasModel(twins.keras_deep_mlp, seed=0)
    mapping = harness.NameMap().resolve(deep_tf1.variables(), keras_side.weights())
    found = {layer: tensor.name for layer, tensor in localisation.layer_outputs(deep_tf1, keras_side, mapping)}
    assert found == {"hidden1": "hidden1/Relu:0", "hidden2": "hidden2/Tanh:0", "hidden3": "hidden3/Relu:0",
                     "logits": "logits/add:0"}


def test_the_users_own_taps_are_used_when_given(x):
    broken = harness.KerasModel(lambda: twins.keras_deep_mlp(hidden2_activation="relu"), seed=0)
    with harness.TF1Model.from_builder(twins.deep_mlp_tapping("hidden3", "logits"), seed=0) as tf1:
        result = harness.check_forward(tf1, broken, x)
    assert result.localised_by == "taps" and list(result.layers) == ["hidden3", "logits"]
    assert result.first_divergent_layer == "hidden3"  # the first layer the user tapped
    assert result.failures[0].startswith("forward: layer 'hidden3' output: max abs diff")


def test_taps_that_all_match_before_the_outputs_part_say_after_which_layer(x):
    broken = harness.KerasModel(lambda: twins.keras_deep_mlp(hidden2_activation="relu"), seed=0)
    with harness.TF1Model.from_builder(twins.deep_mlp_tapping("hidden1"), seed=0) as tf1:
        result = harness.check_forward(tf1, broken, x)
    assert not result.passed and result.first_divergent_layer is None and result.localised_by == "taps"
    assert result.failures[-1] == "forward: every compared layer matched (hidden1); the outputs part after 'hidden1'"


def test_a_subclassed_port_says_localisation_is_not_available(deep_tf1, x):
    broken = harness.KerasModel(lambda: twins.keras_subclassed_deep_mlp(hidden2_activation="relu"), seed=0)
    result = harness.check_forward(deep_tf1, broken, x)
    assert not result.passed and result.first_divergent_layer is None and result.layers == {}
    assert result.failures[0].startswith("forward: outputs: max abs diff")
    assert result.failures[1].startswith("forward: localisation is not available: ")
    assert "subclassed" in result.failures[1] and "subclassed" in result.to_json()["localisation"]


def test_raw_variables_without_scopes_say_to_give_taps():
    def build():
        endpoints = twins.build_regression_mlp()
        return endpoints["inputs"], endpoints["outputs"]

    broken = harness.KerasModel(lambda: twins.keras_regression_mlp(hidden2_activation="tanh"), seed=0)
    with harness.TF1Model.from_builder(build, seed=0) as tf1:
        result = harness.check_forward(tf1, broken, twins.regression_data()[0])
    assert not result.passed and result.first_divergent_layer is None
    assert result.failures[-1] == f"forward: {localisation.UNAVAILABLE_UNPAIRED}"


@pytest.mark.filterwarnings("ignore:`tf.nn.rnn_cell.*is deprecated:UserWarning")  # TF 1.x's own notice
def test_layers_before_the_first_divergent_one_that_could_not_be_compared_are_named():
    # The LSTM's ops live in its loop: no output of scope rnn/basic_lstm_cell is found.
    def build():
        endpoints = twins.rnn_builder(tf.nn.rnn_cell.BasicLSTMCell)()
        return endpoints["inputs"], endpoints["outputs"]

    keras_side = harness.KerasModel(lambda: twins.keras_rnn(keras.layers.LSTM), seed=0)
    with harness.TF1Model.from_builder(build, seed=0) as tf1:
        result = harness.check_forward(tf1, keras_side, twins.sequence_data()[0], twins.naive_lstm_map())
    assert list(result.layers) == ["logits"] and result.first_divergent_layer == "logits"
    assert result.failures[-1].startswith("forward: layer(s) 'rnn' before 'logits' could not be compared")
    assert result.to_json()["localisation"].endswith("the two sides may part there already")
