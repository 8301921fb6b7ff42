"""TF-Slim for TF 1.x programs: `tf.contrib.slim` is the `tf-slim` package, and its batch norm works.

`tf_slim` (1.1) runs on `tf.compat.v1`, but its batch norm goes through TF 2.21's
`tensorflow.python.layers.normalization`, which loads `tf_keras.legacy_tf_layers.normalization`:
tf-keras 2.21 moved that package to `tf_keras.src.legacy_tf_layers`. `install_alias()` adds a
meta-path finder that answers the old name with the moved module itself (the same module
object, so its classes and graph collections are the ones tf.layers uses), without touching
the installed packages. The runner installs it before every program, so `import tf_slim as slim`
works as well as `tf.contrib.slim`.

`tf_slim` also calls a few names TF 2.21 moved out of the modules it imports them from
(`ops.Tensor`, `control_flow_ops.cond`, `array_ops.stack`, ...; `MOVED_NAMES`). Every `tf_slim`
module gets its own view of those TF modules with the names back (`_ModuleWithMovedNames`), so
TensorFlow's modules themselves stay as installed.
"""

import importlib
import importlib.abc
import importlib.util
import sys
import pkgutil
import types

OLD_PACKAGE = "tf_keras.legacy_tf_layers"
NEW_PACKAGE = "tf_keras.src.legacy_tf_layers"


class _MovedModuleLoader(importlib.abc.Loader):
    """Loads `OLD_PACKAGE[.x]` as the already-moved `NEW_PACKAGE[.x]` module object."""

    def create_module(self, spec):
        target = importlib.import_module(NEW_PACKAGE + spec.name[len(OLD_PACKAGE):])
        self._spec = target.__spec__  # the import system overwrites __spec__; put it back below
        return target

    def exec_module(self, module):
        module.__spec__ = self._spec


class MovedLegacyLayersFinder(importlib.abc.MetaPathFinder):
    """Finds `tf_keras.legacy_tf_layers` and its sub-modules at their tf-keras 2.21 home."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != OLD_PACKAGE and not fullname.startswith(OLD_PACKAGE + "."):
            return None
        if importlib.util.find_spec(NEW_PACKAGE + fullname[len(OLD_PACKAGE):]) is None:
            return None
        return importlib.util.spec_from_loader(fullname, _MovedModuleLoader(), is_package=True)


# TF module -> {name tf_slim uses: (the module that has it in TF 2.21, its name there)}.
MOVED_NAMES = {
    "tensorflow.python.framework.ops": {
        "Tensor": ("tensorflow.python.framework.tensor", "Tensor"),
        "IndexedSlices": ("tensorflow.python.framework.indexed_slices", "IndexedSlices")},
    "tensorflow.python.ops.array_ops": {
        "stack": ("tensorflow.python.ops.array_ops_stack", "stack"),
        "unstack": ("tensorflow.python.ops.array_ops_stack", "unstack")},
    "tensorflow.python.ops.control_flow_ops": {
        "Assert": ("tensorflow.python.ops.control_flow_assert", "Assert"),
        "case": ("tensorflow.python.ops.control_flow_case", "case"),
        "cond": ("tensorflow.python.ops.cond", "cond"),
        "while_loop": ("tensorflow.python.ops.while_loop", "while_loop")},
    # TF 1.15's variable_scope.variable() built a VariableV1 through the creator stack, as this does.
    "tensorflow.python.ops.variable_scope": {
        "variable": ("tensorflow.python.ops.variable_v1", "VariableV1")},
}


class _ModuleWithMovedNames(types.ModuleType):
    """A TF module as `tf_slim` expects it: everything the module has, and its moved names."""

    def __init__(self, module, moved):
        super().__init__(module.__name__)
        self._module = module
        for name, (home, home_name) in moved.items():
            setattr(self, name, getattr(importlib.import_module(home), home_name))

    def __getattr__(self, name):
        return getattr(self._module, name)


def _import_all_of_slim(package):
    """Imports every non-test tf_slim module, so each is given its views before a program runs."""
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if not info.name.endswith("_test") and ".test" not in info.name:
            importlib.import_module(info.name)


def _give_slim_its_moved_names():
    views = {name: _ModuleWithMovedNames(importlib.import_module(name), moved)
             for name, moved in MOVED_NAMES.items()}
    for module_name, module in list(sys.modules.items()):
        if module_name.split(".")[0] != "tf_slim" or module is None:
            continue
        for global_name, value in list(vars(module).items()):
            if isinstance(value, types.ModuleType) and value.__name__ in views:
                setattr(module, global_name, views[value.__name__])


def install_alias():
    """Adds the finder once (idempotent); later imports of the old name reach the moved modules."""
    if not any(isinstance(finder, MovedLegacyLayersFinder) for finder in sys.meta_path):
        # First: the path finder would load a second copy of a sub-module from the moved package's path.
        sys.meta_path.insert(0, MovedLegacyLayersFinder())


def slim_package():
    """The `tf_slim` package (what TF 1.x's `tf.contrib.slim` was), with the alias in place."""
    install_alias()
    package = importlib.import_module("tf_slim")
    _import_all_of_slim(package)
    _give_slim_its_moved_names()
    return package
