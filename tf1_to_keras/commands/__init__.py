"""The library's subcommands, one module each (`add_parser(subparsers)` and `run(arguments)`):
`port` and `verify`. `tf1-to-keras` (tf1_to_keras/cli.py) and the MNIST kit's `mnist-parity`
both offer them."""
