"""The `mnist-parity` subcommands of the MNIST kit, one module each: compare, reproduce,
benchmark, and convert and export (the library's commands, tf1_to_keras/commands/, with
`--model KEY` for the kit's five programs added). `mnist-parity` also offers the library's
port and verify as they are.

Each module has `add_parser(subparsers)` and `run(arguments)`: `run` checks what argparse
cannot, calls the one function that does the work, prints and writes its result,
and returns the exit status (mnist_core.exit_codes). `arguments` holds what they share.
TensorFlow loads inside `run`, after the checks: a bad argument fails in a second.
"""
