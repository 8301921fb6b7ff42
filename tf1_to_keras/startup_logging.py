"""TensorFlow's start-up lines on a command's stderr: hidden by default, shown with --verbose.

TF_CPP_MIN_LOG_LEVEL does not silence them all: absl prints its "All log messages before
absl::InitializeLog()" line and the INFO lines (oneDNN, cudart stubs, CPU features) while the
shared libraries load, before TensorFlow's level applies, and a CPU-only machine logs a
cuInit failure at ERROR on its first op. So a quiet command sets TF_CPP_MIN_LOG_LEVEL=2 (C++
info and warnings off; other errors stay) and routes file descriptor 2 through a filter that
drops those known lines, whoever writes them: this process, and the child processes the kit
starts (port's capture worker, benchmark workers, export's fresh process), which inherit
both the descriptor and the level. TensorFlow's Python deprecation warnings are off too.
A user who set TF_CPP_MIN_LOG_LEVEL, or passed --verbose, sees everything.
"""

import contextlib
import logging
import os
import re
import sys
import threading

LEVEL_VARIABLE = "TF_CPP_MIN_LOG_LEVEL"
QUIET_LEVEL = "2"
VERBOSE_LEVEL = "0"  # TensorFlow's default, set explicitly so the children keep it too
# C++ log lines: severity letter, date, time, thread, then `file.cc:line]`.
_CC_LINE = r"^[IWE]\d{4} [\d:.]+ +\d+ (port|cudart_stub|cpu_feature_guard|cuda_platform|cuda_executor|cuda_dnn|cuda_fft|cuda_blas|gpu_device)\.cc:\d+\]"
NOISE = re.compile("|".join((_CC_LINE, r"All log messages before absl::InitializeLog\(\)",
                             r"^To enable the following instructions:")))
PYTHON_LOGGERS = ("tensorflow", "absl")  # their WARNINGs (deprecations) are the kit's business
_JOIN_TIMEOUT_S = 5


def is_noise(line):
    """True for one of TensorFlow's start-up lines."""
    return bool(NOISE.search(line))


def quiet_requested(verbose, environment=None):
    """False when --verbose was given or the user set TF_CPP_MIN_LOG_LEVEL."""
    environment = os.environ if environment is None else environment
    return not verbose and LEVEL_VARIABLE not in environment


@contextlib.contextmanager
def command_logging(verbose):
    """The command's TensorFlow logging (see the module docstring), undone when it ends."""
    quiet = quiet_requested(verbose)
    saved = os.environ.get(LEVEL_VARIABLE)
    if quiet or verbose:
        os.environ[LEVEL_VARIABLE] = QUIET_LEVEL if quiet else VERBOSE_LEVEL
    try:
        if not quiet:
            yield
            return
        with _python_loggers_at(logging.ERROR), filtered_stderr(NOISE):
            yield
    finally:
        if saved is None:
            os.environ.pop(LEVEL_VARIABLE, None)
        else:
            os.environ[LEVEL_VARIABLE] = saved


@contextlib.contextmanager
def _python_loggers_at(level):
    loggers = [logging.getLogger(name) for name in PYTHON_LOGGERS]
    saved = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(level)
    try:
        yield
    finally:
        for logger, old in zip(loggers, saved):
            logger.setLevel(old)


@contextlib.contextmanager
def filtered_stderr(pattern):
    """File descriptor 2 through a pipe; a thread copies its lines to the real stderr except
    those `pattern` matches. Child processes started meanwhile inherit the pipe."""
    sys.stderr.flush()
    real = os.dup(2)
    read_end, write_end = os.pipe()
    os.dup2(write_end, 2)
    os.close(write_end)
    copier = threading.Thread(target=_copy_lines, args=(read_end, real, pattern), daemon=True)
    copier.start()
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(real, 2)  # closes this process's last write end: the copier sees the end
        copier.join(_JOIN_TIMEOUT_S)  # a child still holding the pipe must not hang us
        if not copier.is_alive():
            os.close(real)


def _copy_lines(read_end, real, pattern):
    with os.fdopen(read_end, "rb") as stream:
        for line in stream:
            if not pattern.search(line.decode(errors="replace")):
                try:
                    os.write(real, line)
                except OSError:  # stderr closed: keep draining, or writers would block on the pipe
                    pass
