"""The v1 canned Estimators' options: default optimizers and rates, TF1 tensor names,
label vocabulary and weights, regression, and bad arguments (see test_canned_estimators.py)."""

import math

import numpy as np
import pytest
import tensorflow as tf

from legacy_tf1.compat import estimator
from canned_reference import (
    EVAL_BATCH,
    FEATURES,
    TRAIN_2,
    V1,
    config,
    numpy_linear_logits,
    numpy_sigmoid_losses,
    stacked,
    train_input,
    x_column,
)

MANY_COLUMNS = [V1.feature_column.numeric_column(f"column_{index}") for index in range(36)]


def train_graph_ops(model):
    """The TRAIN-mode graph the model's model_fn builds on a placeholder batch."""
    graph = tf.Graph()
    with graph.as_default():
        V1.train.create_global_step()
        x = V1.placeholder(tf.float32, [None, FEATURES])
        features = {"x": x, "a": x[:, 0], "b": x[:, 1]}
        features.update({column.key: x[:, 2] for column in MANY_COLUMNS})
        model.model_fn(features, V1.placeholder(tf.int32, [None]), estimator.ModeKeys.TRAIN,
                       model.config)
    return graph


def learning_rates(graph, op_type):
    """The constant learning rates fed to the graph's `op_type` optimizer ops."""
    rates = set()
    for operation in graph.get_operations():
        if operation.type == op_type:
            names = [argument.name for argument in operation.op_def.input_arg]
            rates.add(round(float(tf.get_static_value(operation.inputs[names.index("lr")])), 6))
    return rates


def test_default_optimizers_and_learning_rates_are_tf1s(tmp_path):
    def graph_of(estimator_class, *arguments, **keywords):
        model = estimator_class(*arguments, model_dir=str(tmp_path), **keywords)
        return train_graph_ops(model)

    assert learning_rates(graph_of(estimator.DNNClassifier, [3], [x_column()]),
                          "ResourceApplyAdagrad") == {0.05}
    two_columns = [x_column(), V1.feature_column.numeric_column("a")]
    # TF1: the 'Ftrl' name gets 0.2; optimizer=None gets min(0.2, 1/sqrt(columns)).
    assert learning_rates(graph_of(estimator.LinearClassifier, two_columns),
                          "ResourceApplyFtrl") == {0.2}
    assert learning_rates(graph_of(estimator.LinearClassifier, MANY_COLUMNS, optimizer=None),
                          "ResourceApplyFtrl") == {round(1 / math.sqrt(36), 6)}
    combined_graph = graph_of(estimator.DNNLinearCombinedClassifier, linear_feature_columns=two_columns,
                              dnn_feature_columns=[x_column()], dnn_hidden_units=[3])
    assert learning_rates(combined_graph, "ResourceApplyAdagrad") == {0.001}
    assert learning_rates(combined_graph, "ResourceApplyFtrl") == {0.005}


def test_train_graph_has_tf1_tensor_and_summary_names(tmp_path):
    graph = train_graph_ops(estimator.DNNClassifier([3], [x_column()], n_classes=3,
                                                    model_dir=str(tmp_path)))
    for name in ("dnn/head/predictions/probabilities:0", "dnn/head/predictions/class_ids:0",
                 "dnn/hiddenlayer_0/kernel/part_0:0", "dnn/logits/bias/part_0:0"):
        graph.get_tensor_by_name(name)  # raises KeyError when missing
    tags = {tf.get_static_value(operation.inputs[0]).item().decode()
            for operation in graph.get_operations() if operation.type == "ScalarSummary"}
    # As TF1: the layer summaries are named inside the `dnn` name scope (hence `dnn/dnn/`),
    # the head's at the root.
    assert tags == {"loss", "average_loss", "dnn/dnn/hiddenlayer_0/fraction_of_zero_values",
                    "dnn/dnn/logits/fraction_of_zero_values"}


# --- Labels, weights, regression ---------------------------------------------------------------

def test_label_vocabulary_and_weight_column(tmp_path):
    x, labels = TRAIN_2
    words = np.array([b"no", b"yes"])[labels]
    weights = np.where(labels == 1, 3.0, 1.0).astype(np.float32)
    model = estimator.LinearClassifier(
        [x_column()], label_vocabulary=["no", "yes"], weight_column="w", config=config(),
        model_dir=str(tmp_path))

    def input_fn(num_epochs, shuffle):
        return estimator.inputs.numpy_input_fn(
            {"x": x, "w": weights}, words, batch_size=EVAL_BATCH, num_epochs=num_epochs, shuffle=shuffle)

    model.train(input_fn(None, True), steps=10)
    results = model.evaluate(input_fn(1, False))
    logits = numpy_linear_logits(model, {"x": x}, ["x"])
    correct = (logits[:, 0] > 0) == labels
    assert results["accuracy"] == pytest.approx(np.sum(weights * correct) / weights.sum(), rel=1e-5)
    losses = numpy_sigmoid_losses(logits, labels)
    assert results["average_loss"] == pytest.approx(np.sum(weights * losses) / weights.sum(), rel=1e-5)
    classes = [prediction["classes"][0] for prediction in model.predict(
        estimator.inputs.numpy_input_fn({"x": x[:4]}, shuffle=False))]
    assert classes == [b"yes" if value > 0 else b"no" for value in logits[:4, 0]]


def test_linear_regressor_predictions_and_loss_equal_numpy(tmp_path):
    x, _ = TRAIN_2
    targets = (x @ np.array([1.0, -2.0, 0.5, 0.0], np.float32) + 0.3).astype(np.float32)
    model = estimator.LinearRegressor([x_column()], config=config(), model_dir=str(tmp_path))
    model.train(estimator.inputs.numpy_input_fn({"x": x}, targets, batch_size=32,
                                                num_epochs=None, shuffle=True), steps=30)
    expected = numpy_linear_logits(model, {"x": x}, ["x"])
    predictions = model.predict(estimator.inputs.numpy_input_fn({"x": x}, shuffle=False))
    np.testing.assert_allclose(stacked(predictions, "predictions"), expected, rtol=1e-5, atol=1e-5)
    results = model.evaluate(estimator.inputs.numpy_input_fn({"x": x}, targets, batch_size=256,
                                                             shuffle=False))
    errors = (expected[:, 0] - targets) ** 2
    assert results["average_loss"] == pytest.approx(errors.mean(), rel=1e-5)
    assert results["loss"] == pytest.approx(errors.sum(), rel=1e-5)  # one batch: its SUM
    assert results["average_loss"] < np.mean((targets - targets.mean()) ** 2)  # it learned


# --- Bad arguments ----------------------------------------------------------------------------

BAD_ARGUMENTS = {  # case: (constructor call, the ValueError's message)
    "hidden-none": (lambda: estimator.DNNClassifier(None, [x_column()]), "hidden_units=None"),
    "hidden-zero": (lambda: estimator.DNNClassifier([8, 0], [x_column()]),
                    "every width must be an integer"),
    "one-class": (lambda: estimator.DNNClassifier([8], [x_column()], n_classes=1),
                  "n_classes must be > 2: 1"),
    "dnn-no-columns": (lambda: estimator.DNNClassifier([8], []), "feature_columns must not be empty"),
    "linear-no-columns": (lambda: estimator.LinearClassifier(None), "feature_columns must not be empty"),
    "reduction-none": (lambda: estimator.LinearClassifier([x_column()], loss_reduction="none"),
                       "Invalid loss_reduction"),
    "combined-no-columns": (lambda: estimator.DNNLinearCombinedClassifier(),
                            "Either linear_feature_columns or dnn_feature_columns"),
    "combined-no-hidden-units": (lambda: estimator.DNNLinearCombinedClassifier(
        dnn_feature_columns=[x_column()]), "dnn_hidden_units must be defined"),
}


def test_bad_arguments_raise_value_error():
    # One test for all cases: each is a constructor call, cheaper than a test's setup.
    for case, (build, message) in BAD_ARGUMENTS.items():
        with pytest.raises(ValueError, match=message):
            build()
            pytest.fail(f"{case}: no ValueError")


def test_empty_hidden_units_is_a_logits_layer_as_in_tf1(tmp_path):
    model = estimator.DNNClassifier([], [x_column()], config=config(), model_dir=str(tmp_path))
    model.train(train_input(TRAIN_2), steps=1)
    assert {name for name in model.get_variable_names() if "Adagrad" not in name} == {
        "global_step", "dnn/logits/kernel", "dnn/logits/bias"}


def test_unimplemented_tf1_arguments_raise_the_not_provided_error():
    with pytest.raises(AttributeError, match=r"tf\.estimator\.DNNClassifier\(batch_norm=True\)"):
        estimator.DNNClassifier([3], [x_column()], batch_norm=True)
    with pytest.raises(AttributeError, match=r"warm_start_from"):
        estimator.LinearClassifier([x_column()], warm_start_from="/elsewhere")
    with pytest.raises(AttributeError, match=r"tf\.estimator\.BaselineClassifier"):
        estimator.BaselineClassifier  # noqa: B018 (the attribute access is the test)
