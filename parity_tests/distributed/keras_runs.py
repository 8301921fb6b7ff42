"""Helpers for the Keras side's distributed tests: `modern_keras.distributed` as real processes."""

import json
import os
import subprocess
import sys

from mnist_core.local_cluster import Cluster
from modern_keras import distributed
from .cluster_runs import CLUSTER_TIMEOUT_S, _Lines


def read_losses(path):
    with open(path, encoding="utf-8") as stream:
        return {int(step): loss for step, loss in json.load(stream).items()}


def keras_cluster(workers, arguments, timeout_s=CLUSTER_TIMEOUT_S):
    """A not-yet-started Cluster of `workers` MultiWorkerMirroredStrategy workers, and its sink."""
    options = distributed.parse_arguments(["launch", "--workers", str(workers), *arguments])
    sink = _Lines()
    return Cluster(distributed.worker_commands(options, arguments), timeout_s, output=sink), sink


def single_process(arguments, timeout_s=CLUSTER_TIMEOUT_S):
    """One process on the whole global batch (no TF_CONFIG): the baseline."""
    env = {key: value for key, value in os.environ.items() if key != "TF_CONFIG"}
    return subprocess.run([sys.executable, "-m", "modern_keras.distributed", "train", *arguments],
                          env=env, capture_output=True, text=True, timeout=timeout_s, check=False)


def backed_up_step(backup_dir):
    return distributed.backed_up_step(str(backup_dir))
