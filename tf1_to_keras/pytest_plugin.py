"""pytest plugin: a parity test for your own TF1 model and its Keras port in a few lines.

Registered through the `pytest11` entry point (pyproject.toml), so installing the kit is
enough; do not also name it with `-p` or `pytest_plugins` (pytest would load it twice).

    @pytest.mark.parity(tf1=build_graph, keras=build_model, name_map="name_map.json",
                        tf1_optimizer=tf1_optimizer, keras_optimizer=keras_optimizer,
                        keras_loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    def test_port(parity):
        parity.structure()
        parity.forward(x_test)
        parity.training_steps(harness.make_batches(x_train, y_train, batch_size=50, steps=100))

The `parity` marker takes harness.Pair's arguments (`tf1`, `keras`, `name_map`: a NameMap,
its JSON form or a file path relative to the test file; `tolerances`, `seed`, `checkpoint`,
`tf1_optimizer`, `keras_optimizer`, `keras_loss`, `tf1_feed`); markers on the module, the
class and the test merge, the closest winning. The `parity` fixture is that Pair, built
for each test: `structure()`, `forward(x)`, `training_steps(batches)` and `metric(...)`
return the harness's result when the check passed and fail the test with the harness's
message when it did not. `--parity-report-dir DIR` writes one `DIR/<test id>.json` per
test that used the fixture (written atomically, after the test): the test, its outcome,
and `parity.report()`, the combined result of the checks it ran.

Nothing happens in a test that does not use the fixture; TensorFlow loads only when one does.
"""

import json
import os
import pathlib
import re

import pytest

MARKER = "parity"
OUTCOME = pytest.StashKey[str]()


def pytest_addoption(parser):
    parser.getgroup("mnist-parity").addoption(
        "--parity-report-dir", metavar="DIR", default=None,
        help="write one JSON report per test using the `parity` fixture into DIR (for CI artifacts)")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", f"{MARKER}(tf1, keras, name_map=None, tolerances=None, seed=0, checkpoint=None, "
                   "tf1_optimizer=None, keras_optimizer=None, keras_loss=None, tf1_feed=None): the TF1 "
                   "model and Keras port the `parity` fixture checks (tf1_to_keras.pytest_plugin)")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and MARKER in getattr(item, "fixturenames", ()):
        item.stash[OUTCOME] = report.outcome  # the fixture's teardown writes it into the report
    return report


def marker_options(node):
    """The parity markers' arguments merged (module < class < test); `tf1` and `keras` may
    also be the first two positional arguments."""
    options = {}
    for marker in reversed(list(node.iter_markers(MARKER))):  # farthest first: the closest wins
        options.update(dict(zip(("tf1", "keras"), marker.args)), **marker.kwargs)
    missing = [name for name in ("tf1", "keras") if name not in options]
    if missing:
        pytest.fail(f"the parity fixture needs @pytest.mark.parity(tf1=..., keras=...) on the test, its "
                    f"class or its module; {' and '.join(missing)} not given", pytrace=False)
    name_map = options.get("name_map")
    if isinstance(name_map, (str, os.PathLike)) and not os.path.isabs(name_map):
        options["name_map"] = pathlib.Path(node.path).parent / name_map
    return options


class ParityChecks:
    """The fixture: the Pair's four checks, each failing the test with the harness's message."""

    def __init__(self, pair):
        self.pair = pair

    def _passed(self, result):
        __tracebackhide__ = True  # the failure is the test's, not this module's
        if not result.passed:
            from tf1_to_keras.harness import errors
            raise errors.ParityError(f"{result.check} check failed:\n  " + "\n  ".join(result.failures))
        return result

    def structure(self):
        __tracebackhide__ = True
        return self._passed(self.pair.structure())

    def forward(self, x, batch_size=1000):
        __tracebackhide__ = True
        return self._passed(self.pair.forward(x, batch_size))

    def training_steps(self, batches, **training):
        __tracebackhide__ = True
        return self._passed(self.pair.training_steps(batches, **training))

    def metric(self, train_batches, x_test, y_test, **options):
        __tracebackhide__ = True
        return self._passed(self.pair.metric(train_batches, x_test, y_test, **options))

    def __getattr__(self, name):  # tf1, keras, results, report(), passed: the Pair's own
        return getattr(self.pair, name)


def report_path(directory, nodeid):
    """DIR/<test id>.json, the id's characters other than letters, digits, '.', '-', '_' as '_'."""
    return os.path.join(directory, re.sub(r"[^\w.-]", "_", nodeid) + ".json")


def write_report(directory, nodeid, outcome, pair):
    from tf1_to_keras import report_files  # the atomic writer
    os.makedirs(directory, exist_ok=True)
    document = {"test": nodeid, "outcome": outcome, **pair.report()}
    report_files.write_atomically(report_path(directory, nodeid), json.dumps(document, indent=2) + "\n")


@pytest.fixture
def parity(request):
    """The Pair the test's parity marker names, its checks failing the test; see the module."""
    options = marker_options(request.node)
    from tf1_to_keras import harness  # TensorFlow loads here, for the tests that use it

    with harness.Pair(**options) as pair:
        yield ParityChecks(pair)
    directory = request.config.getoption("parity_report_dir")
    if directory:
        write_report(directory, request.node.nodeid, request.node.stash.get(OUTCOME, "not run"), pair)
