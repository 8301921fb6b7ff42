"""Run Keras work on backend X: the one home for it (verify, port, the pytest plugin and the
kit's `compare --keras-backend` all call `run_on_backend`).

Keras picks its backend once, at import (KERAS_BACKEND), so each backend runs in a fresh
Python process with KERAS_BACKEND set and this process's sys.path as its PYTHONPATH. The
child calls a named importable function ("package.module:function") with JSON-able keyword
arguments plus NumPy arrays (passed through an .npz in a temporary directory, never pickles
of Keras objects) and returns its dict: NumPy array values come back through an .npz, the rest
through JSON.

    from tf1_to_keras.harness.backend_process import run_on_backend
    result = run_on_backend("jax", "my_pkg.checks:forward", args={"model_dir": "port/"},
                            arrays={"x": x_test[:1000]}, timeout_s=300)
    result.values["logits"]        # np.ndarray, computed under Keras on JAX
    result.versions                # {"keras": "3.15.0", "jax": "0.10.0", "backend": "jax"}

The child function is called as `function(**args, **arrays)` and must return a dict with
string keys whose values are np.ndarray or JSON-able. Failures raise `BackendError` (a
RuntimeError) naming the backend and the function, with the child's stderr tail; a backend
whose package is not installed raises `BackendUnavailable` (one of them) with the pip command;
an unknown backend name raises ValueError.
"""

import dataclasses
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

__all__ = ["BACKENDS", "BackendError", "BackendUnavailable", "BackendResult", "check_backend",
           "backend_installed", "require_backend", "parse_backends", "run_on_backend"]

BACKENDS = ("tensorflow", "jax", "torch")
# The package each backend needs and how to get it (torch: the CPU wheel, see docs/BACKENDS.md).
_PACKAGES = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}
_INSTALL = {"tensorflow": "pip install tensorflow",
            "jax": "pip install 'mnist-parity[jax]' (or: pip install jax)",
            "torch": "pip install 'mnist-parity[torch]' (or the CPU wheel alone: pip install "
                     "'torch==2.13.0+cpu'; docs/BACKENDS.md)"}
_REQUIRED_BY = {"tensorflow": "TensorFlow", "jax": "JAX", "torch": "PyTorch"}
STDERR_TAIL_LINES = 25
DEFAULT_TIMEOUT_S = 600


class BackendError(RuntimeError):
    """Keras work on one backend failed: the child exited non-zero, timed out or broke the protocol."""

    def __init__(self, message, backend=None, stderr_tail=""):
        self.backend, self.stderr_tail = backend, stderr_tail
        super().__init__(message)


class BackendUnavailable(BackendError, ValueError):
    """The backend's package is not installed in this Python (a ValueError too: a command
    reports it as bad input, exit status 2)."""


@dataclasses.dataclass
class BackendResult:
    """What the child returned: `values` (arrays and JSON values by key), the child's package
    `versions` (keras, the backend's package, and `backend` as Keras reported it), `seconds`
    (wall time of the whole child, imports included)."""
    backend: str
    values: dict
    versions: dict
    seconds: float


def check_backend(name):
    """The backend name, checked: ValueError naming the known ones otherwise."""
    if name not in BACKENDS:
        raise ValueError(f"unknown Keras backend {name!r}: expected one of {', '.join(BACKENDS)}")
    return name


def parse_backends(text):
    """'tensorflow,jax' -> ('tensorflow', 'jax'): each checked, duplicates dropped, order kept."""
    names = [part.strip() for part in str(text).split(",") if part.strip()]
    if not names:
        raise ValueError(f"no Keras backend named in {text!r}: expected a comma-separated list "
                         f"of {', '.join(BACKENDS)}")
    return tuple(dict.fromkeys(check_backend(name) for name in names))


def backend_installed(name):
    """Whether the backend's package can be imported here (found, not imported: cheap)."""
    return importlib.util.find_spec(_PACKAGES[check_backend(name)]) is not None


def require_backend(name):
    """BackendUnavailable with the pip command unless the backend's package is installed."""
    if not backend_installed(name):
        raise BackendUnavailable(f"backend {name!r} needs {_REQUIRED_BY[name]}, which is not "
                                 f"installed in {sys.executable}: {_INSTALL[name]}", backend=name)
    return name


def _child_environment(backend):
    """This environment with KERAS_BACKEND set and this process's sys.path as PYTHONPATH, so the
    child imports the same code (a worktree's PYTHONPATH included) as the parent."""
    environment = dict(os.environ)
    environment["KERAS_BACKEND"] = backend
    paths = [os.path.abspath(path) if path else os.getcwd() for path in sys.path]
    environment["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    environment.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    return environment


def _split_function(function):
    module, _, name = str(function).partition(":")
    if not module or not name:
        raise ValueError(f"function {function!r}: expected 'package.module:function'")
    return module, name


def _write_request(directory, function, args, arrays):
    overlap = sorted(set(args) & set(arrays))
    if overlap:
        raise ValueError(f"run_on_backend: {', '.join(overlap)} given both as args and as arrays")
    for key, value in arrays.items():
        if not isinstance(value, np.ndarray):
            raise ValueError(f"run_on_backend: arrays[{key!r}] is {type(value).__name__}, "
                             f"expected a NumPy array")
    try:
        request = json.dumps({"function": function, "args": args})
    except TypeError as error:
        raise ValueError(f"run_on_backend: args are not JSON-able: {error}") from None
    with open(os.path.join(directory, "request.json"), "w") as stream:
        stream.write(request)
    np.savez(os.path.join(directory, "arrays.npz"), **arrays)


def _stderr_tail(text):
    return "\n".join(text.strip().splitlines()[-STDERR_TAIL_LINES:])


def _run_child(backend, function, directory, timeout_s):
    command = [sys.executable, "-c", _CHILD_BOOTSTRAP, directory]
    try:
        completed = subprocess.run(command, env=_child_environment(backend), capture_output=True,
                                   text=True, timeout=timeout_s, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as expired:
        stderr = expired.stderr.decode(errors="replace") if isinstance(expired.stderr, bytes) \
            else (expired.stderr or "")
        raise BackendError(f"{function} on Keras backend {backend!r} did not finish in "
                           f"{timeout_s} s; its stderr ends:\n{_stderr_tail(stderr)}",
                           backend=backend, stderr_tail=_stderr_tail(stderr)) from None
    if completed.returncode != 0:
        tail = _stderr_tail(completed.stderr)
        raise BackendError(f"{function} failed on Keras backend {backend!r} (exit status "
                           f"{completed.returncode}); its stderr ends:\n{tail}",
                           backend=backend, stderr_tail=tail)


def _read_result(backend, function, directory):
    try:
        with open(os.path.join(directory, "result.json")) as stream:
            result = json.load(stream)
        with np.load(os.path.join(directory, "result.npz"), allow_pickle=False) as stored:
            arrays = {key: stored[key] for key in stored.files}
    except (OSError, ValueError) as error:
        raise BackendError(f"{function} on Keras backend {backend!r} left no readable result: "
                           f"{error}", backend=backend) from None
    return {**result["values"], **arrays}, result["versions"]


def run_on_backend(backend, function, args=None, arrays=None, timeout_s=DEFAULT_TIMEOUT_S):
    """Calls `function` ("package.module:function") as `function(**args, **arrays)` in a fresh
    Python with KERAS_BACKEND=backend; returns a BackendResult. See the module's docstring."""
    require_backend(check_backend(backend))
    _split_function(function)
    if not timeout_s or timeout_s <= 0:
        raise ValueError(f"run_on_backend: timeout_s must be positive, got {timeout_s!r}")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix=f"keras-{backend}-") as directory:
        _write_request(directory, function, dict(args or {}), dict(arrays or {}))
        _run_child(backend, function, directory, timeout_s)
        values, versions = _read_result(backend, function, directory)
    return BackendResult(backend, values, versions, time.monotonic() - started)


def _child_main(directory):
    """The child's side: read the request, import and call the function, write its result."""
    import importlib

    import keras

    keras.config.disable_traceback_filtering()  # keep the frames of the code that failed (model.py)
    with open(os.path.join(directory, "request.json")) as stream:
        request = json.load(stream)
    with np.load(os.path.join(directory, "arrays.npz"), allow_pickle=False) as stored:
        arrays = {key: stored[key] for key in stored.files}
    module, name = _split_function(request["function"])
    returned = getattr(importlib.import_module(module), name)(**request["args"], **arrays)
    if not isinstance(returned, dict):
        raise TypeError(f"{request['function']} returned {type(returned).__name__}, expected a dict")
    arrays_out = {key: value for key, value in returned.items() if isinstance(value, np.ndarray)}
    values_out = {key: value for key, value in returned.items() if key not in arrays_out}
    backend = keras.backend.backend()
    package = _PACKAGES.get(backend, backend)
    versions = {"backend": backend, "keras": keras.__version__,
                package: getattr(sys.modules.get(package), "__version__", None)}
    np.savez(os.path.join(directory, "result.npz"), **arrays_out)
    with open(os.path.join(directory, "result.json"), "w") as stream:
        json.dump({"values": values_out, "versions": versions}, stream)


def _chain(error, links=5):
    """The error, then the exceptions it was raised from or while handling, innermost last."""
    chain = [error]
    while len(chain) < links and (chain[-1].__cause__ or chain[-1].__context__) is not None:
        chain.append(chain[-1].__cause__ or chain[-1].__context__)
    return chain


def _where_it_failed(error, frames=4):
    """The last few frames, over the error's chain, outside the installed packages and Python's
    own library (the user's or the generated code: `model.py:27 in call: return tf.multiply(...)`),
    then each error's type and first line: printed last, so the stderr tail carries them."""
    import traceback
    library = tuple({os.path.dirname(os.__file__), os.path.dirname(np.__path__[0])})
    chain = _chain(error)
    own = [frame for link in chain for frame in traceback.extract_tb(link.__traceback__)
           if not frame.filename.startswith(library)]
    lines = [f"  {frame.filename}:{frame.lineno} in {frame.name}: {(frame.line or '').strip()}"
             for frame in own[-frames:]]
    errors = [f"{type(link).__name__}: {(str(link).strip().splitlines() or [''])[0][:300]}" for link in chain]
    return "\n".join(["where it failed:", *lines, *errors])


def _child_entry(directory):
    """_child_main, its failure's traceback then a short summary of it on stderr, exit status 1."""
    import traceback
    try:
        _child_main(directory)
    except Exception as error:
        traceback.print_exc()
        print(_where_it_failed(error), file=sys.stderr)
        sys.exit(1)


# Imports only this module (not the package's __init__ chain beyond tf1_to_keras and harness,
# both lazy), then hands over to _child_entry.
_CHILD_BOOTSTRAP = ("import sys; from tf1_to_keras.harness.backend_process import _child_entry; "
                    "_child_entry(sys.argv[1])")
