"""`tf1-to-keras verify --backend jax` and the pytest plugin's `--parity-backend` / `backend=`:
the forward check of a team's own port run on another Keras backend, in its own process.
Each runs a JAX child process, so they are all behind `slow` (test_port_backends has the
default run's one JAX port)."""

import importlib
import json
import pathlib
import pkgutil

import numpy as np
import pytest

from mnist_core import exit_codes
from tf1_to_keras import cli as tf1_to_keras_cli
from tf1_to_keras.harness import backend_process

pytest_plugins = ["pytester"]
needs_jax = pytest.mark.skipif(not backend_process.backend_installed("jax"),
                               reason="JAX is not installed (pip install jax)")
ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "hold_your_port"
TWINS = ROOT / "parity_tests" / "library" / "harness" / "harness_twins.py"

BACKEND_TESTS = """
import pytest

import harness_twins as twins

x = twins.classification_data()[0]
pytestmark = pytest.mark.parity(tf1=twins.build_regression_mlp, keras=twins.keras_regression_mlp,
                                backend="jax")


def test_same_outputs_on_jax(parity):
    parity.forward(x)


@pytest.mark.parity(keras=lambda: twins.keras_regression_mlp())
def test_a_lambda_cannot_be_built_in_another_process(parity):
    parity.forward(x)
"""


@pytest.fixture(autouse=True, scope="module")
def harness_loaded_before_pytester():
    """As test_plugin.py: the harness imported before pytester's in-process runs drop modules."""
    from tf1_to_keras import harness, report_files  # noqa: F401
    for module in pkgutil.iter_modules(harness.__path__):
        importlib.import_module(f"{harness.__name__}.{module.name}")


@pytest.mark.slow
@needs_jax
def test_verify_runs_the_forward_check_on_jax_too(tmp_path):
    import sys
    sys.path.insert(0, str(EXAMPLE))
    try:
        import churn_tf1
        x, y = churn_tf1.load_data()
    finally:
        sys.path.remove(str(EXAMPLE))
    np.savez(tmp_path / "data.npz", x=x[-300:], y=y[-300:])
    status = tf1_to_keras_cli.main([
        "verify", "--tf1", f"{EXAMPLE / 'churn_tf1.py'}:build_graph", "--keras",
        f"{EXAMPLE / 'churn_keras.py'}:build_model", "--name-map", str(EXAMPLE / "name_map.json"),
        "--data", str(tmp_path / "data.npz"), "--steps", "3", "--backend", "jax", "--out", str(tmp_path / "out")])
    entry = next(iter(json.loads((tmp_path / "out" / "report.json").read_text())["models"].values()))
    jax = entry["backends"]["jax"]
    assert status == exit_codes.OK and entry["passed"] and jax["passed"], entry["failures"]
    assert jax["versions"]["backend"] == "jax" and 0 <= jax["forward_max_abs_diff"] <= 1e-5
    assert jax["forward_layers"] and max(jax["forward_layers"].values()) <= 1e-5


@pytest.mark.slow
@needs_jax
def test_the_plugin_checks_forward_on_the_markers_backend(pytester):
    pytester.makepyfile(harness_twins=TWINS.read_text(), test_on_jax=BACKEND_TESTS)
    result = pytester.runpytest("--parity-report-dir", "reports", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*another backend's process imports it by name*"])
    report = json.loads((pytester.path / "reports" / "test_on_jax.py__test_same_outputs_on_jax.json").read_text())
    jax = report["backends"]["jax"]
    assert report["outcome"] == "passed" and jax["passed"] and jax["forward_max_abs_diff"] <= 1e-5
    assert set(jax["forward_layers"]) == {"hidden1", "hidden2", "output"}


PLAIN_TESTS = """
import pytest

import harness_twins as twins


@pytest.mark.parity(tf1=twins.build_deep_mlp, keras=twins.keras_deep_mlp)
def test_same_outputs(parity):
    parity.forward(twins.classification_data()[0])
"""


def test_an_unknown_parity_backend_is_refused(pytester):
    pytester.makepyfile(harness_twins=TWINS.read_text(), test_plain=PLAIN_TESTS)
    result = pytester.runpytest("--parity-backend", "mxnet", "-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*unknown Keras backend 'mxnet'*"])
