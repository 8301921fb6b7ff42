"""Captures a TF1 program's graph and weights at its first training run, in a subprocess.

`capture_program(program, arguments, directory)` runs the unmodified program under the
runner in `python -m tf1_to_keras.porting.capture_worker` (the runner switches a process
to TF1 behaviour for good, so never this one), stopped before its first training
`Session.run`, and returns a `specs.CapturedProgram` whose meta graph and checkpoint lie
in `directory`. The worker writes into a staging directory beside `directory`, renamed
into place only when the capture succeeded: on any failure nothing is left there.

With `checkpoint`, the worker restores the checkpoint's variables into the program's
session before saving (`weights_origin` "checkpoint PREFIX"); without it the weights are
the program's at that run, before its step ("initial", or "restored by the program from
PREFIX" when it resumed a checkpoint, as an Estimator does from its model_dir).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from legacy_tf1.cluster import task_flags
from mnist_core.local_cluster import cluster_spec, tf_config
from tf1_to_keras.porting import capture_worker, specs

DEFAULT_TIMEOUT_S = 600
_ERROR_LINES = 20  # of the program's stderr kept on a CaptureError


class CaptureError(ValueError):
    """The program could not be captured; `output` holds the end of its stderr."""

    def __init__(self, message, output=""):
        super().__init__(message)
        self.output = output


def capture_program(program, arguments=(), directory=None, checkpoint=None,
                    timeout=DEFAULT_TIMEOUT_S, train_op=None, cluster=None,
                    averages=False):
    """Runs `program ARGUMENTS` to its first training Session.run (with `train_op`, the first
    run fetching that op); returns a CapturedProgram.

    `cluster` ("flags" or "tf-config", port --cluster): a between-graph program runs as worker 0
    (the chief) of a 1-ps/1-worker cluster on 127.0.0.1, given mnist_replica's --job_name ...
    flags or TF_CONFIG, its ps served inside the capture process.

    `directory` must not exist or be empty. Raises CaptureError (a ValueError) naming the
    program when it is not a file, fails, ends without a training run, or runs past `timeout`.
    """
    program, directory = _checked_paths(program, directory, checkpoint)
    parent = os.path.dirname(directory)
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".capture-", dir=parent)
    launched = time.time()  # the worker's start-up is counted from here (stage_timing)
    try:
        _run_worker(program, list(arguments), staging, checkpoint, timeout, train_op, cluster,
                    averages)
        with open(os.path.join(staging, capture_worker.DESCRIPTION), encoding="utf-8") as file:
            description = json.load(file)
        _move_into_place(staging, directory)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return specs.CapturedProgram(
        program=program, arguments=list(arguments), directory=directory,
        meta_graph=os.path.join(directory, description["meta_graph"]),
        checkpoint=os.path.join(directory, description["checkpoint"]),
        captured_at=description["captured_at"], weights_origin=description["weights_origin"],
        feeds=description["feeds"], fetches=description["fetches"],
        training_op=description["training_op"], other_training_ops=description["other_training_ops"],
        feed_file=os.path.join(directory, capture_worker.FEED), feed_arrays=description["feed_arrays"],
        distribution=description.get("distribution"),
        timings=dict(description.get("timings", {}), started=launched))


def _checked_paths(program, directory, checkpoint):
    program = os.path.abspath(os.fspath(program))
    if not os.path.isfile(program):
        raise CaptureError(f"program {program!r} is not a file; expected a TF 1.x Python program")
    if directory is None:
        raise CaptureError("capture_program needs a directory for the graph and checkpoint")
    directory = os.path.abspath(os.fspath(directory))
    if os.path.exists(directory) and (not os.path.isdir(directory) or os.listdir(directory)):
        raise CaptureError(f"capture directory {directory!r} exists and is not empty")
    if checkpoint is not None and not (os.path.isdir(checkpoint)
                                       or os.path.exists(os.fspath(checkpoint) + ".index")):
        raise CaptureError(f"checkpoint {os.fspath(checkpoint)!r} not found; expected a Saver "
                           "prefix (PREFIX.index exists) or a directory of checkpoints")
    return program, directory


def cluster_task(arguments, cluster):
    """(program arguments, extra environment, worker options) for worker 0 of a local
    1-ps/1-worker cluster; unchanged arguments without `cluster`."""
    if cluster is None:
        return list(arguments), {}, []
    if cluster not in ("flags", "tf-config"):
        raise CaptureError(f"--cluster {cluster!r}: expected 'flags' or 'tf-config'")
    spec = cluster_spec(1, 1)
    if cluster == "flags":
        return [*arguments, *task_flags(spec, "worker", 0)], {}, ["--serve-ps", json.dumps(spec)]
    config = tf_config(spec, "worker", 0)  # the chief
    return list(arguments), {"TF_CONFIG": config}, ["--serve-ps", json.dumps(json.loads(config)["cluster"])]


def _run_worker(program, arguments, staging, checkpoint, timeout, train_op=None, cluster=None,
                averages=False):
    """Runs the worker; raises CaptureError unless it captured."""
    arguments, cluster_environment, cluster_options = cluster_task(arguments, cluster)
    command = [sys.executable, "-m", "tf1_to_keras.porting.capture_worker", "--directory", staging,
               *cluster_options]
    if checkpoint is not None:
        command += ["--checkpoint", os.path.abspath(os.fspath(checkpoint))]
    if train_op is not None:
        command += ["--train-op", train_op]
    if averages:  # --checkpoint-averages: the checkpoint's ExponentialMovingAverage shadows
        command += ["--averages"]
    command += [program, *arguments]
    environment = dict(os.environ, TF_CPP_MIN_LOG_LEVEL=os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2"),
                       **cluster_environment)
    name = os.path.basename(program)
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                env=environment, check=False)
    except subprocess.TimeoutExpired as expired:
        raise CaptureError(f"program {name} did not reach its first training Session.run "
                           f"within {timeout} s", _text(expired.stderr)) from None
    if result.returncode == capture_worker.CAPTURED:
        if not os.path.exists(os.path.join(staging, capture_worker.DESCRIPTION)):  # os._exit(0)
            raise CaptureError(f"program {name} ended before its first training step (it exited "
                               "with status 0 and no training Session.run, e.g. by os._exit)",
                               "\n".join(result.stderr.strip().splitlines()[-_ERROR_LINES:]))
        return
    output = "\n".join(result.stderr.strip().splitlines()[-_ERROR_LINES:])
    raise CaptureError(_failure_message(name, result.returncode, result.stderr), output)


def _failure_message(name, status, stderr):
    """One line: why the program was not captured (its error when it failed)."""
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    last = lines[-1].strip() if lines else "no error output"
    if status == capture_worker.NO_TRAINING_RUN:
        why = last.removeprefix("capture: ").partition("Session.run ")[2] or "(no run of an update op)"
        return (f"program {name} ended without a training Session.run {why}, so there is no "
                "model to capture")
    if status == capture_worker.BAD_INPUT:
        return f"program {name}: {last.removeprefix('capture: ')}"
    return (f"program {name} failed before its first training Session.run (exit {status}): "
            f"{error_summary(lines) or last}")


def error_summary(lines):
    """The exception a Python traceback in `lines` ends with, on one line ("NotFoundError: ...");
    "" when there is none. Its last line is often not it: TF's graph errors end with the stack
    that built the failing op. A TF op error's own message (after "Node: 'NAME'") is appended."""
    starts = [index for index, line in enumerate(lines) if line.startswith("Traceback (most recent call last)")]
    if not starts:
        return ""
    message = [line.strip() for line in lines[starts[-1] + 1:] if not line.startswith((" ", "\t"))]
    if not message:
        return ""
    kind, separator, text = message[0].partition(": ")
    summary = f"{kind.rpartition('.')[2]}{separator}{text}"
    nodes = [index for index, line in enumerate(message[:-1]) if line.startswith("Node: '")]
    if nodes and message[nodes[0] + 1] not in summary:
        summary += f" {message[nodes[0] + 1]}"
    return summary


def _text(value):
    return value.decode(errors="replace") if isinstance(value, bytes) else (value or "")


def _move_into_place(staging, directory):
    """Renames the staged capture to `directory` (moves its files in when it exists empty)."""
    if not os.path.exists(directory):
        os.rename(staging, directory)
        return
    for name in os.listdir(staging):
        os.rename(os.path.join(staging, name), os.path.join(directory, name))
