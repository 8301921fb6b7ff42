"""The commands as CI runs them, in their own processes: TensorFlow's start-up lines hidden
unless --verbose (startup_logging), a program that ends before training named, and SIGTERM
or Ctrl-C leaving no output, temporary directory or capture worker behind (interruption)."""

import os
import pathlib
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from mnist_core import exit_codes
from mnist_parity import cli as kit_cli
from tf1_to_keras import startup_logging

REPOSITORY = pathlib.Path(__file__).resolve().parents[2]
# The lines the brief names, matched literally (not by the filter's own pattern).
STARTUP_PHRASES = ("cudart_stub", "cpu_feature_guard", "To enable the following instructions",
                   "oneDNN", "All log messages before absl::InitializeLog()")
SMALL_PROGRAM = """
import numpy as np
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 6], name="x")
y = tf.placeholder(tf.int64, [None], name="y")
hidden = tf.layers.dense(x, 5, tf.nn.relu, name="hidden")
logits = tf.layers.dense(hidden, 3, name="logits")
loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
with tf.Session() as session:
    session.run(tf.global_variables_initializer())
    session.run(train, {x: np.ones((4, 6), np.float32), y: np.zeros(4, np.int64)})
"""
EXITS_EARLY = """
import os
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 4], name="x")
os._exit(0)
"""
# Stuck before training (a loader that never returns); says where it is by writing its pid.
SLEEPS = """
import os, sys, time
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 4], name="x")
with open(sys.argv[1] + ".part", "w") as stream:
    stream.write(str(os.getpid()))
os.rename(sys.argv[1] + ".part", sys.argv[1])
while True:
    time.sleep(0.2)
"""
START_TIMEOUT_S = 180
STOP_TIMEOUT_S = 60


def environment(**extra):
    """The test's environment for a command, without a TF_CPP_MIN_LOG_LEVEL of its own."""
    variables = {name: value for name, value in os.environ.items() if name != "TF_CPP_MIN_LOG_LEVEL"}
    return {**variables, "PYTHONPATH": str(REPOSITORY), **extra}


def tf1_to_keras(*arguments, timeout=600):
    return subprocess.run([sys.executable, "-m", "tf1_to_keras", *map(str, arguments)],
                          capture_output=True, text=True, timeout=timeout, env=environment())


def write(directory, name, source):
    path = directory / name
    path.write_text(textwrap.dedent(source))
    return path


def startup_lines(stderr):
    return [line for line in stderr.splitlines() if any(phrase in line for phrase in STARTUP_PHRASES)]


# --- start-up lines ----------------------------------------------------------------------------

@pytest.mark.slow  # the default run sees the same in the interrupted port below
def test_a_port_prints_no_tensorflow_startup_lines_by_default(tmp_path):
    np.savez(tmp_path / "examples.npz", x=np.random.default_rng(0).random((20, 6), np.float32),
             y=np.zeros(20, np.int64))
    result = tf1_to_keras("port", write(tmp_path, "small.py", SMALL_PROGRAM), "--out", tmp_path / "out",
                          "--data", tmp_path / "examples.npz")
    assert result.returncode == exit_codes.OK, result.stderr[-3000:]
    assert startup_lines(result.stderr) == [] and "cuInit" not in result.stderr, result.stderr
    assert sorted(os.listdir(tmp_path / "out")) == ["model.py", "model.weights.h5", "port.json"]


def test_verbose_shows_them_and_a_program_that_exits_before_training_is_named(tmp_path):
    result = tf1_to_keras("--verbose", "port", write(tmp_path, "exits.py", EXITS_EARLY),
                          "--out", tmp_path / "out")
    assert result.returncode == exit_codes.BAD_INPUT
    assert startup_lines(result.stderr), result.stderr
    assert result.stderr.splitlines()[-1] == (
        "tf1-to-keras: error: program exits.py ended before its first training step (it exited "
        "with status 0 and no training Session.run, e.g. by os._exit)")
    assert "capture.json" not in result.stderr
    assert sorted(os.listdir(tmp_path)) == ["exits.py"]


def test_the_filter_drops_startup_lines_only_from_this_process_and_its_children():
    keep = ["E0000 00:00:1.5 123 session.cc:9] a real error stays", "Traceback (most recent call last):"]
    noise = ["WARNING: All log messages before absl::InitializeLog() is called are written to STDERR",
             "I0000 00:00:1796644835.067668   19689 port.cc:153] oneDNN custom operations are on.",
             "I0000 00:00:1796644835.068127   19689 cudart_stub.cc:31] Could not find cuda drivers",
             "E0000 00:00:1796645108.177056   22793 cuda_platform.cc:52] failed call to cuInit: INTERNAL",
             "To enable the following instructions: AVX2 FMA, in other operations, rebuild TensorFlow"]
    assert [startup_logging.is_noise(line) for line in noise + keep] == [True] * len(noise) + [False] * len(keep)
    child = f"import os; os.write(2, {chr(10).join(noise + keep + [''])!r}.encode())"
    parent = ("import subprocess, sys\nfrom tf1_to_keras import startup_logging\n"
              "with startup_logging.filtered_stderr(startup_logging.NOISE):\n"
              f"    subprocess.run([sys.executable, '-c', {child!r}], check=True)\n")
    result = subprocess.run([sys.executable, "-c", parent], capture_output=True, text=True,
                            timeout=60, env=environment())
    assert result.returncode == 0 and result.stderr.splitlines() == keep


def test_verbose_goes_before_or_after_the_command_and_a_set_level_is_the_users():
    parser = kit_cli.build_parser()
    assert parser.parse_args(["--verbose", "compare"]).verbose
    assert parser.parse_args(["compare", "--verbose"]).verbose
    assert not parser.parse_args(["compare"]).verbose
    assert startup_logging.quiet_requested(False, {})
    assert not startup_logging.quiet_requested(True, {})
    assert not startup_logging.quiet_requested(False, {"TF_CPP_MIN_LOG_LEVEL": "0"})


# --- interruptions -----------------------------------------------------------------------------

def wait_for(path, process, timeout):
    deadline = time.monotonic() + timeout
    while not path.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the capture worker did not start: {process.communicate()[1][-3000:]}")
        time.sleep(0.2)


@pytest.mark.parametrize("signal_number, status", [
    (signal.SIGTERM, 128 + signal.SIGTERM),
    pytest.param(signal.SIGINT, 130, marks=pytest.mark.slow),
], ids=["SIGTERM", "SIGINT"])
def test_an_interrupted_port_leaves_nothing_behind(signal_number, status, tmp_path):
    (temporary := tmp_path / "tmp").mkdir()
    program, marker, out = write(tmp_path, "sleeps.py", SLEEPS), tmp_path / "worker.pid", tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "tf1_to_keras", "port", str(program), "--out",
                                str(out), "--", str(marker)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=environment(TMPDIR=str(temporary)))
    wait_for(marker, process, START_TIMEOUT_S)
    worker = int(marker.read_text())
    assert list(temporary.glob("*capture*")), "the port's capture directory is where the test looks"
    process.send_signal(signal_number)
    _, stderr = process.communicate(timeout=STOP_TIMEOUT_S)
    assert process.returncode == status, stderr[-3000:]
    assert startup_lines(stderr) == [], stderr  # TensorFlow loaded quietly (--verbose not given)
    assert stderr.splitlines()[-1].startswith(
        f"tf1-to-keras: interrupted by {signal.Signals(signal_number).name}; temporary files removed")
    assert not out.exists() and list(temporary.iterdir()) == []
    assert sorted(path.name for path in tmp_path.iterdir()) == ["sleeps.py", "tmp", "worker.pid"]
    with pytest.raises(ProcessLookupError):  # killed, and reaped by the port before it exited
        os.kill(worker, 0)
