"""`python -m legacy_tf1 cluster`: ports, task flags, TF_CONFIG, failure and timeout handling."""

import json
import subprocess
import sys

import pytest

from legacy_tf1 import cluster
from mnist_core import exit_codes
from . import cluster_runs


def test_spec_puts_every_task_on_a_distinct_local_port():
    spec = cluster.cluster_spec(2, 3)
    hosts = spec["ps"] + spec["worker"]
    assert len(spec["ps"]) == 2 and len(spec["worker"]) == 3
    assert all(host.startswith("127.0.0.1:") for host in hosts)
    assert len(set(hosts)) == 5


def test_tf_config_makes_the_first_worker_the_chief():
    spec = {"ps": ["127.0.0.1:1"], "worker": ["127.0.0.1:2", "127.0.0.1:3"]}
    chief = json.loads(cluster.tf_config(spec, "worker", 0))
    second = json.loads(cluster.tf_config(spec, "worker", 1))
    assert chief["cluster"] == {"chief": ["127.0.0.1:2"], "worker": ["127.0.0.1:3"], "ps": ["127.0.0.1:1"]}
    assert chief["task"] == {"type": "chief", "index": 0}
    assert second["task"] == {"type": "worker", "index": 0}
    assert json.loads(cluster.tf_config(spec, "ps", 0))["task"] == {"type": "ps", "index": 0}


def test_flags_are_mnist_replicas():
    spec = {"ps": ["127.0.0.1:1"], "worker": ["127.0.0.1:2", "127.0.0.1:3"]}
    assert cluster.task_flags(spec, "worker", 1) == [
        "--job_name=worker", "--task_index=1", "--ps_hosts=127.0.0.1:1",
        "--worker_hosts=127.0.0.1:2,127.0.0.1:3"]


@pytest.mark.parametrize("ps, workers", [(-1, 2), (1, 0)])
def test_bad_sizes_are_rejected(ps, workers):
    with pytest.raises(ValueError, match="expected ps >= 0 and workers >= 1"):
        cluster.cluster_spec(ps, workers)


def test_missing_program_exits_bad_input_without_starting_anything(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "legacy_tf1", "cluster", str(tmp_path / "nope.py")],
        capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == exit_codes.BAD_INPUT
    assert "nope.py" in result.stderr and "is not a file" in result.stderr


@pytest.mark.slow  # 6-11 s: the default run stays near 5 minutes on 2 cores
def test_a_failing_worker_stops_the_cluster_and_is_named():
    launched, sink = cluster_runs.tf1_cluster("failing_worker.py", [], ps=1, workers=2)
    status = launched.run()
    text = sink.text()
    assert status == exit_codes.RUN_FAILED
    assert "[worker:1] worker 1: giving up" in text
    assert "[cluster] task worker:1 failed with exit status 3" in text
    assert all(task.poll() is not None for task in launched.tasks)  # ps and worker 0 stopped too


@pytest.mark.slow  # 20-40 s of a 2-core CI run: the default run stays under 5 minutes
def test_the_timeout_kills_every_task():
    launched, sink = cluster_runs.tf1_cluster("failing_worker.py", ["--hang"], ps=1, workers=1,
                                              timeout_s=20)
    status = launched.run()
    assert status == cluster.TIMED_OUT
    assert "[cluster] timed out after 20 s; killing ps:0, worker:0" in sink.text()
    assert all(task.poll() is not None for task in launched.tasks)


@pytest.mark.slow  # 20-40 s of a 2-core CI run: the default run stays under 5 minutes
def test_tf_config_reaches_every_task_and_the_ps_is_stopped_after_the_workers():
    status, text = cluster_runs.run_tf1("failing_worker.py", [], ps=1, workers=2, tf_config=True)
    assert status == exit_codes.OK, text[-3000:]
    roles = {line.split("] role ")[1].split(" of ")[0] for line in text.splitlines() if "] role " in line}
    assert roles == {"ps:0", "chief:0", "worker:0"}
    assert "[worker:0] role chief:0 of [('chief', ['127.0.0.1:" in text
    assert "[cluster] all workers finished; stopping the parameter servers" in text


def test_an_evaluator_task_is_outside_the_cluster_and_needs_tf_config():
    commands = cluster.tf1_commands("prog.py", [], 1, 2, use_tf_config=True, evaluator=True)
    name, argv, env = commands[-1]
    config = json.loads(env["TF_CONFIG"])
    assert name == "evaluator:0" and argv[-1] == "prog.py"
    assert config["task"] == {"type": "evaluator", "index": 0} and "evaluator" not in config["cluster"]
    with pytest.raises(ValueError, match="--evaluator needs --tf-config"):
        cluster.tf1_commands("prog.py", [], 1, 2, evaluator=True)
