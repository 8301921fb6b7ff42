"""The `mnist-parity` subcommands, one module each (compare, reproduce, benchmark, convert).

Each module has `add_parser(subparsers)` and `run(arguments)`: `run` checks what argparse
cannot, calls the one harness function that does the work, prints and writes its result,
and returns the exit status (mnist_core.exit_codes). `arguments` holds what they share.
TensorFlow loads inside `run`, after the checks: a bad argument fails in a second.
"""
