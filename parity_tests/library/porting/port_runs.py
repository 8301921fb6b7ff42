"""`tf1-to-keras port`, run in this process as people run it: the porting tests share this."""

import contextlib
import io

from mnist_parity import cli


def port(*arguments):
    """(exit status, stdout, stderr) of `tf1-to-keras port ARGUMENTS`, run in this process."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        status = cli.main(["port", *map(str, arguments)])
    return status, stdout.getvalue(), stderr.getvalue()
