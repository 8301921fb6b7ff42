"""Port at scale: `mnist-parity benchmark --port` ports a ladder of TF-Slim programs, from
LeNet-5 (62 K parameters) through a CifarNet, a VGG-style net at 224x224 (15 M) and
ResNet-18 to ResNet-50 v1 at 224x224 (25.6 M), and tabulates each stage's
seconds and peak memory (port.json's `timings`, stage_timing) against the graph's op count.

Each rung is one `tf1-to-keras port` child process, as a person runs it: its memory is its
own, and a rung that fails (a construct recognition does not know yet) still reports the
stages it ran. The linearity evidence is seconds per 1,000 graph ops per stage: a stage whose
work grows with the op count keeps that figure level up the ladder; `linearity` is its ratio
between the largest and the smallest rung (about 1 for a linear stage; a quadratic walk
multiplies it by the ops' ratio, here about 30).
"""

import json
import os
import subprocess
import sys
import tempfile

from tf1_to_keras import report_files

PROGRAMS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "port_programs")
LADDER = ("lenet_slim", "cifarnet_slim", "vgg_slim", "resnet18_slim", "resnet50_slim")
STAGES = ("capture", "recognition", "codegen", "weights", "verify_forward", "verify_training")
TIMEOUT_S = 1800


def program_path(name):
    """The ladder program `name` (lenet_slim ...); ValueError naming the ladder when unknown."""
    if name not in LADDER:
        raise ValueError(f"--port-programs: no ladder program {name!r}; the ladder is {', '.join(LADDER)}")
    return os.path.join(PROGRAMS, f"{name}.py")


def port_rung(name, directory, timeout=TIMEOUT_S):
    """Ports one ladder program in a child process; its row: timings, passed, failures."""
    out = os.path.join(directory, name)
    command = [sys.executable, "-m", "tf1_to_keras.cli", "port", program_path(name), "--out", out]
    environment = dict(os.environ, TF_CPP_MIN_LOG_LEVEL=os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2"))
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=environment,
                            check=False)
    port_json = os.path.join(out, "port.json")
    if not os.path.exists(port_json):  # refused before anything was measured (bad input)
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return {"program": name, "passed": False, "failures": [last], "timings": None}
    with open(port_json, encoding="utf-8") as stream:
        document = json.load(stream)
    return {"program": name, "passed": document["passed"], "timings": document.get("timings"),
            "unrecognised_ops": len(document["unrecognised_ops"]), "failures": document["failures"][:3]}


def per_thousand_ops(row, key="seconds"):
    """{stage: seconds per 1,000 graph ops} of a measured row (`key` "seconds": wall, the
    capture's beyond start-up; "cpu_seconds": CPU, which a loaded machine inflates least, the
    capture left out: its CPU time includes the worker's imports)."""
    timings = row["timings"]
    thousands = timings["graph_ops"] / 1000
    seconds = {stage: entry[key] for stage, entry in timings["stages"].items()
               if key in entry and not (key == "cpu_seconds" and stage == "capture")}
    if key == "seconds" and "startup_seconds" in timings["stages"].get("capture", {}):
        capture = timings["stages"]["capture"]
        seconds["capture"] = capture["program_seconds"] + capture["save_seconds"]
    return {stage: round(value / thousands, 4) for stage, value in seconds.items()}


def linearity(rows, key="per_1k_ops"):
    """{stage: s/1k ops of the largest rung / that of the smallest} over the measured rows."""
    measured = sorted((row for row in rows if row["timings"]), key=lambda row: row["timings"]["graph_ops"])
    if len(measured) < 2:
        return {}
    small, large = measured[0][key], measured[-1][key]
    return {stage: round(large[stage] / small[stage], 2) for stage in STAGES
            if stage in small and stage in large and small[stage] > 0}


def beyond_startup(timings):
    """A port's seconds beyond the program's own start-up (the worker's Python and TF imports)."""
    return round(timings["total_seconds"] - timings["stages"].get("capture", {}).get("startup_seconds", 0.0), 2)


def run_ladder(names=LADDER, progress=print):
    """The benchmark document: one row per rung, the linearity ratios, the machine."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="port-benchmark-") as directory:
        for name in names:
            progress(f"porting {name} ...")
            row = port_rung(name, directory)
            if row["timings"]:
                row["per_1k_ops"] = per_thousand_ops(row)
                row["cpu_per_1k_ops"] = per_thousand_ops(row, "cpu_seconds")
                row["seconds_beyond_startup"] = beyond_startup(row["timings"])
            rows.append(row)
    return {"rows": rows, "linearity": linearity(rows), "cpu_linearity": linearity(rows, "cpu_per_1k_ops"),
            "machine": f"{os.cpu_count()} CPU cores, {sys.platform}, Python {sys.version.split()[0]}"}


def _cell(entry, key, form):
    return form.format(entry[key]) if entry and key in entry else "-"


def tables(document, key="per_1k_ops", ratios="linearity"):
    """(stage table, per-1k-ops table of `key`, its last row `ratios`) as (columns, rows) of strings."""
    stage_columns = ("program", "ops", "params", "passed", "beyond start-up s",
                     *(f"{stage} s / cpu s / MiB" for stage in STAGES))
    ratio_columns = ("program", "ops", *(f"{stage} s/1k ops" for stage in STAGES))
    stage_rows, ratio_rows = [], []
    for row in document["rows"]:
        timings = row["timings"] or {"graph_ops": 0, "params": 0, "stages": {}}
        stages = timings["stages"]
        head = (row["program"], f"{timings['graph_ops']:,}")
        stage_rows.append((*head, f"{timings['params']:,}", "yes" if row["passed"] else "no",
                           _cell(row, "seconds_beyond_startup", "{:.1f}"),
                           *(" / ".join((_cell(stages.get(s), "seconds", "{:.2f}"),
                                         _cell(stages.get(s), "cpu_seconds", "{:.2f}"),
                                         _cell(stages.get(s), "peak_mib", "{:.0f}"))) for s in STAGES)))
        ratio_rows.append((*head, *(_cell(row.get(key), s, "{:.3f}") for s in STAGES)))
    ratio_rows.append(("largest / smallest", "", *(_cell(document.get(ratios), s, "{:.2f}") for s in STAGES)))
    return (stage_columns, stage_rows), (ratio_columns, ratio_rows)


def markdown(document, command):
    """port_benchmark.md: the command, the machine, both tables, each rung's failures."""
    (stage_columns, stage_rows), (ratio_columns, ratio_rows) = tables(document)
    lines = ["# Port at scale", "", f"`{command}` on {document['machine']}.", "",
             "Each stage's wall seconds / CPU seconds / peak RSS MiB (capture: the worker process's, its CPU "
             "time from its start; the rest: the port process's, the peak reset per stage):", "",
             *report_files.markdown_table(stage_columns, stage_rows), "",
             "Seconds per 1,000 graph ops (capture: beyond start-up); the last row is the linearity ratio:", "",
             *report_files.markdown_table(ratio_columns, ratio_rows), "",
             "CPU seconds per 1,000 graph ops (the port process's stages):", "",
             *report_files.markdown_table(*tables(document, "cpu_per_1k_ops", "cpu_linearity")[1]), ""]
    lines += [f"- {row['program']}: {failure}" for row in document["rows"] for failure in row["failures"]]
    return "\n".join(lines) + "\n"
