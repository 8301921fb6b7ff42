"""Wall time and peak memory of each stage of a port: port.json's `timings`.

    clock = stage_timing.StageClock()
    with clock.stage("codegen"):
        ...
    clock.to_json(graph_ops=..., params=...)

Peak memory is the process's resident-set high-water mark (VmHWM), not tracemalloc: TF's
and NumPy's buffers are allocated outside Python's allocator. Linux lets a process reset
its own mark (`/proc/self/clear_refs` "5"), so each stage's peak is its own; where that is
not possible (another OS, an old kernel) the peak is the process's since it started, and
`peak_resets` says so. The capture runs in a worker process, which reports its own peak
and when the program started (capture_worker); its stage is split into start-up (Python
and TensorFlow imports), program (the program's own code up to its training run) and save.
"""

import contextlib
import resource
import sys
import time

STAGES = ("capture", "recognition", "codegen", "weights", "verify_forward", "verify_training",
          "verify_backends")
_MIB = 1024 * 1024


def peak_rss_mib():
    """This process's resident-set high-water mark in MiB (since the last reset)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return peak / _MIB if sys.platform == "darwin" else peak / 1024


def cpu_seconds():
    """This process's CPU time so far (user and system, all threads)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return round(usage.ru_utime + usage.ru_stime, 3)


def reset_peak():
    """Resets the high-water mark to the current RSS; False where the OS does not allow it."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
        return True
    except OSError:
        return False


class StageClock:
    """Each stage's seconds and peak MiB, in the order the stages ran."""

    def __init__(self):
        self.stages = {}
        self.peak_resets = True

    @contextlib.contextmanager
    def stage(self, name):
        """Times the block as stage `name` (a stage entered twice adds up, the peak is the larger)."""
        self.peak_resets = reset_peak() and self.peak_resets
        start, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - start, peak_rss_mib(), time.process_time() - cpu)

    def add(self, name, seconds, peak_mib, cpu_seconds=0.0, **details):
        """Records a stage measured elsewhere (the capture worker's). `cpu_seconds`: the
        process's CPU time in it (all threads), the figure a loaded machine inflates least."""
        entry = self.stages.setdefault(name, {"seconds": 0.0, "cpu_seconds": 0.0, "peak_mib": 0.0})
        entry["seconds"] = round(entry["seconds"] + seconds, 4)
        entry["cpu_seconds"] = round(entry["cpu_seconds"] + cpu_seconds, 4)
        entry["peak_mib"] = round(max(entry["peak_mib"], peak_mib), 1)
        entry.update(details)

    def to_json(self, graph_ops, params):
        """port.json's `timings`: {"stages": {name: {"seconds", "peak_mib", ...}}, "graph_ops",
        "params", "total_seconds", "peak_mib" (the largest), "peak_resets"}."""
        order = sorted(self.stages, key=lambda name: STAGES.index(name) if name in STAGES else len(STAGES))
        return {"stages": {name: dict(self.stages[name]) for name in order},
                "graph_ops": int(graph_ops), "params": int(params),
                "total_seconds": round(sum(entry["seconds"] for entry in self.stages.values()), 3),
                "total_cpu_seconds": round(sum(entry["cpu_seconds"] for entry in self.stages.values()), 3),
                "peak_mib": max((entry["peak_mib"] for entry in self.stages.values()), default=0.0),
                "peak_resets": self.peak_resets}


def stage(clock, name):
    """`clock.stage(name)`, or nothing timed when `clock` is None (a caller outside a port)."""
    return contextlib.nullcontext() if clock is None else clock.stage(name)


def graph_op_count(meta_graph):
    """The number of ops (nodes) in the captured graph's meta graph file, functions' bodies aside."""
    from tensorflow.core.protobuf import meta_graph_pb2  # pylint: disable=import-outside-toplevel
    document = meta_graph_pb2.MetaGraphDef()
    with open(meta_graph, "rb") as stream:
        document.ParseFromString(stream.read())
    return len(document.graph_def.node)


def capture_stage(clock, seconds, worker):
    """Adds the capture stage: `seconds` measured around the worker, `worker` its own report
    ({"started", "program_started", "training_run", "saved": wall clock times; "peak_mib",
    "cpu_seconds"}), split into start-up, the program's own code, the save and the worker's exit."""
    if not worker:
        clock.add("capture", seconds, 0.0)
        return
    clock.add("capture", seconds, worker["peak_mib"], worker.get("cpu_seconds", 0.0),
              startup_seconds=round(worker["program_started"] - worker["started"], 3),
              program_seconds=round(worker["training_run"] - worker["program_started"], 3),
              save_seconds=round(worker["saved"] - worker["training_run"], 3),
              exit_seconds=round(max(0.0, seconds - (worker["saved"] - worker["started"])), 3))


def format_timings(timings):
    """The --verbose lines: one per stage, then the graph's size."""
    lines = [f"timings ({timings['graph_ops']:,} graph ops, {timings['params']:,} params):"]
    for name, entry in timings["stages"].items():
        split = ", ".join(f"{key.removesuffix('_seconds')} {value:.2f} s" for key, value in entry.items()
                          if key.endswith("_seconds") and key != "cpu_seconds")
        lines.append(f"  {name:<16} {entry['seconds']:8.2f} s  cpu {entry['cpu_seconds']:8.2f} s  "
                     f"peak {entry['peak_mib']:8.1f} MiB"
                     + (f"  ({split})" if split else ""))
    lines.append(f"  {'total':<16} {timings['total_seconds']:8.2f} s  {'':16}peak {timings['peak_mib']:8.1f} MiB"
                 + ("" if timings["peak_resets"] else "  (peaks since process start: no reset here)"))
    return "\n".join(lines)
