"""tf.contrib.learn on TF 2.21 (legacy_tf1.compat.contrib.learn) and the program built on it.

A linear model keeps the Estimator tests fast; expected values come from NumPy
on the checkpoint's weights, or from TF1's documented rules (RandomState(42)).
"""

import re
import subprocess
import sys

import numpy as np
import pytest
import tensorflow as tf

from legacy_tf1.compat.contrib import learn
from legacy_tf1.compat.contrib.learn.python.learn.estimators import model_fn as model_fn_lib
from legacy_tf1.compat.contrib.learn.python.learn.learn_io import data_feeder
from tf1_to_keras import harness
from numpy_reference import numpy_cross_entropy, numpy_logits

V1 = tf.compat.v1
FEATURES, CLASSES = 4, 2


def make_data(count=12, seed=0):
    x = np.random.RandomState(seed).randn(count, FEATURES).astype(np.float32)
    return x, (x[:, 0] - x[:, 2] > 0).astype(np.int32)


def linear_model_fn(features, labels, mode):
    """Variant A's shape of model_fn: a plain features tensor, ModelFnOps, optimize_loss."""
    weights = V1.get_variable("weights", [FEATURES, CLASSES], initializer=V1.zeros_initializer())
    bias = V1.get_variable("bias", [CLASSES], initializer=V1.zeros_initializer())
    logits = V1.matmul(features, weights) + bias
    loss = train_op = None
    if mode != learn.ModeKeys.INFER:
        loss = V1.losses.softmax_cross_entropy(
            onehot_labels=V1.one_hot(V1.cast(labels, V1.int32), CLASSES), logits=logits)
    if mode == learn.ModeKeys.TRAIN:
        train_op = V1.train.GradientDescentOptimizer(0.5).minimize(
            loss, global_step=V1.train.get_global_step())
    predictions = {"classes": V1.argmax(logits, 1), "logits": logits}
    return model_fn_lib.ModelFnOps(mode=mode, predictions=predictions, loss=loss, train_op=train_op)


ACCURACY = {"accuracy": learn.MetricSpec(metric_fn=V1.metrics.accuracy, prediction_key="classes")}


@pytest.fixture
def fitted(tmp_path):
    """A linear learn.Estimator fitted for 40 steps of batch 8, and its data."""
    x, y = make_data()
    model = learn.Estimator(model_fn=linear_model_fn, model_dir=str(tmp_path),
                            config=learn.RunConfig(tf_random_seed=0))
    model.fit(x=x, y=y, batch_size=8, steps=40)
    return model, x, y


# --- ModeKeys, ModelFnOps, module paths ---------------------------------------------------

def test_mode_keys_and_the_model_fn_module_path():
    modes = (learn.ModeKeys.TRAIN, learn.ModeKeys.EVAL, learn.ModeKeys.INFER)
    assert modes == ("train", "eval", "infer")
    assert model_fn_lib.ModelFnOps is learn.ModelFnOps and model_fn_lib.ModeKeys is learn.ModeKeys


def test_model_fn_ops_checks_each_mode():
    with tf.Graph().as_default():
        loss, predictions = V1.constant(1.0), {"classes": V1.constant([1])}
        with pytest.raises(ValueError, match="Missing train_op"):
            learn.ModelFnOps(mode=learn.ModeKeys.TRAIN, predictions=predictions, loss=loss)
        with pytest.raises(ValueError, match="Missing loss"):
            learn.ModelFnOps(mode=learn.ModeKeys.EVAL, predictions=predictions)
        with pytest.raises(ValueError, match="Missing predictions"):
            learn.ModelFnOps(mode=learn.ModeKeys.INFER)
        with pytest.raises(ValueError, match="Invalid mode 'fit'"):
            learn.ModelFnOps(mode="fit", predictions=predictions)
        spec = learn.ModelFnOps(mode=learn.ModeKeys.INFER, predictions=predictions).estimator_spec()
        assert spec.mode == "infer" and spec.predictions is predictions


# --- DataFeeder -----------------------------------------------------------------------------

def feed_batches(feeder):
    """The label batches a feeder's feed function gives until StopIteration."""
    with tf.Graph().as_default():
        _, labels = feeder.input_builder()
        feed_dict_fn = feeder.get_feed_dict_fn()
        batches = []
        while True:
            try:
                batches.append(feed_dict_fn()[labels])
            except StopIteration:
                return batches


def test_data_feeder_goes_through_the_data_once_in_order():
    x = np.arange(20, dtype=np.float32).reshape(10, 2)
    batches = feed_batches(
        data_feeder.DataFeeder(x, np.arange(10), batch_size=4, shuffle=False, epochs=1))
    assert [batch.tolist() for batch in batches] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    whole = feed_batches(data_feeder.DataFeeder(x, np.arange(10), shuffle=False, epochs=1))
    assert [len(batch) for batch in whole] == [10]  # batch_size None: all of x at once


def test_data_feeder_shuffles_with_random_state_42_each_epoch():
    x = np.zeros((10, 2), np.float32)
    batches = feed_batches(
        data_feeder.DataFeeder(x, np.arange(10), batch_size=5, shuffle=True, epochs=2))
    expected = np.random.RandomState(42)
    assert np.concatenate(batches).tolist() == (
        expected.permutation(10).tolist() + expected.permutation(10).tolist())


def test_data_feeder_rejects_a_bad_batch_size():
    with pytest.raises(ValueError, match="Invalid batch_size 0"):
        data_feeder.DataFeeder(np.zeros((3, 2)), None, batch_size=0)


# --- MetricSpec -------------------------------------------------------------------------------

def test_metric_spec_passes_labels_and_predictions_by_their_names():
    calls = []

    def old_style(predictions, labels):  # contrib.metrics' streaming_* order
        calls.append(("old", predictions, labels))
        return predictions

    def new_style(labels, predictions, weights=None):
        calls.append(("new", predictions, labels, weights))
        return predictions

    learn.MetricSpec(old_style, prediction_key="classes").create_metric_ops(
        {}, "LABELS", {"classes": "CLASSES", "logits": "LOGITS"})
    learn.MetricSpec(new_style, prediction_key="logits", weight_key="w").create_metric_ops(
        {"w": "WEIGHTS"}, {"only": "LABELS"}, {"classes": "CLASSES", "logits": "LOGITS"})
    assert calls == [("old", "CLASSES", "LABELS"), ("new", "LOGITS", "LABELS", "WEIGHTS")]
    with pytest.raises(ValueError, match="without specified prediction_key"):
        learn.MetricSpec(new_style).create_metric_ops({}, "LABELS", {"a": 1, "b": 2})


# --- Estimator: fit, evaluate, predict --------------------------------------------------------

def test_fit_then_evaluate_with_metric_specs(fitted):
    model, x, y = fitted
    results = model.evaluate(x=x, y=y, metrics=ACCURACY)
    logits = numpy_logits(model, x)
    assert set(results) == {"accuracy", "loss", "global_step"} and results["global_step"] == 40
    assert results["accuracy"] == pytest.approx(np.mean(logits.argmax(1) == y))
    # One batch of all of x (batch_size None), as TF1's SKCompat.score.
    assert results["loss"] == pytest.approx(numpy_cross_entropy(logits, y), rel=1e-5)
    assert results["loss"] < np.log(2)  # below the zero-weights loss: training happened


def test_fit_resumes_and_counts_steps(fitted):
    model, x, y = fitted
    model.fit(x=x, y=y, batch_size=8, steps=10)
    assert model.get_variable_value("global_step") == 50
    model.fit(x=x, y=y, batch_size=8, max_steps=50)  # already there: skipped
    assert model.get_variable_value("global_step") == 50


def test_predict_per_example_and_as_arrays(fitted):
    model, x, _ = fitted
    expected = numpy_logits(model, x)
    examples = list(model.predict(x=x, batch_size=5))
    assert len(examples) == len(x) and set(examples[0]) == {"classes", "logits"}
    logits = [example["logits"] for example in examples]
    np.testing.assert_allclose(logits, expected, rtol=1e-5, atol=1e-6)
    arrays = model.predict(x=x, as_iterable=False, outputs=["classes"])
    assert set(arrays) == {"classes"}
    np.testing.assert_array_equal(arrays["classes"], expected.argmax(1))


def test_model_fn_may_return_a_tuple(tmp_path):
    def tuple_model_fn(features, labels, mode):
        ops = linear_model_fn(features, labels, mode)
        return ops.predictions, ops.loss, ops.train_op

    x, y = make_data()
    model = learn.Estimator(model_fn=tuple_model_fn, model_dir=str(tmp_path))
    model.fit(x=x, y=y, batch_size=4, steps=3)
    assert set(model.evaluate(x=x, y=y)) == {"loss", "global_step"}


def test_evaluate_before_fit_and_bad_arguments_fail(tmp_path):
    x, y = make_data()
    model = learn.Estimator(model_fn=linear_model_fn, model_dir=str(tmp_path))
    with pytest.raises(learn.NotFittedError, match="Couldn't find trained model"):
        model.evaluate(x=x, y=y)
    with pytest.raises(ValueError, match="Either x or input_fn must be provided"):
        model.fit(steps=1)
    with pytest.raises(ValueError, match="Can not provide both input_fn and x or y"):
        model.fit(x=x, y=y, input_fn=lambda: None, steps=1)
    with pytest.raises(ValueError, match="Metrics argument should be None or dict"):
        model.evaluate(x=x, y=y, metrics=[ACCURACY])
    with pytest.raises(ValueError, match="does not include params argument"):
        learn.Estimator(model_fn=linear_model_fn, params={"learning_rate": 1.0})


# --- datasets ----------------------------------------------------------------------------------

def test_load_dataset_mnist_has_tf1_splits_and_integer_labels():
    mnist = learn.datasets.load_dataset("mnist")
    splits = (mnist.train, mnist.validation, mnist.test)
    assert [split.num_examples for split in splits] == [55000, 5000, 10000]
    assert mnist.train.images.shape == (55000, 784) and mnist.train.images.dtype == np.float32
    assert mnist.test.labels.shape == (10000,) and np.issubdtype(mnist.test.labels.dtype, np.integer)
    assert set(np.unique(mnist.train.labels)) == set(range(10))
    with pytest.raises(ValueError, match="Name of dataset is not found: 'cifar10'"):
        learn.datasets.load_dataset("cifar10")


# --- The program ---------------------------------------------------------------------------------

def test_program_structure_matches_the_literal():
    from legacy_tf1.models import layers_cnn_contrib_learn
    with harness.TF1Model.from_builder(lambda: layers_cnn_contrib_learn.build_graph(seed=0)) as program:
        endpoints = program.endpoints
        total = sum(int(np.prod(shape)) for shape in program.variable_shapes().values())
    assert list(endpoints.layers) == [
        "reshape", "conv2d", "max_pooling2d", "conv2d_1", "max_pooling2d_1", "flatten", "dense",
        "dropout", "dense_1"]
    assert total == (
        (5 * 5 * 1 * 32 + 32) + (5 * 5 * 32 * 64 + 64) + (3136 * 1024 + 1024) + (1024 * 10 + 10))
    assert total == 3_274_634
    assert endpoints.labels.dtype == tf.int32
    assert endpoints.layers["flatten"].shape.as_list() == [None, 3136]


def test_program_fits_evaluates_and_prints_results(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "legacy_tf1.models.layers_cnn_contrib_learn", "--steps", "20",
         "--model_dir", str(tmp_path), "--seed", "1"],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    line = result.stdout.strip().splitlines()[-1]
    results = {name: float(value) for name, value in
               re.findall(r"'(\w+)': (?:np\.\w+\()?([-\d.e]+)\)?", line)}
    assert set(results) == {"accuracy", "loss", "global_step"}
    assert results["global_step"] == 20 and 0.0 <= results["accuracy"] <= 1.0
    assert "loss = " in result.stderr and (tmp_path / "model.ckpt-20.index").exists()
