"""SIGTERM (what CI sends on a timeout) and Ctrl-C (SIGINT) during a command.

Both become an `Interrupted` exception (a KeyboardInterrupt) in the main thread, so every
`finally` and `with TemporaryDirectory` runs: staging and temporary directories are removed,
`subprocess.run` kills the child it waits on (port's capture worker), and an output that is
written by a rename is either complete or absent. Further signals are ignored meanwhile so
the cleanup finishes. The command then exits 128 + the signal's number (130 for Ctrl-C).
"""

import contextlib
import signal
import threading

SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Interrupted(KeyboardInterrupt):
    """A command stopped by `signal_number`."""

    def __init__(self, signal_number):
        super().__init__(signal.Signals(signal_number).name)
        self.signal_number = signal_number


def exit_status(interruption):
    """128 + the signal's number (SIGINT's 130 for a plain KeyboardInterrupt)."""
    return 128 + getattr(interruption, "signal_number", signal.SIGINT)


def signal_name(interruption):
    return signal.Signals(getattr(interruption, "signal_number", signal.SIGINT)).name


def _raise_interrupted(signal_number, frame):
    for number in SIGNALS:  # the cleanup the exception starts runs to its end
        signal.signal(number, signal.SIG_IGN)
    raise Interrupted(signal_number)


@contextlib.contextmanager
def signals_raise():
    """While the block runs, SIGTERM and SIGINT (unless ignored) raise Interrupted; the previous
    handlers come back after it. Outside the main thread (where Python cannot set handlers) a no-op."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.getsignal(number) for number in SIGNALS}
    for number in SIGNALS:
        if previous[number] is not signal.SIG_IGN:  # a signal the caller ignores stays ignored
            signal.signal(number, _raise_interrupted)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)
