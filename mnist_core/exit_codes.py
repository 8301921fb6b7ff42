"""One exit-status table for every command of the kit: `mnist-parity` and its
subcommands, the Keras programs (`python -m modern_keras.models.KEY`), the scripts.

`status_for` maps the exceptions a command stops on to this table, for every command.
A run that went wrong (a parity check failed, training diverged, a conversion did
not verify) is not a bad argument: scripts and CI can tell the two apart.
"""

from mnist_core import errors

OK = 0
RUN_FAILED = 1  # a check failed, training diverged (NaN/inf loss), verification failed
BAD_INPUT = 2  # a bad argument or input file; reported before anything is written

TABLE = {
    OK: "success",
    RUN_FAILED: "a check failed, training diverged, or a conversion did not verify",
    BAD_INPUT: "bad argument or input (one `PROGRAM: error: ...` line; nothing written)",
}


# The exceptions a command reports in one line and exits on (anything else is a bug: traceback).
REPORTED = (ValueError, OSError)


def status_for(error):
    """RUN_FAILED for a diverged training, BAD_INPUT for another ValueError or OSError."""
    if isinstance(error, errors.TrainingDivergedError):  # a ValueError, but a run gone wrong
        return RUN_FAILED
    if isinstance(error, REPORTED):
        return BAD_INPUT
    raise TypeError(f"{type(error).__name__} is not an error the kit's commands report") from error
