"""The port rate over a folder of TF1 programs: `port` run on each, each outcome classified.

    outcomes = survey.survey_directory("corpus/", timeout=300, jobs=2)
    survey_report.summary(outcomes)   # programs, training programs, ported, rate
    survey_report.markdown(outcomes, "corpus/", command)

Each program is ported by `tf1-to-keras port PROGRAM --out TMP/out` in a process group of
its own (killed whole at `timeout`: the capture worker too), with its working directory
and TMPDIR in a scratch directory removed afterwards, so a program's stray files go too.
`NAME.npz` beside `NAME.py` is given as `--data` (the examples a non-MNIST input is
verified on). This module loads no TensorFlow: the ports do, in their own processes.

`classify` reads the port's exit status, its `error:` line and port.json into an Outcome:
ported (exit 0); not a training program (the capture says it ended without a training
Session.run); or failed, with a cause category (CAUSES, or from port.json: the first
unrecognised op's type, code not generated, a failed check) and the first line of the reason.
"""

import concurrent.futures
import dataclasses
import json
import os
import re
import signal
import subprocess
import sys
import tempfile

DEFAULT_TIMEOUT_S = 300
PORTED, NOT_TRAINING, FAILED = "ported", "not a training program", "failed"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DETAIL_WIDTH = 160  # of a reason's first line in the tables; the JSON keeps it whole

# (pattern of the port's `error:` line, cause). First match wins; {0} is the pattern's group.
CAUSES = (
    (r"ended without a training Session\.run", NOT_TRAINING),
    (r"did not reach its first training Session\.run within", "timeout (capture)"),
    (r"TF 1\.x API '([^']+)' is not provided", "runner lacks {0}"),
    (r"failed before its first training Session\.run", "program failed under the runner"),
    (r"found no loss", "no loss found"),
    (r"depends on no placeholder", "no model input found"),
    (r"--data FILE", "needs --data (input is not MNIST-shaped)"),
    (r"diverged", "training diverged"),
)


@dataclasses.dataclass
class Outcome:
    """One program's port: `outcome` (PORTED, NOT_TRAINING, FAILED), the cause category
    ("" when ported), `detail`, the reason's first line (for a port: how it was checked), and
    the types of the ops no Keras layer stands for, when that is why it failed."""

    program: str
    outcome: str
    cause: str = ""
    detail: str = ""
    unrecognised_types: list = dataclasses.field(default_factory=list)  # op types without a layer

    def to_json(self):
        return dataclasses.asdict(self)


def programs_in(directory):
    """The sorted .py files of `directory` (names starting with `_` left out); ValueError
    when it is not a directory or holds none."""
    if not os.path.isdir(directory):
        raise ValueError(f"{directory}: not a directory; expected a folder of TF1 programs (*.py)")
    names = sorted(name for name in os.listdir(directory)
                   if name.endswith(".py") and not name.startswith("_")
                   and os.path.isfile(os.path.join(directory, name)))
    if not names:
        raise ValueError(f"{directory}: holds no TF1 programs (*.py)")
    return [os.path.join(os.path.abspath(directory), name) for name in names]


def port_command(program, out):
    """The `port` command line for `program`, with its sidecar NAME.npz as --data when present."""
    command = [sys.executable, "-m", "tf1_to_keras.cli", "port", program, "--out", out]
    data = program[:-len(".py")] + ".npz"
    return command + (["--data", data] if os.path.isfile(data) else [])


def run_port(program, timeout=DEFAULT_TIMEOUT_S):
    """Ports `program` in a scratch directory; its Outcome (the scratch directory removed)."""
    with tempfile.TemporaryDirectory(prefix="port-survey-") as scratch:
        out = os.path.join(scratch, "out")
        # This library's code in the ports, whatever the caller's PYTHONPATH (absolute: cwd moves).
        path = os.pathsep.join(filter(None, [ROOT, os.environ.get("PYTHONPATH")]))
        environment = dict(os.environ, TMPDIR=scratch, PYTHONPATH=path, TF_CPP_MIN_LOG_LEVEL="2")
        process = subprocess.Popen(port_command(program, out), cwd=scratch, env=environment,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   start_new_session=True)
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # its own group: the port and its capture worker
            process.communicate()
            return Outcome(os.path.basename(program), FAILED, "timeout",
                           f"port did not finish within {timeout} s")
        document = _port_json(os.path.join(out, "port.json"))
    return classify(os.path.basename(program), process.returncode, stderr, document)


def _port_json(path):
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as stream:
        return json.load(stream)


def reported_error(stderr):
    """The port's `PROGRAM: error: ...` line (the last one) without its prefix; None without one."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    matches = [re.match(r"^[\w.-]+: error: (.*)$", line) for line in lines]
    reported = [match.group(1) for match in matches if match]
    return reported[-1] if reported else None


def exception_line(stderr):
    """The exception a traceback in `stderr` ends with, else its last line ("" when empty)."""
    lines = [line.rstrip() for line in stderr.splitlines() if line.strip()]
    exceptions = [line for line in lines if re.match(r"^[A-Za-z_][\w.]*(Error|Exception|Exit)\b", line)]
    return (exceptions or lines or [""])[-1]


def cause_of_error(line):
    """The cause category of a port's error line (CAUSES); "port error" when none matches."""
    for pattern, cause in CAUSES:
        match = re.search(pattern, line)
        if match:
            return cause.format(*match.groups())
    return "port error"


def cause_of_document(document):
    """(cause, detail) of a port.json that did not pass."""
    failures = document.get("failures") or []
    first = failures[0] if failures else "port.json: passed is false and no failure is listed"
    if document.get("unrecognised_ops"):
        return unrecognised_cause(document["unrecognised_ops"])
    if first.startswith("not generated"):
        return "model not generated (layer setting or weights)", first
    training = document.get("training_steps")
    if training is not None and not training.get("passed", True):
        return "training-step check", first
    if first.startswith("structure"):
        return "structure check", first
    if first.startswith("weights"):
        return "weights check", first
    return "forward check", first


def unrecognised_cause(ops):
    """(cause, detail) of unrecognised [(op type, op name)]: the cause names the type the
    recogniser met first walking back from the model output (one cause per program, so the
    table adds up); the detail names every type, with its count and first op."""
    counts, first_names = {}, {}
    for op_type, name in ops:
        counts[op_type] = counts.get(op_type, 0) + 1
        first_names.setdefault(op_type, name)
    listed = ", ".join(f"{op_type} x{count} ({first_names[op_type]})" for op_type, count in counts.items())
    return f"unrecognised op {ops[0][0]}", f"{len(ops)} op(s) have no Keras layer: {listed}"


def ported_detail(document):
    """How a passed port was checked: the training-step check, or why it did not run."""
    if document is None:
        return "exit 0 without port.json"
    if document.get("training_steps"):
        return "forward and training-step checks passed"
    notes = [note for note in document.get("notes", []) if note.startswith("training steps:")]
    return "forward check passed; " + (notes[0] if notes else "training steps: not checked")


def classify(program, status, stderr, document):
    """The Outcome of a port that exited with `status`, printed `stderr`, wrote `document`."""
    if status == 0:
        return Outcome(program, PORTED, "", ported_detail(document))
    if status == 1 and document is not None and not document.get("passed"):
        cause, detail = cause_of_document(document)
        types = list(dict.fromkeys(op_type for op_type, _ in document.get("unrecognised_ops") or []))
        return Outcome(program, FAILED, cause, detail, types)
    line = reported_error(stderr)
    if line is None:  # no error line: the port stopped on an exception it does not report
        return Outcome(program, FAILED, f"port crashed (exit {status})", exception_line(stderr))
    cause = cause_of_error(line)
    return Outcome(program, NOT_TRAINING if cause == NOT_TRAINING else FAILED,
                   "" if cause == NOT_TRAINING else cause, line)


def survey_directory(directory, timeout=DEFAULT_TIMEOUT_S, jobs=1, progress=None):
    """The Outcome of every program of `directory`, in name order; `progress(outcome)` is
    called as each finishes. `jobs` ports run at once."""
    programs = programs_in(directory)
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(run_port, program, timeout) for program in programs]
        for future in concurrent.futures.as_completed(futures):
            if progress is not None:
                progress(future.result())
        return sorted((future.result() for future in futures), key=lambda outcome: outcome.program)
