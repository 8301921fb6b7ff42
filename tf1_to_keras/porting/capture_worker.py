"""Runs a TF1 program to its first training `Session.run` and saves its graph and weights there.

    python -m tf1_to_keras.porting.capture_worker --directory DIR [--checkpoint CKPT] PROGRAM [ARGS...]

A process of its own (`capture.capture_program` starts it): the runner switches the process
to TF1 behaviour. `Session.run` is wrapped for the program's lifetime; the first run whose
fetches reach an update of variables from gradients (training_run: an optimizer's `Apply*`,
a sparse update, a hand-written `tf.assign(w, w - lr * grad)`) is the training run, or with
--train-op NAME the first run fetching NAME: before it executes, the worker writes
DIR/model.meta (export_meta_graph with a Saver of every global variable), the checkpoint
DIR/model.ckpt, the run's fed arrays DIR/feed.npz (with the batch its tf.data iterator
outputs give, evaluated first: iterator_batch) and DIR/capture.json (which training op
it ran, the graph's other training ops), then ends the program with `TrainingRunReached`. Module-level loops, `tf.app.run` mains and
Estimators (whose MonitoredSession runs the raw session underneath) all pass through it.

With --checkpoint the variables it holds are restored first (same names and shapes), so
the saved weights are the checkpoint's; else they are the values at that run, before its
step: "initial", or "restored by the program from PREFIX" when the program restored a
checkpoint before it (an Estimator resuming one in its model_dir). Exit status: 0 captured,
1 the program failed (its error on stderr), 2 bad arguments, 3 the program ended without a
training run.
"""

import argparse
import json
import os
import sys
import time
import traceback

import numpy as np
import tensorflow as tf
from tensorflow.python.client import session as session_lib

from legacy_tf1 import runner
from tf1_to_keras.porting import checkpoint_fit, distribution_reading, stage_timing, training_run

_V1 = tf.compat.v1
CAPTURED, FAILED, BAD_INPUT, NO_TRAINING_RUN = 0, 1, 2, 3
META_GRAPH, CHECKPOINT, DESCRIPTION, FEED = "model.meta", "model.ckpt", "capture.json", "feed.npz"


class CaptureFailed(BaseException):
    """Saving failed (e.g. a --checkpoint that does not fit): not the program's error."""


class TrainingRunReached(BaseException):
    """Ends the program at its training run; a BaseException so `except Exception` in the
    program, the runner or MonitoredSession does not swallow it."""


def fetched_ops(graph, fetches):
    """{name: op} of every fetch (tensors, ops, variables or their names, nested)."""
    found = {}
    for fetch in _leaves(fetches):
        try:
            element = graph.as_graph_element(fetch, allow_tensor=True, allow_operation=True)
        except (TypeError, ValueError, KeyError):
            continue
        found[element.name] = element if isinstance(element, tf.Operation) else element.op
    return found


def _leaves(fetches):
    """The leaves of a fetch structure (lists, tuples, dicts: MonitoredSession keys by hook)."""
    if isinstance(fetches, dict):
        return [leaf for value in fetches.values() for leaf in _leaves(value)]
    if isinstance(fetches, (list, tuple)):
        return [leaf for value in fetches for leaf in _leaves(value)]
    return [fetches]


def reaches_update(ops):
    """True when an update of variables from gradients is among `ops` or their inputs."""
    return training_run.reaches_update(list(ops))


def scalar_feeds(graph, feed_dict):
    """{tensor name: Python value} of the feeds that are one number or bool (keep_prob, training)."""
    return {name: value.item() for name, value in fed_arrays(graph, feed_dict).items() if value.ndim == 0}


def fed_arrays(graph, feed_dict):
    """{tensor name: array} of the run's numeric feeds (the batch a program fed), scalars too."""
    arrays = {}
    for key, value in (feed_dict or {}).items():
        try:
            tensor = graph.as_graph_element(key, allow_tensor=True, allow_operation=False)
        except (TypeError, ValueError, KeyError):
            continue
        value = np.asarray(value)
        if value.dtype.kind in "biuf":
            arrays[tensor.name] = value
    return arrays


ITERATOR_OUTPUTS = ("IteratorGetNext", "IteratorGetNextSync")


def iterator_batch(run, session, fetches, feed_dict):
    """{tensor name: array} of the tf.data iterator outputs the run reads and is not fed,
    evaluated in one run of their own before the step: the batch the training run would have
    consumed (the program is stopped there, so it never sees the difference). {} when there
    are none, or the iterator cannot give one (it is left to the training run's own error)."""
    graph = session.graph
    ops = training_run.ancestor_ops(list(fetched_ops(graph, fetches).values())).values()
    fed = fed_arrays(graph, feed_dict)
    tensors = sorted((tensor for op in ops if op.type in ITERATOR_OUTPUTS for tensor in op.outputs
                      if tensor.name not in fed), key=lambda tensor: tensor.name)
    if not tensors:
        return {}
    try:
        values = run(session, tensors, feed_dict, None, None)
    except tf.errors.OpError:
        return {}
    arrays = {tensor.name: np.asarray(value) for tensor, value in zip(tensors, values)}
    return {name: value for name, value in arrays.items() if value.dtype.kind in "biuf"}


def save_feed(directory, graph, feed_dict, consumed=None):
    """DIR/feed.npz of the run's fed arrays (and the iterator batch it `consumed`) under keys
    feed_0, feed_1...; {tensor name: key}."""
    arrays = {**fed_arrays(graph, feed_dict), **(consumed or {})}
    keys = {name: f"feed_{index}" for index, name in enumerate(sorted(arrays))}
    np.savez(os.path.join(directory, FEED), **{keys[name]: arrays[name] for name in arrays})
    return keys


def program_line(program):
    """`file.py:line` of the innermost frame of `program` on the stack."""
    frames = [frame for frame in traceback.extract_stack() if frame.filename == program]
    return f"{os.path.basename(program)}:{frames[-1].lineno}" if frames else os.path.basename(program)


class Capture:
    """The wrapper of `BaseSession.run` and what it saves at the training run."""

    def __init__(self, program, directory, checkpoint=None, train_op=None, averages=False):
        self.program, self.directory, self.checkpoint = program, directory, checkpoint
        self.averages = averages  # --averages: variables from their ExponentialMovingAverage shadows
        self.train_op = train_op  # --train-op: the run to stop at fetches this op
        self._checked = {}
        self._saving = False
        self.restored = None  # the checkpoint the program last restored before its training run
        self.program_started = time.time()  # main() sets it again when the program starts

    def is_training_run(self, graph, fetches):
        """True when the fetches reach an update (cached per graph and fetch set); with
        --train-op, when they fetch that op."""
        ops = fetched_ops(graph, fetches)
        if self.train_op is not None:
            return self.train_op.partition(":")[0] in ops
        key = (id(graph), tuple(sorted(ops)))
        if key not in self._checked:
            self._checked[key] = reaches_update(ops.values())
        return self._checked[key]

    def training_op(self, graph, fetches):
        """The run's training op: --train-op, else the first fetch that reaches an update."""
        if self.train_op is not None:
            return self.train_op.partition(":")[0]
        ops = fetched_ops(graph, fetches)
        return next(op.name for op in ops.values() if reaches_update([op]))

    def wrap(self, run):
        """A `BaseSession.run` that stops at the training run and runs every other run."""
        def capturing_run(session, fetches, feed_dict=None, options=None, run_metadata=None):
            if not self._saving and self.is_training_run(session.graph, fetches):
                self._saving = True
                try:
                    consumed = iterator_batch(run, session, fetches, feed_dict)
                    self.save(session, fetches, feed_dict, consumed)
                except Exception as error:
                    raise CaptureFailed(str(error)) from error
                raise TrainingRunReached()
            return run(session, fetches, feed_dict, options, run_metadata)
        return capturing_run

    def wrap_restore(self, restore):
        """A `Saver.restore` that records the program's restores (the worker's own are not)."""
        def recording_restore(saver, session, save_path):
            if not self._saving:
                self.restored = save_path
            return restore(saver, session, save_path)
        return recording_restore

    def save(self, session, fetches, feed_dict, consumed=None):
        """model.meta, model.ckpt and capture.json of the session's graph, before the step;
        `consumed`: the iterator batch the run reads (iterator_batch), saved with its feeds."""
        graph, reached = session.graph, time.time()
        if graph.finalized:  # MonitoredSession finalizes; the Saver adds ops
            graph._unsafe_unfinalize()  # pylint: disable=protected-access
        with graph.as_default():
            saver = _V1.train.Saver(var_list=_V1.global_variables(), name="port_capture_saver")
            origin = f"restored by the program from {self.restored}" if self.restored else "initial"
            if self.checkpoint:
                origin = checkpoint_fit.restore(session, self.checkpoint, self.averages)
            saver.save(session, os.path.join(self.directory, CHECKPOINT), write_meta_graph=False,
                       write_state=False)
            _V1.train.export_meta_graph(os.path.join(self.directory, META_GRAPH), graph=graph,
                                        saver_def=saver.as_saver_def(), clear_devices=True)
        training_op = self.training_op(graph, fetches)
        description = {
            "captured_at": f"the first training Session.run, {program_line(self.program)}",
            "weights_origin": origin, "feeds": scalar_feeds(graph, feed_dict),
            "fetches": sorted(fetched_ops(graph, fetches)), "training_op": training_op,
            "other_training_ops": other_training_ops(graph, fetched_ops(graph, fetches).values()),
            "feed_arrays": save_feed(self.directory, graph, feed_dict, consumed),
            "meta_graph": META_GRAPH, "checkpoint": CHECKPOINT,
            "distribution": distribution_reading.read(graph),  # before devices are cleared
            "timings": {"program_started": self.program_started, "training_run": reached,
                        "saved": time.time(), "peak_mib": stage_timing.peak_rss_mib(),
                        "cpu_seconds": stage_timing.cpu_seconds()}}
        with open(os.path.join(self.directory, DESCRIPTION), "w", encoding="utf-8") as file:
            json.dump(description, file, indent=2)


def other_training_ops(graph, fetched):
    """The graph's training ops (training_run.training_roots) the run's `fetched` ops neither
    are nor run: a GAN's other `minimize`, an ensemble's other models."""
    ran = training_run.ancestor_ops(list(fetched))
    return [name for name in training_run.training_roots(graph) if name not in ran]


def serve_parameter_servers(spec_json):
    """port --cluster: the program's worker 0 runs here, its parameter servers beside it."""
    if not spec_json:
        return []
    spec = json.loads(spec_json)
    cluster = tf.train.ClusterSpec(spec)
    return [tf.distribute.Server(cluster, job_name="ps", task_index=index, start=True)
            for index in range(len(spec.get("ps", [])))]


def parse_arguments(argv):
    """`--directory DIR [--checkpoint CKPT] PROGRAM [ARGS...]`."""
    parser = argparse.ArgumentParser(prog="python -m tf1_to_keras.porting.capture_worker")
    parser.add_argument("--directory", required=True, help="empty directory for the capture")
    parser.add_argument("--checkpoint", default=None, help="Saver checkpoint to restore first")
    parser.add_argument("--train-op", default=None, help="stop at the first run fetching this op")
    parser.add_argument("--serve-ps", default=None,
                        help="cluster spec JSON: serve its ps tasks in this process (port --cluster)")
    parser.add_argument("--averages", action="store_true",
                        help="restore --checkpoint's ExponentialMovingAverage shadows where it has them")
    parser.add_argument("program", help="the TF1 program file")
    parser.add_argument("arguments", nargs=argparse.REMAINDER, help="the program's arguments")
    return parser.parse_args(argv)


def main(argv=None):
    """Runs the capture; returns the exit status (see the module docstring)."""
    options = parse_arguments(sys.argv[1:] if argv is None else argv)
    program = os.path.abspath(options.program)
    capture = Capture(program, options.directory, options.checkpoint, options.train_op, options.averages)
    session_lib.BaseSession.run = capture.wrap(session_lib.BaseSession.run)
    _V1.train.Saver.restore = capture.wrap_restore(_V1.train.Saver.restore)
    servers = serve_parameter_servers(options.serve_ps)  # noqa: F841 (they serve while referenced)
    capture.program_started = time.time()
    try:
        status = runner.run_program(program, options.arguments)
    except TrainingRunReached:
        return CAPTURED
    except (ValueError, CaptureFailed) as error:  # a bad program path or checkpoint
        print(f"capture: {error}", file=sys.stderr)
        return BAD_INPUT
    if status != 0:
        return FAILED
    wanted = f"fetching --train-op {options.train_op}" if options.train_op else "(no run of an update op)"
    print(f"capture: {options.program} ended without a training Session.run {wanted}", file=sys.stderr)
    return NO_TRAINING_RUN


def exit_now(status):
    """Ends the worker: once captured, without the interpreter's teardown of TensorFlow's
    graph, sessions and threads (seconds on a large graph; everything it wrote is closed)."""
    if status != CAPTURED:
        sys.exit(status)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)  # pylint: disable=protected-access


if __name__ == "__main__":
    exit_now(main())
