"""A local TF1 cluster: `python -m legacy_tf1 cluster --ps N --workers M PROGRAM.py [ARGS...]`.

Starts every task of a between-graph TF1 program on this machine, each under the
runner (`python -m legacy_tf1 run PROGRAM.py ARGS`), on free 127.0.0.1 ports, and
passes each task what TF1 programs expected: `--job_name --task_index --ps_hosts
--worker_hosts` (mnist_replica.py's flags), or `TF_CONFIG` with `--tf-config`
(Estimators; the cluster's first worker is the `chief`, as TF1's RunConfig wanted;
`--evaluator` adds train_and_evaluate's evaluator task, which is no part of the cluster).
Each task's lines are printed prefixed with its name (`[worker:0] ...`).

Parameter servers never finish (`server.join()` does not return), so they are
stopped once every worker has exited 0. A task that fails stops the whole cluster
and the status names it; `--timeout` seconds after the start everything is killed.
The processes themselves are `mnist_core.local_cluster.Cluster`, shared with the Keras
side's launcher (`modern_keras.distributed`).
"""

import argparse
import os
import sys

from mnist_core import exit_codes
from mnist_core.local_cluster import DEFAULT_TIMEOUT_S, TIMED_OUT, Cluster, cluster_spec, tf_config

__all__ = ["DEFAULT_TIMEOUT_S", "TIMED_OUT", "Cluster", "cluster_spec", "main", "task_flags",
           "tf1_commands", "tf_config"]


def task_flags(spec, job, index):
    """mnist_replica.py's flags for one task."""
    return [f"--job_name={job}", f"--task_index={index}",
            f"--ps_hosts={','.join(spec.get('ps', []))}",
            f"--worker_hosts={','.join(spec['worker'])}"]


def runner_command(program, arguments):
    return [sys.executable, "-m", "legacy_tf1", "run", program, *arguments]


def tf1_commands(program, arguments, ps, workers, use_tf_config=False, evaluator=False):
    """[(name, argv, env)] for each task of a TF1 program, parameter servers first, then
    the workers and, with `evaluator` (TF_CONFIG only), an `evaluator:0` outside the cluster."""
    if evaluator and not use_tf_config:
        raise ValueError("--evaluator needs --tf-config: an evaluator task exists only in TF_CONFIG")
    spec = cluster_spec(ps, workers)
    commands = []
    for job in ("ps", "worker"):
        for index in range(len(spec.get(job, []))):
            env = dict(os.environ)
            argv = list(arguments)
            if use_tf_config:
                env["TF_CONFIG"] = tf_config(spec, job, index)
            else:
                argv += task_flags(spec, job, index)
            commands.append((f"{job}:{index}", runner_command(program, argv), env))
    if evaluator:
        env = dict(os.environ, TF_CONFIG=tf_config(spec, "evaluator", 0))
        commands.append(("evaluator:0", runner_command(program, list(arguments)), env))
    return commands


def add_arguments(parser):
    """The `cluster` subcommand's arguments."""
    parser.add_argument("--ps", type=int, default=1, help="parameter servers (default 1)")
    parser.add_argument("--workers", type=int, default=2, help="workers (default 2)")
    parser.add_argument("--tf-config", action="store_true",
                        help="pass TF_CONFIG (Estimators) instead of the --job_name ... flags")
    parser.add_argument("--evaluator", action="store_true",
                        help="with --tf-config, also start an evaluator task (train_and_evaluate)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S,
                        help=f"kill every task after this many seconds (default {DEFAULT_TIMEOUT_S})")
    parser.add_argument("program", help="path of the TF 1.x program, e.g. mnist_replica.py")
    parser.add_argument("arguments", nargs=argparse.REMAINDER, help="the program's own arguments")


def run_cluster(options):
    """Runs the `cluster` subcommand; returns the exit status."""
    if not os.path.isfile(options.program):
        raise ValueError(f"program {options.program!r} is not a file; expected a TF 1.x Python program")
    commands = tf1_commands(os.path.abspath(options.program), options.arguments,
                            options.ps, options.workers, options.tf_config, options.evaluator)
    return Cluster(commands, options.timeout).run()


def main(argv):
    """`python -m legacy_tf1 cluster ...` without importing TensorFlow; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m legacy_tf1 cluster",
        description="Run every task of a between-graph TF 1.x program on a local cluster.")
    add_arguments(parser)
    options = parser.parse_args(argv)
    try:
        return run_cluster(options)
    except ValueError as error:
        print(f"python -m legacy_tf1 cluster: {error}", file=sys.stderr)
        return exit_codes.BAD_INPUT
