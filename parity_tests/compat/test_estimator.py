"""tf.estimator on TF 2.21 (legacy_tf1.compat.estimator) and the two programs built on it.

Small linear models keep the Estimator tests fast; every expected value is
computed independently (NumPy on the checkpoint's weights, counts, file names).
"""

import importlib
import logging
import os
import re
import subprocess
import sys

import numpy as np
import pytest
import tensorflow as tf

from legacy_tf1.compat import estimator
from tf1_to_keras import harness
from numpy_reference import numpy_cross_entropy, numpy_logits

V1 = tf.compat.v1
FEATURES, CLASSES = 4, 2


def make_data(count=10, seed=0):
    """x [count, 4] float32 and labels int32 that a linear model can learn."""
    x = np.random.RandomState(seed).randn(count, FEATURES).astype(np.float32)
    return x, (x[:, 0] + x[:, 1] > 0).astype(np.int32)


def linear_model_fn(features, labels, mode, params):
    """A softmax-regression model_fn in TF1 style (zero-initialized)."""
    weights = V1.get_variable("weights", [FEATURES, CLASSES], initializer=V1.zeros_initializer())
    bias = V1.get_variable("bias", [CLASSES], initializer=V1.zeros_initializer())
    logits = V1.matmul(features["x"], weights) + bias
    predictions = {"classes": V1.argmax(logits, 1), "logits": logits,
                   "probabilities": V1.nn.softmax(logits, name="softmax_tensor")}
    if mode == estimator.ModeKeys.PREDICT:
        return estimator.EstimatorSpec(mode, predictions=predictions)
    loss = V1.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    train_op = V1.train.GradientDescentOptimizer(params["learning_rate"]).minimize(
        loss, global_step=V1.train.get_global_step())
    metrics = {"accuracy": V1.metrics.accuracy(labels, predictions["classes"])}
    return estimator.EstimatorSpec(mode, predictions=predictions, loss=loss,
                                   train_op=train_op, eval_metric_ops=metrics)


def make_estimator(model_dir, model_fn=linear_model_fn, **config):
    config.setdefault("tf_random_seed", 0)
    return estimator.Estimator(model_fn, model_dir=str(model_dir), params={"learning_rate": 0.5},
                               config=estimator.RunConfig(**config))


def train_input(x, y, batch_size=4):
    return estimator.inputs.numpy_input_fn({"x": x}, y, batch_size=batch_size, num_epochs=None,
                                           shuffle=True)


def eval_input(x, y, batch_size=4):
    return estimator.inputs.numpy_input_fn({"x": x}, y, batch_size=batch_size, num_epochs=1,
                                           shuffle=False)


def graph_variable(name):
    """The default graph's global variable called `name`."""
    variable, = [variable for variable in V1.global_variables() if variable.op.name == name]
    return variable


def read_batches(input_fn, limit=None, seed=0):
    """Every (features, labels) batch input_fn gives until its input ends (or `limit`)."""
    with tf.Graph().as_default():
        V1.set_random_seed(seed)
        features, labels = input_fn()
        fetches = features if labels is None else (features, labels)
        batches = []
        with V1.train.MonitoredSession() as session:
            while limit is None or len(batches) < limit:
                batches.append(session.run(fetches))
    return batches


@pytest.fixture
def tf_log():
    """The messages TF logs at INFO and above while the test runs."""
    messages = []
    handler = logging.Handler()
    handler.emit = lambda record: messages.append(record.getMessage())
    logger = logging.getLogger("tensorflow")
    verbosity = V1.logging.get_verbosity()
    V1.logging.set_verbosity(V1.logging.INFO)
    logger.addHandler(handler)
    yield messages
    logger.removeHandler(handler)
    V1.logging.set_verbosity(verbosity)


# --- numpy_input_fn ---------------------------------------------------------------

def test_one_epoch_gives_full_batches_then_a_partial_one():
    x = np.arange(10, dtype=np.float32).reshape(10, 1)
    batches = read_batches(estimator.inputs.numpy_input_fn(
        {"x": x}, x[:, 0].astype(np.int32) * 10, batch_size=4, num_epochs=1, shuffle=False))
    assert [len(labels) for _, labels in batches] == [4, 4, 2]
    assert np.concatenate([features["x"][:, 0] for features, _ in batches]).tolist() == list(range(10))
    for features, labels in batches:  # features and labels stay paired
        np.testing.assert_array_equal(labels, features["x"][:, 0] * 10)


def test_two_epochs_give_every_example_twice_in_order():
    x = np.arange(10, dtype=np.float32)
    batches = read_batches(estimator.inputs.numpy_input_fn(
        x, None, batch_size=4, num_epochs=2, shuffle=False))
    assert [len(batch) for batch in batches] == [4, 4, 4, 4, 4]
    assert np.concatenate(batches).tolist() == list(range(10)) * 2


def test_shuffle_permutes_within_each_epoch():
    x = np.arange(10, dtype=np.float32)
    values = np.concatenate([labels for _, labels in read_batches(
        estimator.inputs.numpy_input_fn({"x": x}, x * 2, batch_size=5, num_epochs=3, shuffle=True))])
    epochs = values.reshape(3, 10) / 2
    for epoch in epochs:
        assert sorted(epoch.tolist()) == list(range(10))
    assert not np.array_equal(epochs[0], np.arange(10))
    assert not np.array_equal(epochs[0], epochs[1])  # reshuffled every epoch


def test_num_epochs_none_repeats_forever_with_full_batches():
    x = np.arange(10, dtype=np.float32)
    batches = read_batches(estimator.inputs.numpy_input_fn(
        x, None, batch_size=4, num_epochs=None, shuffle=False), limit=8)
    assert [len(batch) for batch in batches] == [4] * 8
    assert np.concatenate(batches).tolist() == (list(range(10)) * 4)[:32]


@pytest.mark.parametrize("shuffle", [None, 1], ids=["missing", "not-bool"])
def test_shuffle_must_be_given_as_a_bool(shuffle):
    with pytest.raises(ValueError, match="shuffle must be provided"):
        estimator.inputs.numpy_input_fn({"x": np.zeros(3)}, shuffle=shuffle)


def test_mismatched_or_empty_inputs_are_rejected():
    with pytest.raises(ValueError, match="Length of tensors in x and y is mismatched"):
        estimator.inputs.numpy_input_fn({"x": np.zeros(3)}, np.zeros(4), shuffle=False)
    with pytest.raises(ValueError, match="x cannot be an empty dict"):
        estimator.inputs.numpy_input_fn({}, shuffle=False)
    with pytest.raises(ValueError, match="duplicate keys"):
        estimator.inputs.numpy_input_fn({"a": np.zeros(3)}, {"a": np.zeros(3)}, shuffle=False)


# --- RunConfig and EstimatorSpec -------------------------------------------------------

def test_run_config_defaults_and_checkpoint_schedule():
    config = estimator.RunConfig()
    assert (config.save_checkpoints_secs, config.save_checkpoints_steps) == (600, None)
    assert config.save_summary_steps == 100 and config.log_step_count_steps == 100
    assert config.keep_checkpoint_max == 5
    steps_config = estimator.RunConfig(save_checkpoints_steps=10)
    assert (steps_config.save_checkpoints_secs, steps_config.save_checkpoints_steps) == (None, 10)
    assert config.replace(save_checkpoints_steps=7).save_checkpoints_secs is None
    with pytest.raises(ValueError, match="cannot be both set"):
        estimator.RunConfig(save_checkpoints_steps=10, save_checkpoints_secs=10)
    with pytest.raises(ValueError, match="keep_checkpoint_max=-1"):
        estimator.RunConfig(keep_checkpoint_max=-1)


def test_estimator_spec_checks_what_each_mode_needs():
    with tf.Graph().as_default():
        loss = V1.constant(1.0)
        with pytest.raises(ValueError, match="Missing train_op"):
            estimator.EstimatorSpec(estimator.ModeKeys.TRAIN, loss=loss)
        with pytest.raises(ValueError, match="Missing loss"):
            estimator.EstimatorSpec(estimator.ModeKeys.EVAL)
        with pytest.raises(ValueError, match="Missing predictions"):
            estimator.EstimatorSpec(estimator.ModeKeys.PREDICT)
        with pytest.raises(ValueError, match="Loss must be scalar"):
            estimator.EstimatorSpec(estimator.ModeKeys.EVAL, loss=V1.constant([1.0, 2.0]))
        assert estimator.ModeKeys.PREDICT == "infer"


# --- Estimator: checkpoints, resume, max_steps ----------------------------------------------

class WeightsAtStartHook(V1.train.SessionRunHook):
    """Records the model's weights when the session is created (after any restore)."""

    def after_create_session(self, session, coord):
        self.weights = session.run(graph_variable("weights"))


def test_second_train_resumes_from_the_checkpoint(tmp_path):
    x, y = make_data(32)
    model = make_estimator(tmp_path, save_checkpoints_steps=1000)
    model.train(train_input(x, y), steps=30)
    weights_after_first = model.get_variable_value("weights")
    assert model.get_variable_value("global_step") == 30
    hook = WeightsAtStartHook()
    model.train(train_input(x, y), steps=20, hooks=[hook])
    np.testing.assert_array_equal(hook.weights, weights_after_first)
    assert model.get_variable_value("global_step") == 50
    for name in ("model.ckpt-30.index", "model.ckpt-50.index", "checkpoint"):
        assert (tmp_path / name).exists(), sorted(os.listdir(tmp_path))
    assert V1.train.get_checkpoint_state(str(tmp_path)).model_checkpoint_path.endswith("model.ckpt-50")


def test_checkpoints_follow_save_checkpoints_steps(tmp_path):
    x, y = make_data(16)
    make_estimator(tmp_path, save_checkpoints_steps=4, keep_checkpoint_max=10).train(
        train_input(x, y), steps=10)
    saved = sorted(int(name.split("-")[1].split(".")[0]) for name in os.listdir(tmp_path)
                   if name.startswith("model.ckpt-") and name.endswith(".index"))
    assert saved == [0, 4, 8, 10]


def test_max_steps_is_an_absolute_step(tmp_path, tf_log):
    x, y = make_data(16)
    model = make_estimator(tmp_path)
    model.train(train_input(x, y), max_steps=10)
    assert model.get_variable_value("global_step") == 10
    model.train(train_input(x, y), max_steps=10)
    assert "Skipping training since max_steps has already saved." in tf_log
    model.train(train_input(x, y), max_steps=15)
    assert model.get_variable_value("global_step") == 15
    with pytest.raises(ValueError, match="Can not provide both steps"):
        model.train(train_input(x, y), steps=1, max_steps=20)
    with pytest.raises(ValueError, match="Must specify steps > 0, given: 0"):
        model.train(train_input(x, y), steps=0)


def test_training_ends_when_the_input_ends(tmp_path):
    x, y = make_data(10)
    model = make_estimator(tmp_path)
    model.train(estimator.inputs.numpy_input_fn({"x": x}, y, batch_size=4, num_epochs=2,
                                                shuffle=True))
    assert model.get_variable_value("global_step") == 5  # 20 examples in batches of 4


def test_temporary_model_dir_when_none_is_given(tf_log):
    model = estimator.Estimator(linear_model_fn, params={"learning_rate": 0.1})
    assert os.path.isdir(model.model_dir)
    assert f"Using temporary folder as model directory: {model.model_dir}" in tf_log


# --- Estimator: evaluate and predict ------------------------------------------------------

def test_evaluate_and_predict_need_a_checkpoint(tmp_path):
    x, y = make_data()
    model = make_estimator(tmp_path)
    with pytest.raises(ValueError, match="Could not find trained model in model_dir"):
        model.evaluate(eval_input(x, y))
    with pytest.raises(ValueError, match="Could not find trained model in model_dir"):
        next(model.predict(eval_input(x, None)))


def test_evaluate_restores_the_trained_weights(tmp_path):
    x, y = make_data(10)
    model = make_estimator(tmp_path)
    model.train(train_input(*make_data(32, seed=1)), steps=25)
    results = model.evaluate(eval_input(x, y), name="holdout")
    logits = numpy_logits(model, x)
    assert set(results) == {"accuracy", "loss", "global_step"} and results["global_step"] == 25
    assert results["accuracy"] == pytest.approx(np.mean(logits.argmax(1) == y))
    # tf.metrics.mean of the per-batch losses (batches of 4, 4, 2), as TF1.
    batch_losses = [numpy_cross_entropy(logits[i:i + 4], y[i:i + 4]) for i in (0, 4, 8)]
    assert results["loss"] == pytest.approx(np.mean(batch_losses), rel=1e-5)
    assert results["loss"] < numpy_cross_entropy(np.zeros_like(logits), y)  # training helped
    first_batch = model.evaluate(eval_input(x, y), steps=1)
    assert first_batch["loss"] == pytest.approx(batch_losses[0], rel=1e-5)
    assert os.listdir(model.eval_dir("holdout"))  # the eval summary was written


def test_predict_restores_the_trained_weights(tmp_path):
    x, y = make_data(10)
    model = make_estimator(tmp_path)
    model.train(train_input(x, y), steps=25)
    predictions = list(model.predict(eval_input(x, None)))
    assert len(predictions) == 10 and set(predictions[0]) == {"classes", "logits", "probabilities"}
    logits = np.stack([prediction["logits"] for prediction in predictions])
    np.testing.assert_allclose(logits, numpy_logits(model, x), rtol=1e-5, atol=1e-6)
    assert np.abs(logits).max() > 0.1  # zero-initialized weights would give zero logits
    batches = list(model.predict(eval_input(x, None), predict_keys=["classes"],
                                 yield_single_examples=False))
    assert [sorted(batch) for batch in batches] == [["classes"]] * 3
    assert [len(batch["classes"]) for batch in batches] == [4, 4, 2]


def test_predict_leaves_eager_execution_on_between_examples(tmp_path):
    x, y = make_data(10)
    model = make_estimator(tmp_path)
    model.train(train_input(x, y), steps=1)
    predictions = model.predict(eval_input(x, None))
    next(predictions)
    assert tf.executing_eagerly() and float(tf.constant(1.0) + 1.0) == 2.0
    predictions.close()


def test_model_fn_gets_only_the_arguments_it_declares(tmp_path):
    seen = {}

    def model_fn(features, labels, mode, config):
        seen.update(mode=mode, config=config)
        return linear_model_fn(features, labels, mode, {"learning_rate": 0.1})

    x, y = make_data()
    model = estimator.Estimator(model_fn, model_dir=str(tmp_path))
    model.train(train_input(x, y), steps=1)
    assert seen["mode"] == "train" and seen["config"].model_dir == str(tmp_path)
    with pytest.raises(ValueError, match="does not include params argument"):
        estimator.Estimator(model_fn, params={"learning_rate": 0.1})
    with pytest.raises(ValueError, match="model_fn does not take labels"):
        estimator.Estimator(lambda features, mode: None, model_dir=str(tmp_path)).train(
            train_input(x, y), steps=1)


def test_input_fn_may_return_a_dataset(tmp_path):
    x, y = make_data(8)
    model = make_estimator(tmp_path)
    model.train(lambda: tf.data.Dataset.from_tensor_slices(({"x": x}, y)).batch(4), steps=10)
    assert model.get_variable_value("global_step") == 2  # one pass of 8 examples, then it ends


# --- Hooks and logs ---------------------------------------------------------------------------

class RecordingHook(V1.train.SessionRunHook):
    """Counts each SessionRunHook call and receives the loss from before_run."""

    def __init__(self):
        self.calls = {"begin": 0, "after_create_session": 0, "before_run": 0, "after_run": 0, "end": 0}
        self.losses = []

    def begin(self):
        self.calls["begin"] += 1
        self.loss = V1.get_collection(V1.GraphKeys.LOSSES)[0]

    def after_create_session(self, session, coord):
        self.calls["after_create_session"] += 1

    def before_run(self, run_context):
        self.calls["before_run"] += 1
        return V1.train.SessionRunArgs(self.loss)

    def after_run(self, run_context, run_values):
        self.calls["after_run"] += 1
        self.losses.append(run_values.results)

    def end(self, session):
        self.calls["end"] += 1


def test_user_hook_sees_every_phase_and_stop_at_step_hook_stops(tmp_path):
    x, y = make_data(16)
    hook = RecordingHook()
    make_estimator(tmp_path).train(
        train_input(x, y), hooks=[hook, V1.train.StopAtStepHook(last_step=7)])
    assert hook.calls == {"begin": 1, "after_create_session": 1, "before_run": 7,
                          "after_run": 7, "end": 1}
    assert len(hook.losses) == 7 and hook.losses[-1] < hook.losses[0]


def test_nan_loss_stops_training_with_an_error(tmp_path):
    def nan_model_fn(features, labels, mode, params):
        spec = linear_model_fn(features, labels, mode, params)
        return spec._replace(loss=spec.loss * np.float32("nan"))

    x, y = make_data()
    with pytest.raises(V1.train.NanLossDuringTrainingError):
        make_estimator(tmp_path, model_fn=nan_model_fn).train(train_input(x, y), steps=5)


def test_logs_loss_step_and_rate_lines_and_logging_hook_tensors(tmp_path, tf_log):
    x, y = make_data(16)
    logging_hook = V1.train.LoggingTensorHook({"probabilities": "softmax_tensor"}, every_n_iter=10)
    make_estimator(tmp_path, log_step_count_steps=10).train(
        train_input(x, y), steps=25, hooks=[logging_hook])
    loss_lines = [line for line in tf_log if line.startswith("loss = ")]
    assert [int(re.search(r"step = (\d+)", line).group(1)) for line in loss_lines] == [1, 11, 21]
    assert sum(line.startswith("global_step/sec: ") for line in tf_log) == 2
    assert sum(line.startswith("probabilities = ") for line in tf_log) == 3
    assert any(line.startswith("Loss for final step: ") for line in tf_log)


def test_summaries_are_written(tmp_path):
    def summarized_model_fn(features, labels, mode, params):
        spec = linear_model_fn(features, labels, mode, params)
        bias_summary = V1.summary.scalar("bias_sum", V1.reduce_sum(graph_variable("bias")))
        hook = V1.train.SummarySaverHook(save_steps=1, output_dir=str(tmp_path / "bias"),
                                         summary_op=bias_summary)
        return spec._replace(training_hooks=(hook,))

    x, y = make_data(16)
    make_estimator(tmp_path / "model", model_fn=summarized_model_fn, save_summary_steps=2).train(
        train_input(x, y), steps=6)
    # SummarySaverHook labels a step's summary with the step count after it, as in TF1.
    assert summary_steps(tmp_path / "bias", "bias_sum") == [1, 2, 3, 4, 5, 6]
    assert summary_steps(tmp_path / "model", "loss") == [1, 3, 5]


def summary_steps(directory, tag):
    """Steps at which `directory`'s event files hold a scalar summary `tag`."""
    steps = []
    for name in sorted(os.listdir(directory)):
        if name.startswith("events.out.tfevents"):
            for event in V1.train.summary_iterator(str(directory / name)):
                steps.extend(event.step for value in event.summary.value if value.tag == tag)
    return steps


# --- The programs ----------------------------------------------------------------------------

EXPECTED_TOTAL_PARAMETERS = {
    # kernel_h * kernel_w * in_channels * filters + filters; inputs * units + units.
    "layers_cnn": (5 * 5 * 1 * 32 + 32) + (5 * 5 * 32 * 64 + 64) + (3136 * 1024 + 1024)
                  + (1024 * 10 + 10),
    "lenet5": (5 * 5 * 1 * 6 + 6) + (5 * 5 * 6 * 16 + 16) + (400 * 120 + 120) + (120 * 84 + 84)
              + (84 * 10 + 10),
}
EXPECTED_LAYERS = {
    "layers_cnn": ["reshape", "conv2d", "max_pooling2d", "conv2d_1", "max_pooling2d_1",
                   "flatten", "dense", "dropout", "dense_1"],
    "lenet5": ["reshape", "conv2d", "max_pooling2d", "conv2d_1", "max_pooling2d_1", "flatten",
               "dense", "dense_1", "dense_2"],
}


def build_program(key):
    """The program's graph as the parity harness takes it (a harness.TF1Model)."""
    module = importlib.import_module(f"legacy_tf1.models.{key}")
    return harness.TF1Model.from_builder(lambda: module.build_graph(seed=0))


@pytest.mark.parametrize("key", ["layers_cnn", "lenet5"])
def test_program_structure_matches_the_literals(key):
    with build_program(key) as program:
        endpoints, shapes = program.endpoints, program.variable_shapes()
    assert list(endpoints.layers) == EXPECTED_LAYERS[key]
    assert sum(int(np.prod(shape)) for shape in shapes.values()) == EXPECTED_TOTAL_PARAMETERS[key]
    assert EXPECTED_TOTAL_PARAMETERS == {"layers_cnn": 3_274_634, "lenet5": 61_706}
    assert (tuple(endpoints.layers[EXPECTED_LAYERS[key][5]].shape.as_list())
            == ((None, 3136) if key == "layers_cnn" else (None, 400)))
    assert endpoints.inputs.shape.as_list() == [None, 784] and endpoints.labels.dtype == tf.int32
    assert endpoints.layers[EXPECTED_LAYERS[key][-1]] is endpoints.outputs


def test_layers_cnn_dropout_is_switched_by_the_training_feed():
    with tf.Graph().as_default():
        endpoints = importlib.import_module("legacy_tf1.models.layers_cnn").build_graph(seed=0)
        with V1.Session() as session:
            session.run(V1.global_variables_initializer())
            images = np.random.RandomState(0).rand(8, 784).astype(np.float32)
            fetches = (endpoints.layers["dense"], endpoints.layers["dropout"])
            dense, inference = session.run(fetches, endpoints.feed(images, training=False))
            _, training = session.run(fetches, endpoints.feed(images, training=True))
    np.testing.assert_array_equal(inference, dense)
    kept = training != 0
    dropped_share = 1 - kept.sum() / max((dense != 0).sum(), 1)
    assert 0.25 < dropped_share < 0.55  # rate 0.4
    np.testing.assert_allclose(training[kept], dense[kept] / 0.6, rtol=1e-5)


def run_program(key, model_dir, steps=20):
    return subprocess.run(
        [sys.executable, "-m", f"legacy_tf1.models.{key}", "--steps", str(steps),
         "--model_dir", str(model_dir), "--seed", "1"],
        capture_output=True, text=True, timeout=300)


def printed_results(stdout):
    """The eval dict the program prints, as {name: float}."""
    line = stdout.strip().splitlines()[-1]
    return {name: float(value) for name, value in
            re.findall(r"'(\w+)': (?:np\.\w+\()?([-\d.e]+)\)?", line)}


@pytest.mark.parametrize("key", ["layers_cnn", "lenet5"])
def test_program_trains_evaluates_and_prints_results(key, tmp_path):
    result = run_program(key, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    results = printed_results(result.stdout)
    assert set(results) == {"accuracy", "loss", "global_step"}
    assert results["global_step"] == 20 and 0.0 <= results["accuracy"] <= 1.0
    assert "loss = " in result.stderr and "step = 1" in result.stderr
    assert (tmp_path / "model.ckpt-20.index").exists()
