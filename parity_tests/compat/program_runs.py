"""Running TF 1.x test programs through `python -m legacy_tf1 run`, and reading what they print.

The runner switches its process to TF 1.x behaviour, so each program runs in a
subprocess of its own; the programs in `programs/` are written exactly as TF 1.x code.
"""

import os
import subprocess
import sys

PROGRAMS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "programs")
PROGRAM_TIMEOUT_SECONDS = 300


def run_command(arguments, timeout=PROGRAM_TIMEOUT_SECONDS, cwd=None):
    """Runs `python ARGUMENTS` in a subprocess; returns the CompletedProcess (text)."""
    environment = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    return subprocess.run([sys.executable, *arguments], capture_output=True, text=True,
                          timeout=timeout, env=environment, cwd=cwd)


def run_tf1_program(name, *arguments, timeout=PROGRAM_TIMEOUT_SECONDS, cwd=None):
    """Runs programs/NAME (a path relative to programs/) through the runner."""
    return run_command(["-m", "legacy_tf1", "run", os.path.join(PROGRAMS, name), *arguments],
                       timeout, cwd)


def printed_value(output, prefix):
    """The value after the last line starting with `prefix` (fails listing the output)."""
    lines = [line for line in output.splitlines() if line.startswith(prefix)]
    assert lines, f"no line starting with {prefix!r} in output:\n{output}"
    return lines[-1][len(prefix):].strip()


def describe(result):
    """Status, stdout and the tail of stderr, for assertion messages."""
    return f"status {result.returncode}\nstdout:\n{result.stdout}\nstderr (tail):\n{result.stderr[-3000:]}"
