"""Keras DataParallel on JAX (2 CPU devices from XLA's host-platform flag) steps as one device:
the first 10 losses within the step tolerance. Each side is its own process (KERAS_BACKEND is
read when Keras is imported)."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from mnist_core import exit_codes
from tf1_to_keras.harness import closeness, tolerances

pytest.importorskip("jax")


def _run(*arguments):
    environment = dict(os.environ, KERAS_BACKEND="jax", JAX_PLATFORMS="cpu",
                       XLA_FLAGS="--xla_force_host_platform_device_count=2")
    return subprocess.run([sys.executable, "-m", "modern_keras.data_parallel", *arguments],
                          capture_output=True, text=True, timeout=300, env=environment, check=False)


def _losses(devices):
    result = _run("--devices", str(devices), "--steps", str(tolerances.EARLY_STEPS),
                  "--global_batch", "100", "--seed", "0")
    assert result.returncode == exit_codes.OK, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.slow  # two JAX processes: 40-110 s on 2 shared cores
def test_two_devices_step_as_one():
    one, two = _losses(1), _losses(2)
    assert two["weight_replicas"] == 2 and one["weight_replicas"] == 1  # really on 2 devices
    closeness.assert_close(np.array(two["losses"]), np.array(one["losses"]),
                           name="DataParallel on 2 JAX devices vs 1", atol=tolerances.EARLY_LOSS_ATOL)
    assert np.mean(one["losses"][-3:]) < 0.5 * one["losses"][0]


@pytest.mark.slow  # the check needs JAX imported: 10-30 s on 2 shared cores
def test_more_devices_than_the_process_has_is_bad_input():
    result = _run("--devices", "3", "--steps", "1")
    assert result.returncode == exit_codes.BAD_INPUT
    assert "--devices 3: this process has 2 device(s)" in result.stderr
