"""The library's subcommands, one module each (`add_parser(subparsers)` and `run(arguments)`):
`port`, `verify`, `convert` and `export`. `tf1-to-keras` (tf1_to_keras/cli.py) offers them;
the MNIST kit's `mnist-parity` offers port and verify as they are, and convert and export with
its `--model KEY` added (mnist_parity/commands/)."""
