"""The pytest plugin (tf1_to_keras/pytest_plugin.py), run the way a team runs it: test files
of their own in a pytester directory, with the plugin loaded by its entry point alone.

A port that passes and one that does not (the message names the layer), the JSON report
per test case, markers that merge, a fixture without a marker, no work (and no
TensorFlow) for tests that do not use it; and the docs page's worked example
(docs/examples/hold_your_port/), run as a team would run it, and shown on the page as it is.
"""

import importlib
import json
import pathlib
import pkgutil
import re

import pytest

from tf1_to_keras import pytest_plugin

pytest_plugins = ["pytester"]

ROOT = pathlib.Path(__file__).resolve().parents[2]
TWINS = ROOT / "parity_tests" / "library" / "harness" / "harness_twins.py"
EXAMPLE = ROOT / "docs" / "examples" / "hold_your_port"
PAGE = ROOT / "docs" / "HOLD_YOUR_PORT.md"
# A file of the example shown whole on the page: a bold link to it, then its code block.
SHOWN_FILE = re.compile(r"\*\*\[(?P<name>[\w.]+)\]\(examples/hold_your_port/(?P=name)\)\*\*\n+"
                        r"```\w*\n(?P<body>.*?)```", re.DOTALL)

TWIN_TESTS = """
import keras
import pytest

import harness_twins as twins
import legacy_tf1.compat as tf
from tf1_to_keras import harness

x, y = twins.classification_data()
pytestmark = pytest.mark.parity(
    tf1=twins.build_classifier, keras=twins.keras_classifier,
    tf1_optimizer=lambda: tf.train.AdamOptimizer(0.01),
    keras_optimizer=lambda: harness.keras_adam_like_tf1(0.01),
    keras_loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))


def test_port(parity):
    assert parity.structure().params == {"tf1": 147, "keras": 147}
    parity.forward(x)
    parity.training_steps(harness.make_batches(x, y, batch_size=32, steps=5))


@pytest.mark.parity(keras=lambda: twins.keras_classifier(activation="tanh"))
def test_broken_port(parity):
    parity.structure()
    parity.forward(x)
"""

# A team's MLP: a TF1 builder returning `x, logits`, its port, and a port broken in the middle.
DEEP_TESTS = """
import pytest

import harness_twins as twins

x = twins.classification_data()[0]
pytestmark = pytest.mark.parity(tf1=twins.build_deep_mlp, keras=twins.keras_deep_mlp)


def test_same_layers(parity):
    parity.structure()


def test_same_outputs(parity):
    parity.forward(x)


@pytest.mark.parity(keras=lambda: twins.keras_deep_mlp(hidden2_activation="relu"))
def test_broken_in_the_middle(parity):
    parity.forward(x)
"""


@pytest.fixture(autouse=True, scope="module")
def harness_loaded_before_pytester():
    """pytester's in-process runs drop the modules first imported inside them; a harness
    module imported again after that holds new classes (a second NameMap) that the package's
    cached names do not match, and later test files (test_verify) fail on them."""
    from tf1_to_keras import harness, report_files  # noqa: F401
    for module in pkgutil.iter_modules(harness.__path__):
        importlib.import_module(f"{harness.__name__}.{module.name}")


def reports(directory):
    return {path.name: json.loads(path.read_text()) for path in pathlib.Path(directory).glob("*.json")}


def test_the_plugin_is_loaded_by_its_entry_point(request):
    # Loaded from the installed kit's `pytest11` entry point (test_packaging checks the wheel's).
    loaded_from = dict(request.config.pluginmanager.list_plugin_distinfo())
    assert loaded_from[pytest_plugin].metadata["Name"] == "mnist-parity"
    assert request.config.pluginmanager.get_plugin("tf1_to_keras") is pytest_plugin


def test_a_port_passes_a_broken_one_fails_naming_the_layer_and_each_gets_a_report(pytester):
    pytester.makepyfile(harness_twins=TWINS.read_text(), test_twins=TWIN_TESTS)
    result = pytester.runpytest("--parity-report-dir", "reports", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*ParityError: forward check failed:*",
                                 "*forward: layer 'hidden' output: max abs diff *; worst at index *"])
    found = reports(pytester.path / "reports")
    assert sorted(found) == ["test_twins.py__test_broken_port.json", "test_twins.py__test_port.json"]
    passing, broken = found["test_twins.py__test_port.json"], found["test_twins.py__test_broken_port.json"]
    assert passing["test"] == "test_twins.py::test_port" and passing["outcome"] == "passed"
    assert passing["checks"] == ["structure", "forward", "training steps"] and passing["passed"] is True
    assert passing["params"] == {"tf1": 147, "keras": 147} and passing["forward_max_abs_diff"] <= 1e-5
    assert passing["train_steps"]["steps"] == 5 and passing["failures"] == []
    assert broken["outcome"] == "failed" and broken["passed"] is False
    assert broken["checks"] == ["structure", "forward"] and broken["first_divergent_layer"] == "hidden"
    assert broken["failures"][0].startswith("forward: layer 'hidden' output: max abs diff")


def test_a_tuple_builder_works_and_a_port_broken_in_the_middle_is_named_there(pytester):
    pytester.makepyfile(harness_twins=TWINS.read_text(), test_deep=DEEP_TESTS)
    result = pytester.runpytest("--parity-report-dir", "reports", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*ParityError: forward check failed:*",
                                 "*forward: layer 'hidden2' output (TF1 hidden2/Tanh:0): max abs diff *"])
    broken = reports(pytester.path / "reports")["test_deep.py__test_broken_in_the_middle.json"]
    assert broken["first_divergent_layer"] == "hidden2" and broken["localised_by"] == "name map"
    assert broken["forward_layers"]["hidden1"] <= 1e-5


def test_a_teams_parity_tests_show_no_warning_from_the_kit(pytester):
    # Two tests on an MLP, every check; -W default shows each warning once per place it is raised.
    pytester.makepyfile(harness_twins=TWINS.read_text(), test_twins=TWIN_TESTS.split("@pytest.mark")[0] + """
def test_same_accuracy(parity):
    parity.metric(harness.make_batches(x, y, batch_size=32, steps=5), x, y, init="shared")
""")
    result = pytester.runpytest("-W", "default", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
    shown = result.outlines + result.errlines
    assert not [line for line in shown if "DeprecationWarning" in line or "__array__" in line], "\n".join(shown)


def test_without_a_marker_the_fixture_errors_and_no_report_dir_means_no_files(pytester):
    pytester.makepyfile("def test_port(parity):\n    parity.structure()\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*the parity fixture needs @pytest.mark.parity(tf1=..., keras=...)*"
                                 "keras not given*"])
    assert list(pytester.path.glob("**/*.json")) == []


def test_tests_that_do_not_use_the_fixture_load_no_harness(pytester):
    pytester.makepyfile("""
        import sys

        import pytest

        @pytest.mark.parity(tf1=None, keras=None)
        def test_plain():
            assert "tf1_to_keras.harness" not in sys.modules and "tensorflow" not in sys.modules
        """)
    result = pytester.runpytest_subprocess("--parity-report-dir", "reports", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    assert not (pytester.path / "reports").exists()


def test_the_docs_example_passes_as_a_team_runs_it(pytester):
    for path in EXAMPLE.iterdir():
        if path.is_file():
            (pytester.path / path.name).write_text(path.read_text())
    result = pytester.runpytest("churn_port_test.py", "--parity-report-dir", "reports", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)
    found = reports(pytester.path / "reports")
    assert {entry["outcome"] for entry in found.values()} == {"passed"} and len(found) == 3
    assert found["churn_port_test.py__test_same_layers_and_outputs.json"]["params"] == {"tf1": 995, "keras": 995}


def files_not_shown_as_they_are(text):
    """Example files the page does not show, or shows otherwise than they are; and shown
    files that are not in the example."""
    shown = {match["name"]: match["body"] for match in SHOWN_FILE.finditer(text)}
    files = {path.name: path.read_text(encoding="utf-8") for path in EXAMPLE.iterdir() if path.is_file()}
    return sorted(name for name in set(shown) | set(files) if shown.get(name) != files.get(name))


def test_the_docs_page_shows_each_example_file_as_it_is():
    text = PAGE.read_text(encoding="utf-8")
    assert files_not_shown_as_they_are(text) == []
    altered = text.replace("LEARNING_RATE = 0.01", "LEARNING_RATE = 0.02", 1)
    assert altered != text and files_not_shown_as_they_are(altered) != []
