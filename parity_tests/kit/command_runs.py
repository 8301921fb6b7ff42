"""Running a command as its own process, as people run it (the kit's command tests share this)."""

import subprocess
import sys


def run_command(*arguments, timeout=600):
    """The finished `python ARGUMENTS` process: its exit status, stdout and stderr as text."""
    return subprocess.run([sys.executable, *arguments], capture_output=True, text=True,
                          timeout=timeout)
