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

Another Keras backend: `--parity-backend jax` (or the marker's `backend="jax"`, which wins)
runs `forward(x)` on that backend too, in its own process (harness/backend_checks.py): the
check passes here first (TensorFlow), then the `keras` function, imported by name in a process
with KERAS_BACKEND=jax and given the weights checked here, must give TF1's outputs within that
backend's forward bar; the report's `backends` holds its figure. `structure`, `training_steps`
and `metric` run here, on TensorFlow, whatever the backend (say so when you rely on them).

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
    parser.getgroup("mnist-parity").addoption(
        "--parity-backend", metavar="BACKEND", default=None,
        help="Keras backend (tensorflow, jax, torch) the `parity` fixture's forward check also runs on, "
             "in its own process; a marker's backend= wins")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", f"{MARKER}(tf1, keras, name_map=None, tolerances=None, seed=0, checkpoint=None, "
                   "tf1_optimizer=None, keras_optimizer=None, keras_loss=None, tf1_feed=None, backend=None): the TF1 "
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

    def __init__(self, pair, backend="tensorflow", keras_function=None, seed=0):
        self.pair, self.backend, self.backends = pair, backend, {}
        self.keras_function, self.seed = keras_function, seed  # what another backend's process builds

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
        result = self._passed(self.pair.forward(x, batch_size))
        if self.backend != "tensorflow":
            self._forward_on_backend(x, batch_size)
        return result

    def _forward_on_backend(self, x, batch_size):
        __tracebackhide__ = True
        from tf1_to_keras.harness import backend_checks
        keras_function = backend_checks.function_name(self.keras_function)
        entry = backend_checks.keras_side_on_backend(
            self.backend, self.pair.tf1, self.pair.keras, x, "tf1_to_keras.harness.backend_checks:build_named",
            keras_function, seed=self.seed, batch_size=batch_size, bars=self.pair.tolerances)
        self.backends[self.backend] = entry
        if not entry["passed"]:
            from tf1_to_keras.harness import errors
            raise errors.ParityError(f"forward check failed on Keras backend {self.backend!r}:\n  "
                                     + "\n  ".join(entry["failures"]))

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


def write_report(directory, nodeid, outcome, pair, backends=None):
    from tf1_to_keras import report_files  # the atomic writer
    os.makedirs(directory, exist_ok=True)
    document = {"test": nodeid, "outcome": outcome, **pair.report(), **({"backends": backends} if backends else {})}
    report_files.write_atomically(report_path(directory, nodeid), json.dumps(document, indent=2) + "\n")


@pytest.fixture
def parity(request):
    """The Pair the test's parity marker names, its checks failing the test; see the module."""
    options = marker_options(request.node)
    backend = options.pop("backend", None) or request.config.getoption("parity_backend") or "tensorflow"
    from tf1_to_keras.harness import backend_process
    backend_process.check_backend(backend)
    if not backend_process.backend_installed(backend):
        pytest.skip(f"Keras backend {backend!r} is not installed here")
    from tf1_to_keras import harness  # TensorFlow loads here, for the tests that use it

    with harness.Pair(**options) as pair:
        checks = ParityChecks(pair, backend, options["keras"], options.get("seed", 0))
        yield checks
    directory = request.config.getoption("parity_report_dir")
    if directory:
        write_report(directory, request.node.nodeid, request.node.stash.get(OUTCOME, "not run"), pair,
                     checks.backends)
