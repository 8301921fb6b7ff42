"""backend_process: Keras work on another backend, in a fresh process (KERAS_BACKEND=X).

The child functions below are importable from the child because it gets this process's
sys.path (pytest put this directory on it)."""

import numpy as np
import pytest

from tf1_to_keras.harness import backend_process
from tf1_to_keras.harness.backend_process import (BackendError, BackendUnavailable,
                                                  run_on_backend)

needs_jax = pytest.mark.skipif(not backend_process.backend_installed("jax"),
                               reason="JAX is not installed (pip install jax)")


def dense_forward(x, kernel, bias, activation):
    """A Keras Dense layer with the given weights, on whatever backend Keras loaded."""
    import keras
    layer = keras.layers.Dense(kernel.shape[1], activation=activation, name="dense")
    layer.build(x.shape)
    layer.set_weights([kernel, bias])
    return {"y": keras.ops.convert_to_numpy(layer(x)), "backend": keras.backend.backend(),
            "rows": int(x.shape[0])}


def fails_loudly(message):
    raise RuntimeError(f"child says: {message}")


def sleeps(seconds):
    import time
    time.sleep(seconds)
    return {}


def test_unknown_backend_names_the_known_ones():
    with pytest.raises(ValueError, match="unknown Keras backend 'jaxx'.*tensorflow, jax, torch"):
        run_on_backend("jaxx", "math:sqrt")
    with pytest.raises(ValueError, match="unknown Keras backend 'numpy'"):
        backend_process.parse_backends("tensorflow,numpy")
    with pytest.raises(ValueError, match="no Keras backend named"):
        backend_process.parse_backends(" , ")
    assert backend_process.parse_backends("jax, tensorflow,jax") == ("jax", "tensorflow")


def test_bad_requests_are_value_errors_before_any_process():
    with pytest.raises(ValueError, match="expected 'package.module:function'"):
        run_on_backend("tensorflow", "no_colon_here")
    with pytest.raises(ValueError, match=r"arrays\['x'\] is list, expected a NumPy array"):
        run_on_backend("tensorflow", "math:sqrt", arrays={"x": [1.0]})
    with pytest.raises(ValueError, match="x given both as args and as arrays"):
        run_on_backend("tensorflow", "math:sqrt", args={"x": 1}, arrays={"x": np.zeros(1)})
    with pytest.raises(ValueError, match="not JSON-able"):
        run_on_backend("tensorflow", "math:sqrt", args={"x": object()})


@pytest.mark.skipif(backend_process.backend_installed("torch"), reason="PyTorch is installed here")
def test_a_backend_not_installed_says_what_to_install():
    with pytest.raises(BackendUnavailable, match=r"backend .torch. needs PyTorch.*pip install .mnist-parity\[torch\]."):
        run_on_backend("torch", "math:sqrt")


@needs_jax
def test_jax_child_returns_arrays_and_json_equal_to_the_tensorflow_forward():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 20)).astype(np.float32)
    kernel = rng.normal(size=(20, 7)).astype(np.float32)
    bias = rng.normal(size=(7,)).astype(np.float32)
    result = run_on_backend("jax", f"{__name__}:dense_forward", args={"activation": "tanh"},
                            arrays={"x": x, "kernel": kernel, "bias": bias}, timeout_s=300)
    assert result.values["backend"] == "jax" and result.versions["backend"] == "jax"
    assert result.versions["jax"] and result.values["rows"] == 64
    assert result.values["y"].dtype == np.float32 and result.values["y"].shape == (64, 7)
    np.testing.assert_allclose(result.values["y"], np.tanh(x @ kernel + bias), atol=1e-5)


@pytest.mark.slow
@needs_jax
def test_a_failing_child_raises_with_its_stderr_tail_and_the_backend():
    with pytest.raises(BackendError, match=r"(?s)fails_loudly failed on Keras backend 'jax'"
                                           r".*child says: boom") as raised:
        run_on_backend("jax", f"{__name__}:fails_loudly", args={"message": "boom"}, timeout_s=300)
    assert raised.value.backend == "jax" and "RuntimeError" in raised.value.stderr_tail


@pytest.mark.slow
def test_a_child_past_its_timeout_is_stopped_and_named():
    with pytest.raises(BackendError, match=r"sleeps on Keras backend 'tensorflow' did not "
                                           r"finish in 20 s"):
        run_on_backend("tensorflow", f"{__name__}:sleeps", args={"seconds": 120}, timeout_s=20)
