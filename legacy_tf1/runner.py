"""Runs an unmodified TF 1.x program file on TF 2.21: `python -m legacy_tf1 run PROGRAM.py [ARGS...]`.

(`python -m legacy_tf1 cluster ...` runs each task of a between-graph program this way,
on a local cluster: see legacy_tf1.cluster.)

The program's imports of `tensorflow` reach the compatibility layer through
`legacy_tf1.program_imports` (its docstring says how); the program gets its
`sys.argv`, `sys.path[0]` and `__name__ == "__main__"` as `python PROGRAM.py ARGS`
would give them, and the runner returns its exit status.

A TF 1.x API the layer does not provide stops the program with one line, naming
the API, the reason where the layer knows it, and the program's line that used it
(`program.py:7: TF 1.x API 'tf.contrib.tensor_forest' is not provided by ...`),
not a traceback through the layer. Any other error prints the program's traceback.

Before the program runs, the runner calls `tf.compat.v1.disable_v2_behavior()`:
TF 1.x programs expect graph mode, reference variables and v1 control flow
from the first line. This is the one place in the kit that switches global
TensorFlow behaviour; it lasts for the rest of the process, so `run_program`
belongs in a process of its own (the command line gives it one). Its
deprecation notice is not shown: the program did not ask for it.
"""

import argparse
import contextlib
import os
import runpy
import sys
import traceback

from tensorflow.python.util import deprecation

import legacy_tf1.compat
from legacy_tf1 import cluster, program_imports
from legacy_tf1.compat import _not_provided, slim_support


@contextlib.contextmanager
def _program_environment(path, arguments, namespace):
    """sys.argv, sys.path[0] and the finder as `python PROGRAM.py ARGS` would have them."""
    saved_argv, saved_path = sys.argv[:], sys.path[:]
    finder = program_imports.ProgramModuleFinder(os.path.dirname(path), namespace)
    sys.argv = [path, *arguments]
    sys.path.insert(0, os.path.dirname(path))
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.argv, sys.path[:] = saved_argv, saved_path
        sys.meta_path.remove(finder)


def exit_status(code):
    """The process status for `sys.exit(code)`, as the interpreter computes it."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def _print_program_traceback(error, path):
    """The traceback from the program's first frame on (the runner's frames are noise)."""
    frames = error.__traceback__
    while frames is not None and frames.tb_frame.f_code.co_filename != path:
        frames = frames.tb_next
    traceback.print_exception(type(error), error, frames or error.__traceback__)


def _program_line(error, path):
    """`file:line` of the last frame of the program or a module beside it, or the program's path."""
    directory = os.path.dirname(path) + os.sep
    layer = os.path.dirname(os.path.abspath(legacy_tf1.compat.__file__)) + os.sep
    location = path
    for frame, line in traceback.walk_tb(error.__traceback__):
        filename = frame.f_code.co_filename
        if filename.startswith(directory) and not filename.startswith(layer):
            location = f"{filename}:{line}"
    return location


def report_failure(error, path):
    """Prints why the program failed: one line for an API the layer lacks, else the traceback."""
    if _not_provided.is_not_provided(error):
        print(f"{_program_line(error, path)}: {error}", file=sys.stderr)
    else:
        _print_program_traceback(error, path)


def run_program(path, arguments=()):
    """Runs the TF 1.x program file at `path` with `arguments`; returns its exit status.

    Switches the process to TF 1.x behaviour first (see the module docstring).
    """
    if not os.path.isfile(path):
        raise ValueError(f"program {path!r} is not a file; expected a TF 1.x Python program")
    path = os.path.abspath(path)
    with deprecation.silence():  # its notice is the runner's doing, not the program's
        legacy_tf1.compat.disable_v2_behavior()
    slim_support.install_alias()  # `import tf_slim` in the program: its batch norm needs it
    namespace = program_imports.program_builtins()
    with _program_environment(path, list(arguments), namespace):
        try:
            runpy.run_path(path, init_globals={"__builtins__": namespace}, run_name="__main__")
        except SystemExit as exit_request:
            return exit_status(exit_request.code)
        except Exception as error:  # noqa: BLE001 - reported like the interpreter would
            report_failure(error, path)
            return 1
    return 0


def parse_arguments(argv):
    """`run PROGRAM [ARGS...]`: everything after PROGRAM belongs to the program."""
    parser = argparse.ArgumentParser(
        prog="python -m legacy_tf1", description="Run unmodified TF 1.x programs on TF 2.21.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run a TF 1.x program file (import tensorflow as tf)")
    run.add_argument("program", help="path of the TF 1.x program, e.g. mnist_softmax.py")
    run.add_argument("arguments", nargs=argparse.REMAINDER, help="the program's own arguments")
    cluster.add_arguments(commands.add_parser(
        "cluster", help="run every task of a between-graph TF 1.x program on a local cluster"))
    return parser.parse_args(argv)


def main(argv=None):
    """Command-line entry point; returns the exit status."""
    options = parse_arguments(sys.argv[1:] if argv is None else argv)
    try:
        if options.command == "cluster":
            return cluster.run_cluster(options)
        return run_program(options.program, options.arguments)
    except ValueError as error:
        print(f"python -m legacy_tf1: {error}", file=sys.stderr)
        return 2
