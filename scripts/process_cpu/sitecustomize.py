"""Logs each Python process's CPU time as it exits, for docs/PERFORMANCE.md's account of the
default test run (which processes import TensorFlow, and what they cost):

    PROCESS_CPU_LOG=/tmp/procs.log PYTHONPATH=$PWD/scripts/process_cpu .venv/bin/python -m pytest -q

One tab-separated line per process: pid, wall seconds, user+sys CPU seconds, whether it imported
TensorFlow, its argv. Processes killed by a signal (clusters, interruptions) write nothing.
Inert without PROCESS_CPU_LOG.
"""
import atexit
import os
import resource
import sys
import time

_LOG = os.environ.get("PROCESS_CPU_LOG")
_STARTED = time.time()


def _write():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    with open(_LOG, "a", encoding="utf-8") as stream:
        stream.write(f"{os.getpid()}\t{time.time() - _STARTED:.1f}\t{usage.ru_utime + usage.ru_stime:.1f}\t"
                     f"{'tensorflow' in sys.modules}\t{' '.join(sys.argv)[:200]}\n")


if _LOG:
    atexit.register(_write)
