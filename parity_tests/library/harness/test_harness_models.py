"""The harness on models that are not the kit's five and not MNIST-shaped: an MLP of raw
tf.Variables (regression) and one of tf.layers (3 classes), a CNN with BatchNorm on 8x8x3
images, and LSTM/GRU cells under dynamic_rnn. Each port passes the four checks; each
deliberately broken port is caught, by a message naming the layer, the step or the variable.
"""

import keras
import numpy as np
import pytest

import harness_twins as twins
import legacy_tf1.compat as tf
from tf1_to_keras import harness

SPARSE_LOSS = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

# The cells' and tf.layers' deprecation notices are TF 1.x's own; not news here.
pytestmark = pytest.mark.filterwarnings("ignore:`tf.nn.rnn_cell.*is deprecated:UserWarning")


def tf1_adam(learning_rate):
    return lambda: tf.train.AdamOptimizer(learning_rate)


def keras_adam(learning_rate):
    return lambda: harness.keras_adam_like_tf1(learning_rate)


@pytest.fixture(scope="module")
def regression_tf1():
    with harness.TF1Model.from_builder(twins.build_regression_mlp, seed=0) as model:
        yield model


@pytest.fixture(scope="module")
def classifier_tf1():
    with harness.TF1Model.from_builder(twins.build_classifier, seed=0) as model:
        yield model


@pytest.fixture(scope="module")
def cnn_tf1():
    with harness.TF1Model.from_builder(twins.build_cnn, seed=0) as model:
        yield model


# --- MLP of raw tf.Variables, regression ----------------------------------------------------------

def test_raw_variable_mlp_passes_structure_forward_and_training_steps(regression_tf1):
    keras_side = harness.KerasModel(twins.keras_regression_mlp, seed=0)
    x, y = twins.regression_data()
    structure = harness.assert_structure(regression_tf1, keras_side)
    assert structure.params == {"tf1": 241, "keras": 241}  # (5*16 + 16) + (16*8 + 8) + (8 + 1)
    forward = harness.assert_forward(regression_tf1, keras_side, x)
    assert [(c.tf1_names, c.keras_paths, c.how) for c in forward.mapping.conversions][:2] == [
        (("w1",), ("hidden1/kernel",), "order"), (("b1",), ("hidden1/bias",), "order")]
    batches = harness.make_batches(x, y, batch_size=32, steps=20, seed=0)
    steps = harness.assert_training_steps(regression_tf1, keras_side, batches, tf1_adam(0.01), keras_adam(0.01),
                                          keras.losses.MeanSquaredError())
    assert steps.tf1_losses[-1] < steps.tf1_losses[0] / 2  # it did train
    report = harness.combine([structure, forward, steps])
    assert report["passed"] and report["shapes_match"] and report["forward_max_abs_diff"] < 1e-5
    assert set(report["train_steps"]) >= {"max_abs_loss_diff_first10", "max_rel_loss_diff"}


def test_mlp_port_without_a_bias_is_caught_by_the_name_map_listing_the_variable(regression_tf1):
    keras_side = harness.KerasModel(lambda: twins.keras_regression_mlp(hidden2_bias=False), seed=0)
    with pytest.raises(harness.NameMapError) as caught:
        harness.check_forward(regression_tf1, keras_side, twins.regression_data()[0])
    assert caught.value.unmapped == [("b2", (8,))]
    assert "unmapped TF1 variable b2 (8,)" in str(caught.value)
    structure = harness.check_structure(regression_tf1, keras_side)
    assert structure.failures == ["structure: unmapped TF1 variable b2 (8,)",
                                  "structure: TF1 'b2' holds 8 parameters that no Keras layer has",
                                  "structure: total parameters TF1 241 vs Keras 233"]
    with pytest.raises(harness.ParityError, match="structure check failed"):
        structure.raise_if_failed()


def test_a_custom_metric_with_an_overridden_gap(regression_tf1):
    def mean_squared_error(y_true, y_pred):
        return float(np.mean((y_true - y_pred) ** 2))

    x, y = twins.regression_data()
    bars = harness.Tolerances.default().override("MSE, not accuracy: 1e-3 is 0.1% of the start", metric_gap=1e-3)
    result = harness.assert_metric(regression_tf1, harness.KerasModel(twins.keras_regression_mlp, seed=1),
                                   harness.make_batches(x, y, 32, 40, seed=0), x, y, tf1_adam(0.01),
                                   keras_adam(0.01), keras.losses.MeanSquaredError(), metric=mean_squared_error,
                                   init="shared", tolerances=bars)
    assert result.to_json()["metric"]["name"] == "mean_squared_error" and result.tf1 < 0.5
    assert result.to_json()["tolerances"]["overrides"]["metric_gap"]["reason"].startswith("MSE")


# --- MLP of tf.layers, 3 classes ------------------------------------------------------------------

def test_classifier_passes_and_its_accuracy_matches(classifier_tf1):
    keras_side = harness.KerasModel(twins.keras_classifier, seed=0)
    x, y = twins.classification_data()
    harness.assert_structure(classifier_tf1, keras_side)
    assert {c.how for c in harness.assert_forward(classifier_tf1, keras_side, x).mapping.conversions} == {"name"}
    result = harness.assert_metric(classifier_tf1, keras_side, harness.make_batches(x, y, 32, 30, seed=0), x, y,
                                   tf1_adam(0.01), keras_adam(0.01), SPARSE_LOSS)
    assert result.tf1 > 0.9 and result.to_json()["accuracy"]["gap"] <= 0.01


def test_a_port_with_another_activation_is_caught_by_forward_naming_the_layer(classifier_tf1):
    keras_side = harness.KerasModel(lambda: twins.keras_classifier(activation="elu"), seed=0)
    result = harness.check_forward(classifier_tf1, keras_side, twins.classification_data()[0])
    assert not result.passed and result.first_divergent_layer == "hidden"
    assert result.failures[0].startswith("forward: layer 'hidden' output: max abs diff")
    assert "would pass with atol=" in result.failures[0]
    assert result.failures[1].startswith("forward: outputs: max abs diff")


def test_keras_adam_left_at_its_defaults_is_caught_by_training_steps_naming_the_step(classifier_tf1):
    keras_side = harness.KerasModel(twins.keras_classifier, seed=0)
    x, y = twins.classification_data()
    batches = harness.make_batches(x, y, 32, 12, seed=0)
    # Keras' Adam defaults to epsilon 1e-7 and float64 betas; TF1's AdamOptimizer to 1e-8, float32.
    result = harness.check_training_steps(classifier_tf1, keras_side, batches, tf1_adam(0.1),
                                          lambda: keras.optimizers.Adam(0.1), SPARSE_LOSS)
    assert not result.passed and result.first_failing_step == 2  # step 1's loss precedes any update
    assert result.failures[0].startswith("training steps: loss at step 2: max abs diff")
    assert "would pass with atol=" in result.failures[0]
    harness.assert_training_steps(classifier_tf1, keras_side, batches, tf1_adam(0.1), keras_adam(0.1), SPARSE_LOSS)


def test_a_port_that_does_not_learn_fails_the_metric_check(classifier_tf1):
    x, y = twins.classification_data()
    result = harness.check_metric(classifier_tf1, harness.KerasModel(twins.keras_classifier, seed=0),
                                  harness.make_batches(x, y, 32, 30, seed=0), x, y, tf1_adam(0.01),
                                  lambda: keras.optimizers.SGD(0.0), SPARSE_LOSS, init="shared")
    assert not result.passed and result.init == "shared"
    assert result.failures[0].startswith("metric accuracy: TF1 ")
    assert "exceeds metric_gap=0.01; would pass with metric_gap=" in result.failures[0]


# --- CNN with BatchNorm ---------------------------------------------------------------------------

def test_cnn_with_batchnorm_passes_forward_and_training_steps(cnn_tf1):
    keras_side = harness.KerasModel(twins.keras_cnn, seed=0)
    x, y = twins.image_data()
    harness.assert_structure(cnn_tf1, keras_side)
    harness.assert_forward(cnn_tf1, keras_side, x)
    steps = harness.assert_training_steps(cnn_tf1, keras_side, harness.make_batches(x, y, 16, 12, seed=0),
                                          tf1_adam(0.01), keras_adam(0.01), SPARSE_LOSS)
    # Both sides updated BatchNorm's moving averages in training mode (TF1 through UPDATE_OPS).
    assert not np.allclose(keras_side.weights()["bn/moving_variance"], 1.0)
    assert steps.weight_differences["bn/moving_variance"] < 1e-4


def test_batchnorm_port_with_another_epsilon_is_caught_by_forward_naming_the_layer(cnn_tf1):
    keras_side = harness.KerasModel(lambda: twins.keras_cnn(epsilon=1e-5), seed=0)  # TF1: 1e-3
    result = harness.check_forward(cnn_tf1, keras_side, twins.image_data()[0])
    assert result.first_divergent_layer == "bn"
    assert result.to_json()["forward_layers"]["conv"] == 0.0
    assert result.failures[0].startswith("forward: layer 'bn' output: max abs diff")


def test_cnn_port_with_valid_padding_is_caught_by_structure_naming_the_layer_and_shapes(cnn_tf1):
    result = harness.check_structure(cnn_tf1, harness.KerasModel(lambda: twins.keras_cnn(padding="valid"), seed=0))
    assert not result.shapes_match
    assert "structure: layer 'conv': output shape TF1 (None, 8, 8, 6) vs Keras (None, 6, 6, 6)" in result.failures
    assert "structure: layer 'logits': parameters TF1 1540 vs Keras 868" in result.failures


# --- RNN cells under dynamic_rnn ------------------------------------------------------------------

RNN_CASES = {
    "lstm": (tf.nn.rnn_cell.BasicLSTMCell, keras.layers.LSTM, {}, harness.lstm_cell("rnn/basic_lstm_cell")),
    "gru": (tf.nn.rnn_cell.GRUCell, keras.layers.GRU, {"reset_after": False}, harness.gru_cell("rnn/gru_cell")),
}


@pytest.mark.parametrize("key", RNN_CASES)
def test_rnn_cells_pass_through_the_cell_transforms(key):
    cell, layer, options, transform = RNN_CASES[key]
    name_map = harness.NameMap(transforms={"rnn": transform})
    x, y = twins.sequence_data()
    with harness.TF1Model.from_builder(twins.rnn_builder(cell), seed=0) as tf1:
        keras_side = harness.KerasModel(lambda: twins.keras_rnn(layer, **options), seed=0)
        harness.assert_structure(tf1, keras_side, name_map)
        harness.assert_forward(tf1, keras_side, x, name_map)
        harness.assert_training_steps(tf1, keras_side, harness.make_batches(x, y, 16, 12, seed=0),
                                      tf1_adam(0.01), keras_adam(0.01), SPARSE_LOSS, name_map)


def test_lstm_converted_without_gate_reordering_is_caught_naming_the_lstm_layer():
    naive = twins.naive_lstm_map()  # split the kernel by rows, keep TF1's i, c, f, o gate order
    with harness.TF1Model.from_builder(twins.rnn_builder(tf.nn.rnn_cell.BasicLSTMCell), seed=0) as tf1:
        keras_side = harness.KerasModel(lambda: twins.keras_rnn(keras.layers.LSTM), seed=0)
        harness.assert_structure(tf1, keras_side, naive)  # shapes and counts cannot tell
        result = harness.check_forward(tf1, keras_side, twins.sequence_data()[0], naive)
    assert result.first_divergent_layer == "rnn"
    assert result.failures[0].startswith("forward: layer 'rnn' output: max abs diff")
