"""A worker killed with SIGKILL mid-training: the restarted cluster resumes from the last
checkpoint (TF1: MonitoredTrainingSession's chief; Keras: BackupAndRestore) and loses at
most the steps since it. Slow: each test runs two clusters, and Keras a baseline too."""

import re
import signal

import numpy as np
import pytest

from mnist_core import exit_codes
from . import cluster_runs, keras_runs
from tf1_to_keras.harness import tolerances

pytestmark = pytest.mark.slow
TF1_INTERVAL = 10  # global steps between the chief's checkpoints


def _kill_when(launched, task_name, condition, what):
    """Starts `launched`, SIGKILLs `task_name` once `condition()`; returns the cluster's status."""
    try:
        launched.start()
        cluster_runs.wait_for(condition, 180, what)
        next(task for task in launched.tasks if task.name == task_name).kill(signal.SIGKILL)
        return launched.watch()
    finally:
        launched.stop()


def test_tf1_cluster_resumes_from_the_chiefs_checkpoint_after_a_sigkill(tmp_path):
    directory = str(tmp_path)
    arguments = ["--checkpoint_dir", directory, "--save_checkpoint_steps", str(TF1_INTERVAL),
                 "--step_sleep", "0.3"]
    launched, sink = cluster_runs.tf1_cluster("monitored_replica.py", [*arguments, "--last_step", "400"])
    status = _kill_when(launched, "worker:0", lambda: (cluster_runs.checkpoint_step(directory) or 0) >= 20,
                        "a checkpoint of step >= 20")
    text = sink.text()
    assert status == exit_codes.RUN_FAILED
    assert "[cluster] task worker:0 failed with exit status -9" in text
    saved = cluster_runs.checkpoint_step(directory)
    # The program prints the global step read in the same run as its update: one behind.
    reached = max(int(step) for step in re.findall(r"global step (\d+) loss", text)) + 1
    status, text = cluster_runs.run_tf1("monitored_replica.py", [*arguments, "--last_step", str(saved + 10)])
    assert status == exit_codes.OK, text[-3000:]
    resumed = int(re.search(r"\[worker:0\] worker 0: first step at global step (\d+)", text).group(1))
    assert resumed == saved  # the chief restored the last checkpoint, not step 0
    # Lost: what the killed run trained after its last checkpoint (both workers add steps).
    assert 0 <= reached - saved <= TF1_INTERVAL + 2
    assert cluster_runs.checkpoint_step(directory) >= saved + 10


def test_keras_workers_resume_from_backup_and_restore_after_a_sigkill(tmp_path):
    backup = tmp_path / "backup"
    arguments = ["--steps", "20", "--global_batch", "100", "--seed", "0", "--backup_dir", str(backup)]
    launched, sink = keras_runs.keras_cluster(
        2, [*arguments, "--step_sleep", "0.5", "--losses", str(tmp_path / "killed{index}.json")])
    status = _kill_when(launched, "worker:1", lambda: keras_runs.backed_up_step(backup) >= 5,
                        "a backup of step >= 5")
    assert status == exit_codes.RUN_FAILED
    assert "[cluster] task worker:1 failed with exit status -9" in sink.text()
    saved = keras_runs.backed_up_step(backup)
    killed = keras_runs.read_losses(tmp_path / "killed0.json")
    assert 0 <= max(killed) - saved <= 1  # the chief backs up every step
    launched, sink = keras_runs.keras_cluster(2, [*arguments, "--losses", str(tmp_path / "resumed{index}.json")])
    status = launched.run()
    text = sink.text()
    assert status == exit_codes.OK, text[-3000:]
    for index in (0, 1):
        assert f"[worker:{index}] worker {index}: resuming after step {saved} of 20" in text
    assert not backup.exists()  # removed once the run completed
    baseline = keras_runs.single_process([*arguments[:6], "--losses", str(tmp_path / "single.json")])
    assert baseline.returncode == 0, baseline.stderr[-3000:]
    single = keras_runs.read_losses(tmp_path / "single.json")
    resumed = keras_runs.read_losses(tmp_path / "resumed0.json")
    assert sorted(resumed) == list(range(saved + 1, 21))
    # The resumed steps are the uninterrupted run's steps: weights, optimizer state and batches.
    np.testing.assert_allclose([resumed[step] for step in resumed], [single[step] for step in resumed],
                               rtol=0, atol=tolerances.EARLY_LOSS_ATOL)
