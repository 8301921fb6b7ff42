"""The one error for a TF 1.x API the layer does not provide, with the reasons it knows.

A program that touches such an API stops with a single line naming the API and,
where the layer knows it, why it is out of reach (the runner prints that line
instead of a traceback). The errors subclass AttributeError / ModuleNotFoundError,
so `hasattr` and `try: import` in user code behave as they would for any missing name.
"""

import importlib

LAYER = "legacy_tf1.compat"

# APIs known to be out of reach on TF 2.21, and why. Checked by
# parity_tests/compat/test_not_provided.py (kernels really absent, moves really made).
KNOWN_GAPS = {
    "tf.contrib.tensor_forest": "its kernels (TensorForest*) are gone from TF 2.21",
    "tf.contrib.ffmpeg": "its kernels (DecodeAudio, EncodeAudio, DecodeVideo) are gone from TF 2.21",
    "tf.contrib.keras": "it is keras (Keras 3) or tf_keras in TF 2.21",
    "tf.contrib.lite": "it is tf.lite in TF 2.21",
    "tf.contrib.data": "it is tf.data / tf.data.experimental in TF 2.21",
    "tf.contrib.distributions": "it is tf.compat.v1.distributions in TF 2.21",
}


class _NotProvided:
    """What both error classes carry: the TF 1.x API and the reason, if known."""

    def _describe(self, api, reason):
        self.api = api
        self.reason = reason
        return f"TF 1.x API '{api}' is not provided by {LAYER} ({reason})"


class NotProvidedError(_NotProvided, AttributeError):
    """An attribute of the TF 1.x API (`tf.contrib.tensor_forest`) the layer does not provide."""

    def __init__(self, api, reason):
        super().__init__(self._describe(api, reason))


class NotProvidedImportError(_NotProvided, ModuleNotFoundError):
    """A TF 1.x module (`import tensorflow.contrib.tensor_forest`) the layer does not provide."""

    def __init__(self, api, reason, module_name):
        super().__init__(self._describe(api, reason), name=module_name)


def is_not_provided(error):
    """True for the layer's own "not provided" errors (either class)."""
    return isinstance(error, _NotProvided)


def reason_for(api, default):
    """The known reason `api` (or an API above it) is out of reach, else `default`."""
    parts = api.split(".")
    for length in range(len(parts), 0, -1):
        reason = KNOWN_GAPS.get(".".join(parts[:length]))
        if reason:
            return reason
    return default


def not_provided(api, supplied):
    """The NotProvidedError for `api`; `supplied` says what its parent does provide."""
    return NotProvidedError(api, reason_for(api, supplied))


def module_getattr(api_prefix, supplied):
    """A module-level `__getattr__` raising NotProvidedError for `api_prefix.<name>`.

    Dunder lookups (`__path__`, `__wrapped__`...) raise a plain AttributeError:
    they are Python asking, not a program using a TF 1.x API.
    """
    def __getattr__(name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        raise not_provided(f"{api_prefix}.{name}", supplied)
    return __getattr__


def delegating_module(package, fallback, fallback_name, api_prefix, supplied_modules, packages=None):
    """(`__getattr__`, `__dir__`) for a package (its `globals()`) standing in for a TF 1.x
    namespace.

    A name in `supplied_modules` is the package's own sub-module; one in `packages`
    ({name: module path}) is that module; any other comes from `fallback` (TF's namespace
    named `fallback_name`, e.g. "tf.compat.v1.nn"), and a name `fallback` lacks raises
    NotProvidedError for `api_prefix.<name>`. Dunder lookups raise a plain AttributeError, as in module_getattr.
    """
    packages = packages or {}

    def __getattr__(name):
        if name in supplied_modules:
            return importlib.import_module(f"{package['__name__']}.{name}")
        if name in packages:
            return importlib.import_module(packages[name])
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        try:
            return getattr(fallback, name)
        except AttributeError:
            raise not_provided(f"{api_prefix}.{name}",
                               f"neither {fallback_name} nor the layer has it") from None

    def __dir__():
        return sorted(set(package) | set(dir(fallback)) | set(supplied_modules))
    return __getattr__, __dir__

