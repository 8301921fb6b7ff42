"""Shared pytest setup: which models and legacy programs the parity layers cover."""

import gc
import os

# Under pytest-xdist each worker gets one TensorFlow thread per pool: two workers whose
# pools each span every core spin against each other (measured on 2 cores: the suite
# took 5m21s that way, 4m56s with one thread each). Set before TensorFlow loads.
if "PYTEST_XDIST_WORKER" in os.environ:
    os.environ.setdefault("TF_NUM_INTRAOP_THREADS", "1")
    os.environ.setdefault("TF_NUM_INTEROP_THREADS", "1")

import keras  # noqa: E402
import pytest  # noqa: E402

from mnist_core import recipes  # noqa: E402
from mnist_parity import registry  # noqa: E402

# TensorFlow and Keras leave millions of long-lived objects behind at import; frozen,
# Python's full collections skip them (a trivial test's setup once took 17 s without this).
gc.freeze()

PARITY_MODELS = recipes.MODEL_KEYS
# (model key, legacy program): layers_cnn has two TF1 programs, each held to the one Keras twin.
PARITY_CASES = [(key, variant) for key in PARITY_MODELS for variant in registry.legacy_variants(key)]
PARITY_CASE_IDS = [key if variant == key else f"{key}-{variant.removeprefix(key + '_')}"
                   for key, variant in PARITY_CASES]


@pytest.fixture(autouse=True)
def fresh_keras_session():
    """Each test starts from a clean Keras state (layer-name counters, seeds, default graph).

    Without `clear_session`'s own `gc.collect()`: two full collections per test cost
    0.35 s (measured), a third of a short test; Python's collector still runs on its own.
    """
    keras.backend.clear_session(free_memory=False)
    yield


# The files that hold the run's longest tests (each 20-60 s on 2 loaded cores, measured with
# --durations): collected first, so that xdist starts them first (pyproject: --dist worksteal
# hands each worker a contiguous half, then moves queued tests to whichever worker runs dry) and
# none is left running alone at the end of the run. Order kept inside each file and elsewhere.
LONG_RUNNING_FILES = ("kit/test_benchmark.py", "kit/test_determinism.py", "kit/test_resume.py",
                      "library/porting/test_port_backends.py", "kit/test_migration_guide.py",
                      "kit/test_training_steps.py", "kit/test_reproduce.py", "library/test_command_runs.py",
                      "kit/test_cli.py")


def pytest_collection_modifyitems(items):
    def rank(item):
        path = item.nodeid.split("::")[0].removeprefix("parity_tests/")
        return LONG_RUNNING_FILES.index(path) if path in LONG_RUNNING_FILES else len(LONG_RUNNING_FILES)
    items.sort(key=rank)  # stable
