"""One exit-status table for every command of the kit: `mnist-parity` and its
subcommands, the Keras programs (`python -m modern_keras.models.KEY`), the scripts.

A run that went wrong (a parity check failed, training diverged, a conversion did
not verify) is not a bad argument: scripts and CI can tell the two apart.
"""

OK = 0
RUN_FAILED = 1  # a check failed, training diverged (NaN/inf loss), verification failed
BAD_INPUT = 2  # a bad argument or input file; reported before anything is written

TABLE = {
    OK: "success",
    RUN_FAILED: "a check failed, training diverged, or a conversion did not verify",
    BAD_INPUT: "bad argument or input (one `PROGRAM: error: ...` line; nothing written)",
}
