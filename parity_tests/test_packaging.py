"""`pip install .` must give a working kit with its data: the wheel carries the MNIST file,
the console command, and the pytest plugin's entry point (so installing is enough)."""

import subprocess
import sys
import zipfile

import pytest


def test_wheel_contains_data_console_command_and_pytest_plugin(tmp_path):
    pytest.importorskip("setuptools")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(tmp_path), "."], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    wheel, = tmp_path.glob("mnist_parity-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(n for n in names if n.endswith("entry_points.txt"))
        declared = archive.read(entry_points).decode()
        assert "mnist-parity = mnist_parity.cli:main" in declared
        assert "tf1-to-keras = tf1_to_keras.cli:main" in declared
        assert "[pytest11]\ntf1_to_keras = tf1_to_keras.pytest_plugin" in declared
    assert "mnist_core/data/mnist.npz" in names
    for package in ("legacy_tf1/models/deep_cnn.py", "modern_keras/models/deep_cnn.py",
                    "tf1_to_keras/pytest_plugin.py",
                    "legacy_tf1/compat/examples/tutorials/mnist/input_data.py"):
        assert package in names
