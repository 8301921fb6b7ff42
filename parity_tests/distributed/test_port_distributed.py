"""`tf1-to-keras port --cluster` of a between-graph program (mnist_replica.py with
SyncReplicasOptimizer, variables on the ps): the distribution is read and recorded, the model
and weights come out as the single-process program's, and the written train_distributed.py
trains on 2 local workers as one process does on their joint batch."""

import json
import os
import sys

import h5py
import numpy as np
import pytest

from mnist_core import exit_codes, mnist
from mnist_core.local_cluster import Cluster, cluster_spec, tf_config
from tf1_to_keras.harness import closeness, tolerances
from tf1_to_keras.porting import engine
from . import cluster_runs

BATCH, STEPS = 20, 6
pytestmark = pytest.mark.slow  # two ports (~50 s each) and three Keras processes on 2 cores


@pytest.fixture(scope="module")
def ports(tmp_path_factory):
    root = tmp_path_factory.mktemp("ports")
    sync = engine.port_program(cluster_runs.program("mnist_replica.py"),
                               ["--logdir", str(root / "log"), "--sync_replicas"],
                               str(root / "sync"), cluster="flags")
    single = engine.port_program(cluster_runs.program("mnist_single.py"), [], str(root / "single"))
    return sync, single


def _weights(path):
    arrays = {}
    with h5py.File(path, "r") as stream:
        stream.visititems(lambda name, item: arrays.__setitem__(name, item[()])
                          if isinstance(item, h5py.Dataset) else None)
    return arrays


def _without_docstring(path):
    text = open(path, encoding="utf-8").read()
    return text.split('"""', 2)[2].replace("mnist_single", "mnist_replica")


def test_the_distribution_is_read_and_recorded(ports):
    sync, _ = ports
    assert sync.passed, sync.document["failures"]
    distribution = sync.document["distribution"]
    placement = distribution["placement"]
    assert placement["replica_device_setter"] and placement["jobs"]["ps"] == [0]
    assert placement["variables"]["hid_w"].startswith("/job:ps/task:0")
    assert distribution["sync_replicas"] == {
        "optimizer": "SyncReplicasOptimizer", "wrapped_optimizer": "AdamOptimizer",
        "replicas_to_aggregate": 1, "total_num_replicas": 1,  # the capture's 1-worker cluster
        "accumulated_variables": ["hid_b", "hid_w", "sm_b", "sm_w"]}
    assert distribution["per_worker_batch"] == 100 and "train_distributed.py" in sync.files


def test_model_and_weights_are_the_single_process_programs(ports):
    sync, single = ports
    assert single.passed and "distribution" not in single.document
    assert _without_docstring(os.path.join(sync.out, "model.py")) == _without_docstring(
        os.path.join(single.out, "model.py"))
    assert sync.document["optimizer"] == single.document["optimizer"]  # Adam, its Keras twin
    ours, theirs = _weights(os.path.join(sync.out, "model.weights.h5")), _weights(
        os.path.join(single.out, "model.weights.h5"))
    assert ours.keys() == theirs.keys() and ours
    for name, value in ours.items():
        np.testing.assert_array_equal(value, theirs[name], err_msg=name)


def _data(path):
    (images, labels), _ = mnist.load_data()
    x = images[:2000].reshape(-1, 784).astype(np.float32) * (1.0 / 255.0)
    np.savez(path, x=x, y=np.eye(10, dtype=np.float32)[labels[:2000]])


def _train(out, tmp_path, workers):
    """{step: loss} of train_distributed.py on `workers` local workers (1: no TF_CONFIG)."""
    losses = tmp_path / f"losses{workers}.json"
    argv = [sys.executable, os.path.join(out, "train_distributed.py"), "--data", str(tmp_path / "data.npz"),
            "--steps", str(STEPS), "--batch", str(BATCH * (2 // workers)), "--losses", str(losses),
            "--backup_dir", str(tmp_path / f"backup{workers}")]
    spec = cluster_spec(0, workers)
    commands = [(f"worker:{index}", argv, dict(os.environ, TF_CONFIG=tf_config(spec, "worker", index))
                 if workers > 1 else dict(os.environ)) for index in range(workers)]
    sink = cluster_runs._Lines()  # pylint: disable=protected-access
    status = Cluster(commands, 240, output=sink).run()
    assert status == exit_codes.OK, sink.text()[-3000:]
    return [value for _, value in sorted(json.loads(losses.read_text()).items(), key=lambda kv: int(kv[0]))]


def test_train_distributed_on_two_workers_steps_as_one_process(ports, tmp_path):
    sync, _ = ports
    _data(tmp_path / "data.npz")
    two, one = _train(sync.out, tmp_path, 2), _train(sync.out, tmp_path, 1)
    assert len(two) == len(one) == STEPS
    assert np.mean(two[-2:]) < 0.8 * np.mean(two[:2]), two
    # W workers on B each step as one process on W x B (the loss here is TF1's reduce_sum).
    difference = closeness.assert_close(np.array(two), np.array(one), name="2 workers vs 1 process",
                                        atol=tolerances.EARLY_LOSS_ATOL, rtol=tolerances.EARLY_LOSS_RTOL)
    print(f"train_distributed.py, 2 workers vs 1 process, {STEPS} steps: max |loss diff| {difference:.3g}; "
          f"losses {two} vs {one}")
    assert not os.path.exists(tmp_path / "backup2" / "training_metadata.json")  # removed at the end


def test_an_estimator_program_ports_from_its_tf_config_cluster(tmp_path):
    """--cluster tf-config: the Estimator's chief trains between-graph with its ps in the capture."""
    result = engine.port_program(cluster_runs.program("estimator_cluster.py"),
                                 ["--model_dir", str(tmp_path / "model_dir")], str(tmp_path / "out"),
                                 cluster="tf-config")
    assert result.passed, result.document["failures"]
    placement = result.document["distribution"]["placement"]
    assert placement["variables"]["hidden/kernel"].startswith("/job:ps/task:0")
    assert placement["compute_devices"] == ["/job:chief/task:0"]
    assert [layer["name"] for layer in result.document["layers"]] == ["hidden", "logits"]
    script = open(os.path.join(result.out, "train_distributed.py"), encoding="utf-8").read()
    # fed by tf.data: the capture reads the batch its iterator gave the training run (--batch_size 50)
    assert "PER_WORKER_BATCH = 50" in script
    compile(script, "train_distributed.py", "exec")
