"""Staging: what a conversion writes goes to a temporary directory beside DESTINATION
first, is verified there, and only then is renamed into place; nothing half-written
is ever left at DESTINATION, and the temporary directory goes whatever happens."""

import contextlib
import os
import shutil
import tempfile


@contextlib.contextmanager
def staging_directory(destination):
    """A temporary directory beside `destination`, removed on exit whatever happens.

    Same directory, so the final os.replace is a rename on one file system.
    """
    directory = os.path.dirname(os.path.abspath(destination))
    if not os.path.isdir(directory):
        raise OSError(f"cannot write {destination}: directory {directory} does not exist "
                      "(or is not a directory)")
    try:
        staging = tempfile.mkdtemp(dir=directory, prefix=".tmp-convert-")
    except OSError as error:
        raise OSError(f"cannot write {destination}: directory {directory} is not writable "
                      f"({error.strerror})") from error
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def staged_path(staging, destination):
    """Where `destination` is written inside `staging`: its own base name, since Keras
    checks the suffix and a Saver names its files after the prefix."""
    return os.path.join(staging, os.path.basename(destination))
