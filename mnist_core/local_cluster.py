"""Local clusters for both sides: free 127.0.0.1 ports, TF_CONFIG, and the processes of one cluster.

`legacy_tf1.cluster` (`python -m legacy_tf1 cluster`, TF1 between-graph programs) and
`modern_keras.distributed` (MultiWorkerMirroredStrategy workers) launch their tasks
with the same `Cluster`: each task's lines relayed with a `[job:index] ` prefix, the
parameter servers (which never finish) stopped once every worker exited 0, a failing
task named and the whole cluster stopped, everything killed at the global timeout.
It needs no TensorFlow (each task imports its own).
"""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

from mnist_core import exit_codes

DEFAULT_TIMEOUT_S = 600
TIMED_OUT = 124  # as coreutils' timeout
_POLL_S = 0.1
_TERMINATE_GRACE_S = 5


def free_ports(count):
    """`count` distinct free TCP ports on 127.0.0.1 (held open together so none repeats)."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def cluster_spec(ps, workers, job_names=("ps", "worker")):
    """{job: ["127.0.0.1:PORT", ...]} for `ps` parameter servers and `workers` workers."""
    if ps < 0 or workers < 1:
        raise ValueError(f"--ps {ps} --workers {workers}: expected ps >= 0 and workers >= 1")
    ports = [f"127.0.0.1:{port}" for port in free_ports(ps + workers)]
    spec = {job_names[1]: ports[ps:]}
    if ps:
        spec[job_names[0]] = ports[:ps]
    return spec


def tf_config(spec, job, index):
    """TF_CONFIG for one task; the first worker is TF1's `chief` (RunConfig's rule)."""
    cluster = {"chief": spec["worker"][:1], "worker": spec["worker"][1:]}
    if spec.get("ps"):
        cluster["ps"] = spec["ps"]
    if job == "worker":
        job, index = ("chief", 0) if index == 0 else ("worker", index - 1)
    return json.dumps({"cluster": cluster, "task": {"type": job, "index": index}})


class Task:
    """One running process of the cluster, its lines relayed with a `[job:index] ` prefix."""

    def __init__(self, name, command, env, output, lock):
        self.name = name
        self.process = subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True)
        self._relay = threading.Thread(target=self._relay_lines, args=(output, lock), daemon=True)
        self._relay.start()

    def _relay_lines(self, output, lock):
        for raw in self.process.stdout:
            line = raw.decode(errors="replace").rstrip("\n")
            with lock:
                print(f"[{self.name}] {line}", file=output, flush=True)

    def poll(self):
        return self.process.poll()

    def kill(self, sig=signal.SIGKILL):
        """Signals the task's whole process group (the runner and anything it started)."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                pass

    def wait(self, timeout):
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            self.process.wait(timeout=timeout)
        self._relay.join(timeout=timeout)


class Cluster:
    """The tasks of one cluster; `run()` waits for the workers and always stops every task."""

    def __init__(self, commands, timeout_s=DEFAULT_TIMEOUT_S, output=None):
        """`commands`: [(name, argv, env)], parameter servers' names starting with 'ps:'."""
        if timeout_s <= 0:
            raise ValueError(f"--timeout {timeout_s}: expected a positive number of seconds")
        self.commands = commands
        self.timeout_s = timeout_s
        self.output = output or sys.stdout
        self.tasks = []
        self._lock = threading.Lock()

    def start(self):
        for name, command, env in self.commands:
            self.tasks.append(Task(name, command, env, self.output, self._lock))

    def _say(self, message):
        with self._lock:
            print(f"[cluster] {message}", file=self.output, flush=True)

    def _workers(self):
        return [task for task in self.tasks if not task.name.startswith("ps:")]

    def _failed_task(self):
        """The first task that exited non-zero, or a ps that exited at all (it must serve)."""
        for task in self.tasks:
            status = task.poll()
            if status is not None and (status != 0 or task.name.startswith("ps:")):
                return task, status
        return None, None

    def watch(self):
        """Exit status of the cluster: OK, RUN_FAILED naming the task, or TIMED_OUT."""
        deadline = time.monotonic() + self.timeout_s
        while time.monotonic() < deadline:
            task, status = self._failed_task()
            if task is not None:
                self._say(f"task {task.name} failed with exit status {status}; stopping the cluster")
                return exit_codes.RUN_FAILED
            if all(worker.poll() == 0 for worker in self._workers()):
                servers = "; stopping the parameter servers" if len(self._workers()) < len(self.tasks) else ""
                self._say(f"all workers finished{servers}")
                return exit_codes.OK
            time.sleep(_POLL_S)
        running = [task.name for task in self.tasks if task.poll() is None]
        self._say(f"timed out after {self.timeout_s} s; killing {', '.join(running)}")
        return TIMED_OUT

    def stop(self):
        """SIGTERM to every task still running, SIGKILL after a grace period."""
        for task in self.tasks:
            task.kill(signal.SIGTERM)
        for task in self.tasks:
            task.wait(_TERMINATE_GRACE_S)

    def run(self):
        try:
            self.start()
            return self.watch()
        finally:
            self.stop()
