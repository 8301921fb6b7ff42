"""The kit's layers, as the folders show them, and the rules between them.

`mnist_core` (foundation) imports none of the kit; `legacy_tf1` and `modern_keras`
(the two sides) import only `mnist_core`; `tf1_to_keras` (the library: harness, port,
verify, plugin) sits on those three and never imports the MNIST kit nor the TF1 programs
(`legacy_tf1.models`); `mnist_parity` (the MNIST kit and its commands) sits on all four. No import cycles between the kit's modules. And what a team
copies runs alone: a Keras program loads no TF1 stand-in, a TF1 program no Keras
twin, no harness, and not one Keras 3 module beyond those `import tensorflow` loads.
"""

import ast
import json
import os
import subprocess
import sys

import pytest

from mnist_core import recipes

REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGES = ("mnist_core", "legacy_tf1", "modern_keras", "tf1_to_keras", "mnist_parity")
# What each package may import from the kit (besides itself).
ALLOWED = {
    "mnist_core": set(),
    "legacy_tf1": {"mnist_core"},
    "modern_keras": {"mnist_core"},
    "tf1_to_keras": {"mnist_core", "legacy_tf1", "modern_keras"},
    "mnist_parity": {"mnist_core", "legacy_tf1", "modern_keras", "tf1_to_keras"},
}
# Modules of an allowed package that a package may still not import: the library stays
# free of the kit's programs and twins.
FORBIDDEN = {"tf1_to_keras": ("legacy_tf1.models", "modern_keras.models")}


def module_name(path):
    relative = os.path.relpath(path, REPOSITORY)[:-len(".py")].replace(os.sep, ".")
    return relative.removesuffix(".__init__")


def kit_modules():
    """{module name: path} of every module of the four packages."""
    modules = {}
    for package in PACKAGES:
        for directory, _, files in os.walk(os.path.join(REPOSITORY, package)):
            for name in files:
                if name.endswith(".py"):
                    path = os.path.join(directory, name)
                    modules[module_name(path)] = path
    return modules


def imported_kit_modules(path, modules, top_level_only):
    """The kit modules `path` imports (at module level only, or anywhere)."""
    tree = ast.parse(open(path, encoding="utf-8").read())
    nodes = tree.body if top_level_only else ast.walk(tree)
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # `from package import submodule` needs the submodule, not the package's own names.
            names = [f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in modules
                     else node.module for alias in node.names]
        else:
            continue
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name:
                found.add(name)
    return found


def import_rule_violations(modules):
    """(importer, imported) pairs that break ALLOWED, imports inside functions included."""
    violations = []
    for name, path in modules.items():
        package = name.partition(".")[0]
        for imported in imported_kit_modules(path, modules, top_level_only=False):
            other = imported.partition(".")[0]
            forbidden = any(imported == banned or imported.startswith(banned + ".")
                            for banned in FORBIDDEN.get(package, ()))
            if (other != package and other not in ALLOWED[package]) or forbidden:
                violations.append((name, imported))
    return sorted(violations)


def import_cycles(modules):
    """Strongly connected groups (size > 1) of the module-level import graph (Tarjan)."""
    graph = {name: imported_kit_modules(path, modules, True) - {name} for name, path in modules.items()}
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in graph[node]:
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            group = []
            while not group or group[-1] != node:
                group.append(stack.pop())
                on_stack.discard(group[-1])
            if len(group) > 1:
                cycles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_each_layer_imports_only_the_layers_below_it():
    assert import_rule_violations(kit_modules()) == []


def test_the_rule_check_rejects_a_side_importing_the_harness(tmp_path):
    modules = dict(kit_modules())
    rogue = tmp_path / "rogue.py"
    rogue.write_text("def f():\n    from mnist_parity import sides\n")
    modules["modern_keras.rogue"] = str(rogue)
    assert ("modern_keras.rogue", "mnist_parity.sides") in import_rule_violations(modules)


def test_the_rule_check_rejects_the_library_importing_the_kit_or_a_program(tmp_path):
    modules = dict(kit_modules())
    rogue = tmp_path / "rogue.py"
    rogue.write_text("from mnist_parity import registry\nfrom legacy_tf1.models import deep_cnn\n")
    modules["tf1_to_keras.rogue"] = str(rogue)
    violations = import_rule_violations(modules)
    assert ("tf1_to_keras.rogue", "mnist_parity.registry") in violations
    assert ("tf1_to_keras.rogue", "legacy_tf1.models.deep_cnn") in violations


def test_no_import_cycles_between_the_kits_modules(tmp_path):
    modules = kit_modules()
    assert import_cycles(modules) == []
    first, second = tmp_path / "first.py", tmp_path / "second.py"
    first.write_text("from mnist_core import second\n")
    second.write_text("import mnist_core.first\n")
    assert import_cycles({"mnist_core.first": str(first), "mnist_core.second": str(second)}) == [
        ["mnist_core.first", "mnist_core.second"]]


def loaded_packages_after_import(module_names):
    """A fresh interpreter imports `module_names`; returns what it loaded, by top-level package,
    and the Keras 3 modules beyond those `import tensorflow` alone loads."""
    script = (
        "import json, sys, tensorflow\n"
        "baseline = {m for m in sys.modules if m.partition('.')[0] == 'keras'}\n"
        f"for name in {list(module_names)!r}:\n"
        "    __import__(name)\n"
        "print(json.dumps({'packages': sorted({m.partition('.')[0] for m in sys.modules}),\n"
        "                  'extra_keras': sorted(m for m in sys.modules\n"
        "                                        if m.partition('.')[0] == 'keras' and m not in baseline)}))\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=300, cwd=REPOSITORY, env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


# One fresh interpreter per side for all its programs: a package absent after importing all
# of them is absent after importing each (imports only add to sys.modules).
@pytest.mark.parametrize("side, forbidden, keras_allowed", [
    ("modern_keras", {"legacy_tf1", "tf_keras", "mnist_parity", "tf1_to_keras"}, True),
    ("legacy_tf1", {"modern_keras", "mnist_parity", "tf1_to_keras"}, False),
], ids=["keras-programs", "tf1-programs"])
def test_programs_load_only_their_side_and_the_foundation(side, forbidden, keras_allowed):
    programs = [f"{side}.models.{key}" for key in recipes.MODEL_KEYS]
    if side == "legacy_tf1":
        programs.append("legacy_tf1.models.layers_cnn_contrib_learn")
    loaded = loaded_packages_after_import(programs)
    assert forbidden.isdisjoint(loaded["packages"]), sorted(forbidden & set(loaded["packages"]))
    assert {"mnist_core", side} <= set(loaded["packages"])
    if not keras_allowed:
        assert loaded["extra_keras"] == []


def test_the_foundation_needs_no_tensorflow():
    # mnist_core is what both sides share: NumPy only, so the data checks run without TensorFlow.
    frameworks = {"tensorflow", "keras", "tf_keras"}
    for name, path in kit_modules().items():
        if name.startswith("mnist_core"):
            tree = ast.parse(open(path, encoding="utf-8").read())
            imported = {alias.name.partition(".")[0] for node in ast.walk(tree)
                        if isinstance(node, ast.Import) for alias in node.names}
            imported |= {node.module.partition(".")[0] for node in ast.walk(tree)
                         if isinstance(node, ast.ImportFrom) and node.module}
            assert not imported & frameworks, (name, sorted(imported & frameworks))
