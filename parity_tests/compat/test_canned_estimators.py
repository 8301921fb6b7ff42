"""The v1 canned Estimators (legacy_tf1.compat.estimator.canned) on TF 2.21: names, outputs, restore.

Each model trains for a few steps on small synthetic data; every expected value is
recomputed in NumPy from the weights the checkpoint holds (logits, probabilities,
accuracy, losses), and the names are TF1's (checked against TF 1.15's sources and
checkpoints TF1 users listed, e.g. `dnn/hiddenlayer_0/kernel/t_0/Adagrad`).
The constructor's options, defaults and bad arguments: test_canned_estimator_options.py.
"""

import shutil

import numpy as np
import pytest

from legacy_tf1.compat import estimator
from canned_reference import (
    FEATURES,
    TEST_2,
    TEST_3,
    TRAIN_2,
    TRAIN_3,
    V1,
    config,
    eval_input,
    features_of,
    numpy_dnn_logits,
    numpy_linear_logits,
    numpy_sigmoid,
    numpy_sigmoid_losses,
    numpy_softmax,
    numpy_softmax_losses,
    per_batch,
    predict_input,
    stacked,
    train_input,
    x_column,
)

# --- Shared trained models (module scope: each trains once) ------------------------------------

@pytest.fixture(scope="module")
def dnn_binary(tmp_path_factory):
    model = estimator.DNNClassifier([8, 4], [x_column()], n_classes=2, config=config(),
                                    model_dir=str(tmp_path_factory.mktemp("dnn_binary")))
    return model.train(train_input(TRAIN_2), steps=60)


@pytest.fixture(scope="module")
def linear_multi(tmp_path_factory):
    columns = [x_column(), V1.feature_column.numeric_column("a")]
    model = estimator.LinearClassifier(columns, n_classes=3, config=config(),
                                       model_dir=str(tmp_path_factory.mktemp("linear_multi")))
    return model.train(train_input(TRAIN_3), steps=60)


@pytest.fixture(scope="module")
def combined(tmp_path_factory):
    model = estimator.DNNLinearCombinedClassifier(
        linear_feature_columns=[V1.feature_column.numeric_column("a"),
                                V1.feature_column.numeric_column("b")],
        dnn_feature_columns=[x_column()], dnn_hidden_units=[6], n_classes=3, config=config(),
        model_dir=str(tmp_path_factory.mktemp("combined")))
    return model.train(train_input(TRAIN_3), steps=20)


# --- Variable names and optimizers -----------------------------------------------------------

def test_dnn_checkpoint_has_tf1_variable_and_adagrad_slot_names(dnn_binary):
    # TF1 saved partitioned variables under their full names, and (a TF1 quirk of
    # slot naming inside the `dnn` scope) the Adagrad slots as `.../t_0/Adagrad`.
    layers = ["dnn/hiddenlayer_0", "dnn/hiddenlayer_1", "dnn/logits"]
    expected = {"global_step"} | {f"{layer}/{name}{slot}" for layer in layers
                                  for name in ("kernel", "bias") for slot in ("", "/t_0/Adagrad")}
    assert set(dnn_binary.get_variable_names()) == expected
    assert dnn_binary.get_variable_value("dnn/hiddenlayer_0/kernel").shape == (FEATURES, 8)
    assert dnn_binary.get_variable_value("dnn/logits/kernel").shape == (4, 1)  # binary: one logit


def test_linear_checkpoint_has_tf1_variable_and_ftrl_slot_names(linear_multi):
    variables = ["linear/linear_model/x/weights", "linear/linear_model/a/weights",
                 "linear/linear_model/bias_weights"]
    expected = {"global_step"} | {f"{variable}{slot}" for variable in variables
                                  for slot in ("", "/part_0/Ftrl", "/part_0/Ftrl_1")}
    assert set(linear_multi.get_variable_names()) == expected
    assert linear_multi.get_variable_value("linear/linear_model/x/weights").shape == (FEATURES, 3)


def test_combined_parts_each_have_their_own_optimizer(combined):
    names = set(combined.get_variable_names())
    dnn_variables = {name for name in names if name.startswith("dnn/")}
    linear_variables = {name for name in names if name.startswith("linear/")}
    assert {name for name in dnn_variables if "Adagrad" in name} == {
        f"dnn/{layer}/{name}/Adagrad" for layer in ("hiddenlayer_0", "logits")
        for name in ("kernel", "bias")}
    assert not any("Ftrl" in name for name in dnn_variables)
    assert not any("Adagrad" in name for name in linear_variables)
    assert "linear/linear_model/bias_weights/Ftrl_1" in linear_variables
    assert combined.get_variable_value("global_step") == 20  # one increment per step


# --- Predictions and metrics against NumPy ----------------------------------------------------

def test_dnn_binary_predictions_equal_numpy_on_the_checkpoint(dnn_binary):
    x, _ = TEST_2
    predictions = list(dnn_binary.predict(predict_input(x)))
    assert set(predictions[0]) == {"logits", "logistic", "probabilities", "class_ids", "classes",
                                   "all_class_ids", "all_classes"}
    logits = numpy_dnn_logits(dnn_binary, x, layers=2)
    np.testing.assert_allclose(stacked(predictions, "logits"), logits, rtol=1e-5, atol=1e-5)
    logistic = numpy_sigmoid(logits)
    np.testing.assert_allclose(stacked(predictions, "logistic"), logistic, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(stacked(predictions, "probabilities"),
                               np.hstack([1 - logistic, logistic]), rtol=1e-5, atol=1e-5)
    classes = (logits[:, 0] > 0).astype(np.int64)
    np.testing.assert_array_equal(stacked(predictions, "class_ids")[:, 0], classes)
    assert [prediction["classes"][0] for prediction in predictions] == [
        str(value).encode() for value in classes]
    np.testing.assert_array_equal(predictions[0]["all_classes"], [b"0", b"1"])


def test_dnn_binary_evaluate_equals_numpy_and_loss_is_summed(dnn_binary):
    x, labels = TEST_2
    results = dnn_binary.evaluate(eval_input(TEST_2))
    logits = numpy_dnn_logits(dnn_binary, x, layers=2)
    losses = numpy_sigmoid_losses(logits, labels)
    assert results["global_step"] == 60
    assert results["accuracy"] == pytest.approx(np.mean((logits[:, 0] > 0) == labels), abs=1e-6)
    assert results["average_loss"] == pytest.approx(losses.mean(), rel=1e-5)
    # v1 loss_reduction=SUM: each batch's loss is its sum; evaluate averages the batches'.
    assert results["loss"] == pytest.approx(per_batch(losses, np.sum).mean(), rel=1e-5)
    assert results["label/mean"] == pytest.approx(labels.mean(), abs=1e-6)
    assert results["accuracy_baseline"] == pytest.approx(max(labels.mean(), 1 - labels.mean()), abs=1e-6)
    assert results["prediction/mean"] == pytest.approx(numpy_sigmoid(logits).mean(), rel=1e-5)
    predicted = logits[:, 0] > 0
    assert results["precision"] == pytest.approx(np.mean(labels[predicted]), abs=1e-6)
    assert results["recall"] == pytest.approx(np.mean(predicted[labels == 1]), abs=1e-6)
    assert 0.9 < results["auc"] <= 1.0 and 0.9 < results["auc_precision_recall"] <= 1.0


def test_synthetic_problems_reach_accuracy_floors(dnn_binary, linear_multi):
    # Measured with these seeds: DNN 0.94 (chance 0.54), linear 0.82 (chance about 0.33).
    assert dnn_binary.evaluate(eval_input(TEST_2))["accuracy"] >= 0.85
    assert linear_multi.evaluate(eval_input(TEST_3))["accuracy"] >= 0.7


def test_linear_multi_class_predictions_and_metrics_equal_numpy(linear_multi):
    x, labels = TEST_3
    logits = numpy_linear_logits(linear_multi, features_of(x), ["a", "x"])
    predictions = list(linear_multi.predict(predict_input(x)))
    assert "logistic" not in predictions[0]
    np.testing.assert_allclose(stacked(predictions, "logits"), logits, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(stacked(predictions, "probabilities"), numpy_softmax(logits),
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(stacked(predictions, "class_ids")[:, 0], logits.argmax(1))
    results = linear_multi.evaluate(eval_input(TEST_3))
    losses = numpy_softmax_losses(logits, labels)
    assert set(results) == {"accuracy", "average_loss", "loss", "global_step"}
    assert results["accuracy"] == pytest.approx(np.mean(logits.argmax(1) == labels), abs=1e-6)
    assert results["average_loss"] == pytest.approx(losses.mean(), rel=1e-5)
    assert results["loss"] == pytest.approx(per_batch(losses, np.sum).mean(), rel=1e-5)


def test_loss_reduction_mean_divides_each_batch_by_its_size(linear_multi):
    x, labels = TEST_3
    columns = [x_column(), V1.feature_column.numeric_column("a")]
    mean_model = estimator.LinearClassifier(
        columns, n_classes=3, model_dir=linear_multi.model_dir,
        loss_reduction=V1.losses.Reduction.SUM_OVER_BATCH_SIZE)
    losses = numpy_softmax_losses(numpy_linear_logits(linear_multi, features_of(x), ["a", "x"]), labels)
    results = mean_model.evaluate(eval_input(TEST_3))
    assert results["loss"] == pytest.approx(per_batch(losses, np.mean).mean(), rel=1e-5)
    assert results["average_loss"] == pytest.approx(losses.mean(), rel=1e-5)


def test_combined_logits_are_the_sum_of_both_parts(combined):
    x, _ = TEST_3
    features = features_of(x)
    expected = numpy_dnn_logits(combined, x, layers=1) + numpy_linear_logits(combined, features, ["a", "b"])
    predictions = list(combined.predict(predict_input(x), predict_keys="logits"))
    np.testing.assert_allclose(stacked(predictions, "logits"), expected, rtol=1e-5, atol=1e-5)


# --- Restore and resume ------------------------------------------------------------------------

def test_second_estimator_restores_and_resumes_from_the_checkpoint(dnn_binary, tmp_path):
    # A copy of the shared model's directory (checkpoint paths are relative), so that
    # training here leaves the other tests' checkpoint as it is.
    model_dir = tmp_path / "copy"
    shutil.copytree(dnn_binary.model_dir, model_dir)
    x, _ = TEST_2
    restored = estimator.DNNClassifier([8, 4], [x_column()], model_dir=str(model_dir), config=config())
    np.testing.assert_array_equal(
        stacked(restored.predict(predict_input(x)), "logits"),
        stacked(dnn_binary.predict(predict_input(x)), "logits"))
    kernel_before = restored.get_variable_value("dnn/logits/kernel")
    restored.train(train_input(TRAIN_2), steps=5)
    assert restored.get_variable_value("global_step") == 65
    assert (model_dir / "model.ckpt-65.index").exists()
    assert not np.array_equal(restored.get_variable_value("dnn/logits/kernel"), kernel_before)
