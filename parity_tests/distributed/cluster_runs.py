"""Helpers for the distributed tests: run a program on a local cluster, read what it left."""

import io
import os
import threading
import time

import numpy as np
import tensorflow as tf

from legacy_tf1 import cluster

PROGRAMS = os.path.join(os.path.dirname(__file__), "programs")
# Every cluster a test starts is killed by this deadline, even when a task hangs.
CLUSTER_TIMEOUT_S = 240


class _Lines(io.TextIOBase):
    """A thread-safe text sink the cluster's relays write to."""

    def __init__(self):
        self._parts = []
        self._lock = threading.Lock()

    def write(self, text):
        with self._lock:
            self._parts.append(text)
        return len(text)

    def text(self):
        with self._lock:
            return "".join(self._parts)


def program(name):
    return os.path.join(PROGRAMS, name)


def tf1_cluster(name, arguments, ps=1, workers=2, tf_config=False, timeout_s=CLUSTER_TIMEOUT_S,
                evaluator=False):
    """A started-nothing-yet Cluster for programs/NAME and the sink its lines go to."""
    commands = cluster.tf1_commands(program(name), arguments, ps, workers, tf_config, evaluator)
    sink = _Lines()
    return cluster.Cluster(commands, timeout_s, output=sink), sink


def run_tf1(name, arguments, **kwargs):
    """(exit status, all prefixed lines) of programs/NAME on a local cluster."""
    launched, sink = tf1_cluster(name, arguments, **kwargs)
    status = launched.run()
    return status, sink.text()


def wait_for(condition, timeout_s, what):
    """Polls `condition` until it is true; AssertionError naming `what` after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")


def checkpoint_step(directory):
    """The global step of the latest checkpoint in `directory`, or None."""
    path = tf.train.latest_checkpoint(directory)
    if path is None:
        return None
    return int(tf.train.load_checkpoint(path).get_tensor("global_step"))


def checkpoint_tensor(directory, name):
    return np.asarray(tf.train.load_checkpoint(tf.train.latest_checkpoint(directory)).get_tensor(name))


def summary_values(directory, tag):
    """[(step, value)] of scalar summary `tag` in the event files under `directory`."""
    values = []
    for name in sorted(os.listdir(directory)):
        if not name.startswith("events.out.tfevents"):
            continue
        for event in tf.compat.v1.train.summary_iterator(os.path.join(directory, name)):
            for value in event.summary.value:
                if value.tag == tag:
                    values.append((event.step, value.simple_value))
    return values
