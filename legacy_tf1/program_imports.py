"""How a TF 1.x program's `import tensorflow` reaches the compatibility layer.

The layer itself, Keras 3 and tf-keras all import the real `tensorflow`, so
`sys.modules["tensorflow"]` must stay the real package; and since it is
already imported, a meta-path finder would never even be asked about it. The
runner therefore redirects imports by *who* imports, not by module name:

* The program runs with `runpy.run_path(path, run_name="__main__")` in globals
  whose `__builtins__` is a copy of the builtins with `__import__` replaced
  (`program_builtins`). Python looks `__import__` up in the importing code's own
  builtins, so only the program's code (and functions it defines) sees the
  replacement; every library keeps the real `tensorflow`.
* The replacement applies the layer's one rule to names starting with
  `tensorflow`: the leading `tensorflow` becomes `legacy_tf1.compat`
  (`tensorflow.compat.v1` is the layer itself, so `tensorflow.compat.v1.X`
  becomes `legacy_tf1.compat.X` too). `import tensorflow[.a.b] [as tf]` binds
  the layer; `from tensorflow.contrib import learn` imports
  `legacy_tf1.compat.contrib` and takes `learn` from it. A dotted name that is
  an attribute rather than a module in the layer (`tensorflow.nn`) resolves by
  attribute, as TF 1.x's real modules did.
* `tensorflow.python.*` and `tensorflow.core.*` are TensorFlow's internals, not
  the TF 1.x API: they pass through to TF 2.21's own modules (`from
  tensorflow.python.client import timeline` works); only what TF 2.21 lacks fails.
* Anything missing raises the layer's NotProvidedImportError (a
  ModuleNotFoundError) naming the TF 1.x API, with a traceback that starts at
  the program's import line.
* Modules beside the program (`import model` where model.py sits next to
  PROGRAM.py, as multi-file TF1 programs did) are loaded by a meta-path
  finder (`ProgramModuleFinder`) that gives them the same builtins, so their
  `import tensorflow` reaches the layer as well. Libraries elsewhere are left alone.

Limits: `importlib.import_module("tensorflow")` in program code bypasses
`__import__` and gets the real package.
"""

import builtins
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys

import legacy_tf1.compat  # noqa: F401 - puts the layer in sys.modules
from legacy_tf1.compat import _not_provided

TENSORFLOW = "tensorflow"
# TensorFlow's internal packages: real TF 2.21 modules, passed through as they are.
INTERNAL_PACKAGES = ("tensorflow.python", "tensorflow.core")
LAYER_PACKAGE = "legacy_tf1.compat"
# Top-level packages of the kit: never "program modules", even when the program sits beside them.
KIT_PACKAGES = ("legacy_tf1", "mnist_core", "mnist_parity", "modern_keras", "tf1_to_keras")


def is_tensorflow_name(name):
    """True for `tensorflow` and its dotted sub-names."""
    return name == TENSORFLOW or name.startswith(TENSORFLOW + ".")


def is_internal_name(name):
    """True for names inside TensorFlow's internal packages (tensorflow.python, tensorflow.core)."""
    return any(name == package or name.startswith(package + ".") for package in INTERNAL_PACKAGES)


def layer_module_name(tensorflow_name):
    """The layer's module for a TF 1.x module name: 'tensorflow.contrib' -> 'legacy_tf1.compat.contrib'."""
    if not is_tensorflow_name(tensorflow_name):
        raise ValueError(f"module name {tensorflow_name!r}; expected 'tensorflow' or 'tensorflow.*'")
    parts = tensorflow_name.split(".")[1:]
    if parts[:2] == ["compat", "v1"]:  # tensorflow.compat.v1 is the layer itself
        parts = parts[2:]
    return ".".join([LAYER_PACKAGE, *parts])


def _child(parent, name):
    """`parent.name`, importing it first when it is a sub-module not imported yet."""
    try:
        return getattr(parent, name)
    except AttributeError:
        submodule = f"{getattr(parent, '__name__', '')}.{name}"
        if hasattr(parent, "__path__") and importlib.util.find_spec(submodule) is not None:
            return importlib.import_module(submodule)
        raise


def _resolve_attributes(tensorflow_name, module_name):
    """Walks the layer attribute by attribute (for names like tensorflow.nn)."""
    target = sys.modules[LAYER_PACKAGE]
    for part in module_name[len(LAYER_PACKAGE) + 1:].split("."):
        try:
            target = _child(target, part)
        except AttributeError as error:
            if _not_provided.is_not_provided(error):
                raise _not_provided.NotProvidedImportError(
                    error.api, error.reason, tensorflow_name) from None
            raise _not_provided.NotProvidedImportError(
                tensorflow_name, f"no module named {tensorflow_name!r}: {error}",
                tensorflow_name) from None
    return target


def _resolve_internal(tensorflow_name):
    """TF 2.21's own internal module, or the layer's error naming what TF 2.21 lacks."""
    try:
        return importlib.import_module(tensorflow_name)
    except ModuleNotFoundError as error:
        if not (tensorflow_name + ".").startswith((error.name or "") + "."):
            raise  # a dependency of that module is missing: show it as it is
        raise _not_provided.NotProvidedImportError(
            tensorflow_name, f"TF 2.21 has no module {error.name!r}", tensorflow_name) from None


def resolve(tensorflow_name):
    """The layer's module (or object) standing for the TF 1.x module `tensorflow_name`."""
    if is_internal_name(tensorflow_name):
        return _resolve_internal(tensorflow_name)
    module_name = layer_module_name(tensorflow_name)
    if module_name == LAYER_PACKAGE:
        return sys.modules[LAYER_PACKAGE]
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        missing = error.name or ""
        if not (module_name + ".").startswith(missing + "."):
            raise  # a module the layer itself imports is missing: show that as it is
    return _resolve_attributes(tensorflow_name, module_name)


def import_tensorflow(name, fromlist=()):
    """What `import name` / `from name import ...` gives a TF 1.x program, for tensorflow names."""
    target = resolve(name)
    if not fromlist:
        # `import tensorflow.a.b` binds `tensorflow`; `as tf` then follows attributes .a.b.
        return sys.modules[LAYER_PACKAGE]
    for item in fromlist:
        if item == "*":
            continue
        try:
            _child(target, item)
        except AttributeError as error:
            if _not_provided.is_not_provided(error):
                raise _not_provided.NotProvidedImportError(error.api, error.reason, name) from None
            owner = f"TF 2.21's {name}" if is_internal_name(name) else f"the layer's {name}"
            raise _not_provided.NotProvidedImportError(
                f"{name}.{item}", f"{owner} has no {item!r}", name) from None
    return target


def make_redirecting_import(original_import=builtins.__import__):
    """An `__import__` sending tensorflow names to the layer and all others to `original_import`."""
    def redirecting_import(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0 and is_tensorflow_name(name):
            try:
                return import_tensorflow(name, fromlist or ())
            except ImportError as error:
                if not _not_provided.is_not_provided(error):
                    raise  # raised inside a layer module: its traceback is the story
                # The layer's own "not provided" error: point at the program's import line only.
                raise error.with_traceback(None) from None
        return original_import(name, globals, locals, fromlist, level)
    return redirecting_import


def program_builtins():
    """A copy of the builtins whose `__import__` redirects tensorflow imports."""
    namespace = dict(builtins.__dict__)
    namespace["__import__"] = make_redirecting_import(builtins.__import__)
    return namespace


class _ProgramLoader(importlib.abc.Loader):
    """Wraps a source loader so the module executes with the program's builtins."""

    def __init__(self, loader, namespace):
        self._loader = loader
        self._builtins = namespace

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        module.__builtins__ = self._builtins
        self._loader.exec_module(module)

    def __getattr__(self, name):  # get_source, get_code, ... for tracebacks and inspect
        if name == "_loader":  # not set yet (copy, pickle): no endless recursion
            raise AttributeError(name)
        return getattr(self._loader, name)


class ProgramModuleFinder(importlib.abc.MetaPathFinder):
    """Finds the program's own modules (beside it) and loads them with its builtins."""

    def __init__(self, directory, namespace):
        self.directory = directory
        self.namespace = namespace
        self.package_names = set()

    def find_spec(self, fullname, path=None, target=None):
        top_level = fullname.partition(".")[0]
        if top_level in KIT_PACKAGES or top_level == TENSORFLOW:
            return None
        if path is None:
            search_path = [self.directory]  # top-level modules: only those beside the program
        elif fullname.rpartition(".")[0] in self.package_names:
            search_path = path
        else:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, search_path, target)
        if spec is None or not isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            return None
        if spec.submodule_search_locations is not None:
            self.package_names.add(fullname)
        spec.loader = _ProgramLoader(spec.loader, self.namespace)
        return spec
