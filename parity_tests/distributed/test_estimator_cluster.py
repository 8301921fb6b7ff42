"""tf.estimator.train_and_evaluate on a local cluster from TF_CONFIG (ps, chief, worker,
evaluator), and the RunConfig's reading of TF_CONFIG."""

import json
import os
import re

import numpy as np
import pytest
import tensorflow as tf

from legacy_tf1.compat import estimator
from legacy_tf1.compat.estimator import cluster_config
from mnist_core import exit_codes, mnist
from . import cluster_runs

MAX_STEPS = 40


@pytest.fixture(scope="module")
def estimator_run(tmp_path_factory):
    model_dir = str(tmp_path_factory.mktemp("estimator_cluster"))
    status, text = cluster_runs.run_tf1(
        "estimator_cluster.py", ["--model_dir", model_dir, "--max_steps", str(MAX_STEPS)],
        ps=1, workers=2, tf_config=True, evaluator=True, timeout_s=180)
    return status, text, model_dir


def _numpy_accuracy(model_dir, images, labels):
    """The accuracy of the latest checkpoint's weights, computed without TensorFlow's graph."""
    reader = tf.train.load_checkpoint(tf.train.latest_checkpoint(model_dir))
    hidden = np.maximum(images @ reader.get_tensor("hidden/kernel") + reader.get_tensor("hidden/bias"), 0)
    logits = hidden @ reader.get_tensor("logits/kernel") + reader.get_tensor("logits/bias")
    return float(np.mean(np.argmax(logits, axis=1) == labels))


# slow: four TensorFlow processes (ps, chief, worker, evaluator) on 2 shared cores: 37-42 s.
@pytest.mark.slow
def test_every_task_finishes_and_the_chief_checkpoints_on_the_ps_variables(estimator_run):
    status, text, model_dir = estimator_run
    assert status == exit_codes.OK, text[-3000:]
    for task in ("[worker:0] task chief:0 done", "[worker:1] task worker:0 done",
                 "[evaluator:0] task evaluator:0 done"):
        assert task in text
    assert "[cluster] all workers finished; stopping the parameter servers" in text
    assert "[worker:1] INFO:tensorflow:Loss for final step" in text  # the worker trained too
    # Async: the other worker's step in flight may land after the chief's stop (as in TF1).
    assert MAX_STEPS <= cluster_runs.checkpoint_step(model_dir) <= MAX_STEPS + 1
    # Between-graph: the chief's graph put every variable on the parameter server.
    graph = open(os.path.join(model_dir, "graph.pbtxt"), encoding="utf-8").read()
    kernel = re.search(r'name: "hidden/kernel"\s+op: "\w+"\s+device: "([^"]+)"', graph)
    assert kernel is not None and kernel.group(1).startswith("/job:ps/task:0"), kernel


@pytest.mark.slow
def test_the_evaluator_evaluated_the_final_checkpoint(estimator_run):
    status, text, model_dir = estimator_run
    assert status == exit_codes.OK, text[-3000:]
    found = re.search(r"\[evaluator:0\] task evaluator:0 metrics: global_step (\d+) accuracy ([\d.]+)",
                      text)
    assert found is not None, text[-3000:]
    assert int(found.group(1)) == cluster_runs.checkpoint_step(model_dir)  # the final one
    _, (test_images, test_labels) = mnist.load_data()
    images = test_images[:1000].reshape(-1, 784).astype(np.float32) * (1.0 / 255.0)
    expected = _numpy_accuracy(model_dir, images, test_labels[:1000])
    assert expected > 0.6
    assert float(found.group(2)) == pytest.approx(expected, abs=1e-3)


def _info(tf_config):
    return cluster_config.from_environment({"TF_CONFIG": json.dumps(tf_config)})


CLUSTER = {"chief": ["127.0.0.1:1"], "worker": ["127.0.0.1:2"], "ps": ["127.0.0.1:3"]}


def test_tf_config_gives_each_task_its_role_and_master():
    chief = _info({"cluster": CLUSTER, "task": {"type": "chief", "index": 0}})
    assert (chief.is_chief, chief.master, chief.num_ps_replicas, chief.num_worker_replicas) == (
        True, "grpc://127.0.0.1:1", 1, 2)
    assert cluster_config.device_filters(chief) == ["/job:ps", "/job:chief/task:0"]
    worker = _info({"cluster": CLUSTER, "task": {"type": "worker", "index": 0}})
    assert (worker.is_chief, worker.master) == (False, "grpc://127.0.0.1:2")
    evaluator = _info({"cluster": CLUSTER, "task": {"type": "evaluator", "index": 0}})
    assert (evaluator.is_chief, evaluator.master, evaluator.num_ps_replicas) == (False, "", 0)
    assert cluster_config.from_environment({}) is cluster_config.LOCAL


@pytest.mark.parametrize("tf_config, message", [
    ("{not json", "TF_CONFIG is not JSON"),
    (json.dumps({"cluster": CLUSTER, "task": {"type": "worker", "index": 3}}),
     "worker:3 is not in the cluster"),
    (json.dumps({"cluster": CLUSTER}), "a cluster without task.type"),
])
def test_bad_tf_config_is_named(tf_config, message):
    with pytest.raises(ValueError, match=message):
        cluster_config.from_environment({"TF_CONFIG": tf_config})


def _linear_model_fn(features, labels, mode):
    """Softmax regression on 4 numbers, zero-initialised (TF1 style)."""
    v1 = tf.compat.v1
    weights = v1.get_variable("weights", [4, 2], initializer=v1.zeros_initializer())
    logits = v1.matmul(features["x"], weights)
    loss = v1.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    train_op = v1.train.GradientDescentOptimizer(0.5).minimize(loss, global_step=v1.train.get_global_step())
    return estimator.EstimatorSpec(mode, loss=loss, train_op=train_op, eval_metric_ops={
        "accuracy": v1.metrics.accuracy(labels, v1.argmax(logits, 1))})


def test_without_a_cluster_train_and_evaluate_trains_then_evaluates(tmp_path, monkeypatch):
    monkeypatch.delenv("TF_CONFIG", raising=False)
    x = np.random.RandomState(0).randn(40, 4).astype(np.float32)
    y = (x[:, 0] + x[:, 1] > 0).astype(np.int32)
    model = estimator.Estimator(_linear_model_fn, model_dir=str(tmp_path),
                                config=estimator.RunConfig(tf_random_seed=0))
    train = estimator.TrainSpec(estimator.inputs.numpy_input_fn(
        {"x": x}, y, batch_size=8, num_epochs=None, shuffle=True), max_steps=10)
    evaluation = estimator.EvalSpec(estimator.inputs.numpy_input_fn(
        {"x": x}, y, batch_size=8, num_epochs=1, shuffle=False), steps=None)
    metrics, exports = estimator.train_and_evaluate(model, train, evaluation)
    assert metrics["global_step"] == 10 and exports == []
    assert cluster_runs.checkpoint_step(str(tmp_path)) == 10
    weights = model.get_variable_value("weights")
    assert metrics["accuracy"] == pytest.approx(np.mean(np.argmax(x @ weights, axis=1) == y))
    assert metrics["accuracy"] > 0.8


def test_exporters_are_refused():
    with pytest.raises(ValueError, match="exporters are not supported"):
        estimator.EvalSpec(lambda: None, exporters=["latest"])
