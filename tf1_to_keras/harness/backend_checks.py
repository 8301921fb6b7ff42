"""The forward check on another Keras backend: TF1's outputs (and layer taps) computed once in
this process, the Keras model built and run on backend X in its own process (backend_process),
the two compared here under the forward bar of that backend (tolerances.FORWARD_BACKEND_ATOL).

    entry = backend_checks.forward_on_backend(
        "jax", "tf1_to_keras.porting.backend_verification:build_port", "ported/", x,
        tf1_outputs, tf1_taps={"conv1": ...}, seed=0, batch_size=1000)
    entry["passed"], entry["forward_max_abs_diff"], entry["first_divergent_layer"]

The builder ("package.module:function") runs in the child as `builder(argument, seed)` and
returns the built keras.Model; `weights` ({Keras path: array}, optional) are then assigned to
it, as harness.KerasModel.assign does. A model that cannot be built or run on the backend (a
layer that calls tf.* directly, an op the backend lacks) is a failed entry whose failure names
the backend and carries the child's traceback tail (the file and line).
"""

import numpy as np

from tf1_to_keras.harness import backend_process, closeness, policy, tolerances

CHILD = "tf1_to_keras.harness.backend_checks:keras_forward"
TAP_PREFIX, WEIGHT_PREFIX, INPUT_PREFIX = "layer:", "weight:", "input:"


def pack_inputs(key, x):
    """{key: x}, or for a model of several inputs ({input name: array}) {"key|input:NAME": array}:
    the child's .npz holds arrays only; unpack_inputs gives x back."""
    if isinstance(x, dict):
        return {f"{key}|{INPUT_PREFIX}{name}": np.asarray(value) for name, value in x.items()}
    return {key: np.asarray(x)}


def unpack_inputs(key, arrays):
    """pack_inputs' x from `arrays` (taken out of it): an array, a {input name: array}, or None."""
    if key in arrays:
        return arrays.pop(key)
    prefix = f"{key}|{INPUT_PREFIX}"
    names = [name for name in list(arrays) if name.startswith(prefix)]
    return {name[len(prefix):]: arrays.pop(name) for name in names} or None


def backend_tolerances(backend, bars=None):
    """`bars` (default: the kit's) with backend's forward bar from the table, with its reason."""
    bars = bars or policy.Tolerances.default()
    atol = tolerances.FORWARD_BACKEND_ATOL.get(backend, tolerances.FORWARD_ATOL)
    if atol == bars.forward_atol:
        return bars
    return bars.override(tolerances.FORWARD_BACKEND_REASONS[backend], forward_atol=atol)


def _call_builder(builder, argument, seed):
    import importlib

    import keras
    module, _, name = builder.partition(":")
    keras.utils.set_random_seed(seed)
    return getattr(importlib.import_module(module), name)(argument, seed)


def keras_forward(builder, argument, seed, batch_size, layers, weight_paths, **arrays):
    """The child's side: the model built, its weights assigned, its outputs and the `layers`
    it can tap for `x` (inference mode), as {"outputs": ..., "layer:NAME": ...}."""
    from tf1_to_keras.harness.keras_models import KerasModel
    x = unpack_inputs("x", arrays)
    keras_side = KerasModel(_call_builder(builder, argument, seed))
    if weight_paths:
        keras_side.assign({path: arrays[f"{WEIGHT_PREFIX}{index}"] for index, path in enumerate(weight_paths)})
    tappable = [name for name in layers if name in keras_side.tappable_layers()]
    taps = keras_side.tap(x, tappable, batch_size)
    return {"outputs": keras_side.predict(x, batch_size),
            **{f"{TAP_PREFIX}{name}": value for name, value in taps.items()}}


def _comparisons(values, tf1_outputs, tf1_taps, bars, backend):
    layers = {name: closeness.forward_compare(values[f"{TAP_PREFIX}{name}"], expected, bars=bars,
                                              name=f"forward on {backend}: layer {name!r} output")
              for name, expected in tf1_taps.items() if f"{TAP_PREFIX}{name}" in values}
    outputs = closeness.forward_compare(values["outputs"], tf1_outputs, bars=bars,
                                        name=f"forward on {backend}: outputs")
    return layers, outputs


def _entry(backend, bars, passed, failures, **measured):
    return {"backend": backend, "passed": passed, "failures": failures,
            "forward_max_abs_diff": measured.get("forward_max_abs_diff"),
            "first_divergent_layer": measured.get("first_divergent_layer"),
            "forward_layers": measured.get("forward_layers", {}),
            "tolerances": {key: value for key, value in bars.to_json().items() if key.startswith("forward")
                           or key == "overrides"},
            "versions": measured.get("versions", {}), "seconds": measured.get("seconds")}


def forward_request(builder, argument, x, tf1_taps=None, seed=0, batch_size=1000, weights=None):
    """(args, arrays) of a `keras_forward` call, for callers that add work of their own to it."""
    weights = dict(weights or {})
    arrays = {**pack_inputs("x", x), **{f"{WEIGHT_PREFIX}{index}": np.asarray(value)
                                     for index, value in enumerate(weights.values())}}
    return {"builder": builder, "argument": argument, "seed": seed, "batch_size": batch_size,
            "layers": list(tf1_taps or {}), "weight_paths": list(weights)}, arrays


def failed_entry(backend, error, bars=None):
    """The entry of a model that could not be built or run on `backend` (a BackendError)."""
    return _entry(backend, backend_tolerances(backend, bars), False, [
        f"forward on {backend}: the Keras model could not be built or run on Keras backend {backend!r}: {error}"])


def forward_entry(backend, result, tf1_outputs, tf1_taps=None, bars=None):
    """The entry of a child's `keras_forward` values (a BackendResult) against TF1's."""
    bars = backend_tolerances(backend, bars)
    layers, outputs = _comparisons(result.values, tf1_outputs, dict(tf1_taps or {}), bars, backend)
    failing = [comparison.message for comparison in (*layers.values(), outputs) if not comparison.passed]
    first = next((name for name, comparison in layers.items() if not comparison.passed), None)
    return _entry(backend, bars, not failing, failing[:1] + failing[-1:] if len(failing) > 1 else failing,
                  forward_max_abs_diff=closeness.json_number(outputs.max_abs_diff),
                  first_divergent_layer=first,
                  forward_layers={name: closeness.json_number(c.max_abs_diff) for name, c in layers.items()},
                  versions=result.versions, seconds=round(result.seconds, 2))


def forward_on_backend(backend, builder, argument, x, tf1_outputs, tf1_taps=None, seed=0,
                       batch_size=1000, weights=None, bars=None, timeout_s=600):
    """The forward check on `backend` (see the module docstring): a JSON-ready entry with
    `passed`, `forward_max_abs_diff`, `first_divergent_layer`, `forward_layers`, `failures`,
    `tolerances`, `versions` (keras, the backend's package) and `seconds` (the child's wall time).
    ValueError for an unknown backend; BackendUnavailable when its package is not installed."""
    backend_process.require_backend(backend_process.check_backend(backend))
    args, arrays = forward_request(builder, argument, x, tf1_taps, seed, batch_size, weights)
    try:
        result = backend_process.run_on_backend(backend, CHILD, args=args, arrays=arrays, timeout_s=timeout_s)
    except backend_process.BackendError as error:
        return failed_entry(backend, error, bars)
    return forward_entry(backend, result, tf1_outputs, tf1_taps, bars)


def build_named(function, seed):
    """A child builder: the Keras model of an importable "package.module:function" (no arguments)."""
    import importlib
    module, _, name = function.partition(":")
    target = importlib.import_module(module)
    for part in name.split("."):
        target = getattr(target, part)
    return target()


def function_name(function):
    """"package.module:function" of an importable module-level function (what build_named takes);
    ValueError for a lambda or a nested function, which a child process cannot import."""
    qualified = getattr(function, "__qualname__", "")
    if not qualified or "<" in qualified or getattr(function, "__module__", None) in (None, "__main__"):
        raise ValueError(f"Keras model function {function!r}: another backend's process imports it by "
                         "name, so it must be a module-level function of an importable module")
    return f"{function.__module__}:{qualified}"


def keras_side_on_backend(backend, tf1, keras_side, x, builder, argument, seed=0, batch_size=1000,
                          bars=None, timeout_s=600):
    """forward_on_backend for a harness pair already checked here: TF1's outputs and the taps of the
    layers both sides have, and the Keras weights this process holds (TF1's, through the name map)."""
    names = [name for name in keras_side.tappable_layers() if name in tf1.endpoints.layers]
    return forward_on_backend(backend, builder, argument, x, tf1.predict(x, batch_size),
                              tf1.tap(x, names, batch_size), seed=seed, batch_size=batch_size,
                              weights=keras_side.weights(), bars=bars, timeout_s=timeout_s)
