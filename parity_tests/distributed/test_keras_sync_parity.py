"""Synchronous data parallelism is exact arithmetic: 2 MultiWorkerMirroredStrategy workers,
each on half of every global batch, take the steps one process takes on the whole batch."""

import subprocess
import sys

import numpy as np
import pytest

from mnist_core import exit_codes
from modern_keras import distributed
from . import keras_runs
from tf1_to_keras.harness import tolerances

STEPS = tolerances.EARLY_STEPS
GLOBAL_BATCH = 100


@pytest.mark.slow  # 20-40 s of a 2-core CI run: the default run stays under 5 minutes
def test_two_workers_on_half_batches_match_one_process_on_the_whole_batch(tmp_path):
    arguments = ["--steps", str(STEPS), "--global_batch", str(GLOBAL_BATCH), "--seed", "0"]
    launched, sink = keras_runs.keras_cluster(
        2, [*arguments, "--losses", str(tmp_path / "worker{index}.json")])
    status = launched.run()
    assert status == exit_codes.OK, sink.text()[-3000:]
    baseline = keras_runs.single_process([*arguments, "--losses", str(tmp_path / "single.json")])
    assert baseline.returncode == 0, baseline.stderr[-3000:]
    single = keras_runs.read_losses(tmp_path / "single.json")
    workers = [keras_runs.read_losses(tmp_path / f"worker{index}.json") for index in (0, 1)]
    assert sorted(single) == list(range(1, STEPS + 1))
    for losses in workers:
        assert losses.keys() == single.keys()
        np.testing.assert_allclose([losses[step] for step in single], list(single.values()),
                                   rtol=0, atol=tolerances.EARLY_LOSS_ATOL)
    assert single[STEPS] < 0.5 * single[1]  # it trains: the check compares moving numbers


def test_shards_split_every_global_batch_and_reject_an_uneven_split():
    assert distributed.shard_rows(100, 2, 0) == slice(0, 50)
    assert distributed.shard_rows(100, 2, 1) == slice(50, 100)
    with pytest.raises(ValueError, match="--global_batch 101 does not split over 2 workers"):
        distributed.shard_rows(101, 2, 0)


@pytest.mark.slow
def test_a_different_batch_order_is_caught_by_the_same_bar(tmp_path):
    """The check must reject a run that is not the same training (another seed's batches)."""
    first = keras_runs.single_process(["--steps", "3", "--seed", "0", "--losses", str(tmp_path / "a.json")])
    second = keras_runs.single_process(["--steps", "3", "--seed", "1", "--losses", str(tmp_path / "b.json")])
    assert first.returncode == second.returncode == 0
    a, b = keras_runs.read_losses(tmp_path / "a.json"), keras_runs.read_losses(tmp_path / "b.json")
    assert np.max(np.abs(np.array(list(a.values())) - np.array(list(b.values())))) > tolerances.EARLY_LOSS_ATOL


def test_launch_rejects_an_uneven_split_before_starting_any_worker():
    result = subprocess.run(
        [sys.executable, "-m", "modern_keras.distributed", "launch", "--workers", "2",
         "--global_batch", "101"], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == exit_codes.BAD_INPUT
    assert "--global_batch 101 does not split over 2 workers" in result.stderr
    assert "[worker:" not in result.stdout
