"""`tf1-to-keras port-survey DIR`: every program of a folder ported, each outcome classified.

The survey runs once (three ports at once, ~20 s on two idle cores) over a tiny folder: a program
that ports, one that never trains, one with a construct no Keras layer stands for (PyFunc);
each must land in its class, and the reports must say so. The classification rules are also
held to error lines and port.json documents of each kind, including ones they must not take
for another cause. The corpus programs' own run under the runner is `slow`.
"""

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys

import pytest

from mnist_core import exit_codes
from tf1_to_keras import cli
from tf1_to_keras.porting import survey, survey_report

from . import conftest

TINY = {"softmax_feed_dict.py": survey.PORTED, "never_trains.py": survey.NOT_TRAINING,
        "py_func_in_model.py": survey.FAILED}
CORPUS = os.path.join(conftest.PORTING_PROGRAMS, "corpus")


def run_cli(*arguments):
    """(exit status, stdout, stderr) of `tf1-to-keras ARGUMENTS`, run in this process."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main(list(arguments))
    return status, out.getvalue(), err.getvalue()


@pytest.mark.slow  # 20-40 s of a 2-core CI run: the default run stays under 5 minutes
def test_survey_of_a_tiny_folder_classifies_each_program_and_reports_the_rate(tmp_path, monkeypatch):
    # One test, not several sharing a fixture: under xdist each worker would run the survey again.
    folder, scratch = tmp_path / "programs", tmp_path / "scratch"
    folder.mkdir()
    scratch.mkdir()
    monkeypatch.setattr(survey.tempfile, "tempdir", str(scratch))
    for name in TINY:
        shutil.copy(os.path.join(conftest.PORTING_PROGRAMS, name), folder / name)
    (folder / "_helper.py").write_text("raise SystemExit('a helper module is not a program')\n")
    status, stdout, _ = run_cli("port-survey", str(folder), "--jobs", "3", "--timeout", "240",
                                "--json", str(tmp_path / "survey.json"), "--out", str(tmp_path / "survey.md"))
    assert status == exit_codes.OK
    document = json.loads((tmp_path / "survey.json").read_text())
    outcomes = {entry["program"]: entry for entry in document["programs"]}
    assert sorted(outcomes) == sorted(TINY)  # _helper.py is not surveyed
    assert {name: entry["outcome"] for name, entry in outcomes.items()} == TINY
    assert outcomes["py_func_in_model.py"]["cause"] == "unrecognised op PyFunc"
    assert "ended without a training Session.run" in outcomes["never_trains.py"]["detail"]
    assert outcomes["softmax_feed_dict.py"]["cause"] == ""
    assert "ported 1 of 2 programs that train (50.0%)" in stdout

    assert document["summary"] == {"programs": 3, "training_programs": 2, "ported": 1,
                                   "ported_training_checked": 1, "not_training": 1, "failed": 1,
                                   "rate": 0.5}
    assert document["causes"] == {"unrecognised op PyFunc": ["py_func_in_model.py"]}
    markdown = (tmp_path / "survey.md").read_text()
    assert "| unrecognised op PyFunc | 1 | py_func_in_model |" in markdown
    assert "| never_trains | not a training program | - |" in markdown
    assert os.listdir(scratch) == []  # each port's scratch directory is gone


def test_a_port_past_its_timeout_is_stopped_and_leaves_no_scratch_directory(tmp_path, monkeypatch):
    monkeypatch.setattr(survey.tempfile, "tempdir", str(tmp_path))
    (tmp_path / "programs").mkdir()
    shutil.copy(os.path.join(conftest.PORTING_PROGRAMS, "never_ends.py"), tmp_path / "programs")
    outcome = survey.run_port(str(tmp_path / "programs" / "never_ends.py"), timeout=2)
    assert (outcome.outcome, outcome.cause) == (survey.FAILED, "timeout")
    assert sorted(os.listdir(tmp_path)) == ["programs"]


def test_a_folder_without_programs_is_refused_before_anything_runs(tmp_path):
    status, _, stderr = run_cli("port-survey", str(tmp_path))
    assert status == exit_codes.BAD_INPUT
    assert f"{tmp_path}: holds no TF1 programs (*.py)" in stderr
    status, _, stderr = run_cli("port-survey", str(tmp_path / "missing"))
    assert status == exit_codes.BAD_INPUT and "not a directory" in stderr
    (tmp_path / "a.py").write_text("print('never run')\n")
    status, _, stderr = run_cli("port-survey", str(tmp_path), "--out", str(tmp_path))
    assert status == exit_codes.BAD_INPUT and "is a directory; expected a file name" in stderr


@pytest.mark.parametrize("line, outcome, cause", [
    ("program p.py ended without a training Session.run (no run of an optimizer's update op)",
     survey.NOT_TRAINING, ""),
    ("program p.py did not reach its first training Session.run within 120 s", survey.FAILED,
     "timeout (capture)"),
    ("program p.py failed before its first training Session.run (exit 1): p.py:3: TF 1.x API "
     "'tf.contrib.slim' is not provided by legacy_tf1.compat", survey.FAILED, "runner lacks tf.contrib.slim"),
    ("program p.py failed before its first training Session.run (exit 1): ValueError: shapes",
     survey.FAILED, "program failed under the runner"),
    ("found no loss (softmax/sigmoid cross entropy, squared difference) and ...", survey.FAILED,
     "no loss found"),
    ("the model has 2 inputs; give --data FILE.npz", survey.FAILED, "needs --data (input is not MNIST-shaped)"),
    ("something no rule knows", survey.FAILED, "port error"),
])
def test_an_error_line_is_classified_by_its_cause(line, outcome, cause):
    result = survey.classify("p.py", 2, f"noise\ntf1-to-keras: error: {line}\n", None)
    assert (result.outcome, result.cause, result.detail) == (outcome, cause, line)


def test_a_port_json_failure_is_classified_by_the_check_that_failed():
    failed = {"passed": False, "unrecognised_ops": [], "failures": ["forward: logits differ by 0.3"]}
    assert survey.classify("p.py", 1, "", failed).cause == "forward check"
    training = dict(failed, training_steps={"passed": False}, failures=["training steps: loss differs"])
    assert survey.classify("p.py", 1, "", training).cause == "training-step check"
    ops = dict(failed, unrecognised_ops=[["PyFunc", "a"], ["Cumsum", "b"], ["PyFunc", "c"]])
    outcome = survey.classify("p.py", 1, "", ops)
    assert (outcome.cause, outcome.unrecognised_types) == ("unrecognised op PyFunc", ["PyFunc", "Cumsum"])
    assert outcome.detail == "3 op(s) have no Keras layer: PyFunc x2 (a), Cumsum x1 (b)"
    assert survey_report.unrecognised_types([outcome, outcome]) == {"Cumsum": ["p.py", "p.py"],
                                                                     "PyFunc": ["p.py", "p.py"]}
    # A port.json that passed never counts as a failure, whatever the exit status says.
    crashed = survey.classify("p.py", 1, "Traceback ...\nKeyError: 'x'\n", dict(failed, passed=True))
    assert (crashed.outcome, crashed.cause, crashed.detail) == (survey.FAILED, "port crashed (exit 1)",
                                                                "KeyError: 'x'")


def test_the_rate_counts_only_programs_that_train():
    outcomes = [survey.Outcome("a.py", survey.PORTED, "", "forward check passed; training steps: skipped"),
                survey.Outcome("b.py", survey.NOT_TRAINING), survey.Outcome("c.py", survey.FAILED, "timeout"),
                survey.Outcome("d.py", survey.FAILED, "timeout"), survey.Outcome("e.py", survey.FAILED, "x")]
    figures = survey_report.summary(outcomes)
    assert (figures["training_programs"], figures["ported"], figures["rate"]) == (4, 1, 0.25)
    assert figures["ported_training_checked"] == 0
    assert list(survey_report.causes(outcomes)) == ["timeout", "x"]  # most programs first
    assert survey_report.summary([survey.Outcome("b.py", survey.NOT_TRAINING)])["rate"] is None


CORPUS_PROGRAMS = sorted(name for name in os.listdir(CORPUS) if name.endswith(".py") and not name.startswith("_"))


def test_the_corpus_has_at_least_45_programs_each_named_by_its_docstring():
    assert len(CORPUS_PROGRAMS) >= 45
    for name in CORPUS_PROGRAMS:
        with open(os.path.join(CORPUS, name), encoding="utf-8") as stream:
            first = stream.readline()
        assert first.startswith('"""') and len(first.strip()) > 20, name


@pytest.mark.slow
@pytest.mark.parametrize("name", CORPUS_PROGRAMS)
def test_each_corpus_program_runs_under_the_runner(name, tmp_path):
    environment = dict(os.environ, TMPDIR=str(tmp_path), TF_CPP_MIN_LOG_LEVEL="2",
                       PYTHONPATH=os.pathsep.join(filter(None, [conftest.ROOT, os.environ.get("PYTHONPATH")])))
    completed = subprocess.run([sys.executable, "-m", "legacy_tf1", "run", os.path.join(CORPUS, name)],
                               cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert completed.stdout.strip(), f"{name} printed nothing"
