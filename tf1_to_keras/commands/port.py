"""`tf1-to-keras port`: a TF1 program's model written as Keras 3 code, with its weights and a
parity certificate (docs/PORT.md shows one end to end).

The work is porting.engine.port_program (capture, recognise, write, verify, put in place);
this module parses, prints the layer table and the verdict, and names the files. Bad input
(no such program, an `--out` that exists and is not empty, a program that fails or never
trains, a checkpoint that does not fit) is one `mnist-parity: error:` line, exit status 2,
nothing written; a port that does not verify is exit status 1 with port.json saying why.
"""

from mnist_core import exit_codes

USAGE = ("tf1-to-keras port PROGRAM.py --out DIR [--checkpoint PATH] [--data FILE.npz] [--seed S] "
         "[--train-op NAME] [--backends tensorflow,jax] [-- PROGRAM_ARGS ...]")


def split_at_double_dash(parse_known_args):
    """parse_known_args that hands everything after the first `--` to the program untouched
    (argparse would match an empty trailing positional before the options)."""
    def parse(args=None, namespace=None):
        args = list(args or [])
        cut = args.index("--") if "--" in args else len(args)
        namespace, extras = parse_known_args(args[:cut], namespace)
        namespace.program_arguments = args[cut + 1:]
        return namespace, extras
    return parse


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "port", usage=USAGE, help="write the Keras 3 model of a TF1 program, its weights and a "
                                  "parity certificate")
    parser.add_argument("program", metavar="PROGRAM.py", help="the unmodified TF 1.x program")
    parser.add_argument("--out", required=True, metavar="DIR",
                        help="new (or empty) directory for model.py, model.weights.h5, port.json")
    parser.add_argument("--checkpoint", metavar="PATH",
                        help="Saver checkpoint prefix or directory the weights come from (default: "
                             "the program's own at its first training step)")
    parser.add_argument("--data", metavar="FILE.npz",
                        help="examples (array x, labels y) the port is verified on (default: the "
                             "first 1,000 MNIST test images, for a 784 or 28x28x1 input)")
    parser.add_argument("--seed", type=int, default=0, help="Keras seed and training-check batch order")
    parser.add_argument("--train-op", metavar="NAME",
                        help="the training op whose model to port, for a program that trains several "
                             "(a GAN's generator: port.json's other_training_ops lists them); default: "
                             "the first training Session.run's")
    parser.add_argument("--backends", metavar="LIST", default=None,
                        help="comma-separated Keras backends (tensorflow, jax, torch) to verify model.py on, "
                             "each in its own process; all must pass (default: this process's, tensorflow)")
    parser.parse_known_args = split_at_double_dash(parser.parse_known_args)
    parser.set_defaults(run=run, program_arguments=[])


def run(arguments):
    """Runs `port`; OK when the generated model passed every check, RUN_FAILED otherwise."""
    from tf1_to_keras.harness import backend_process
    backends = None if arguments.backends is None else backend_process.parse_backends(arguments.backends)
    from tf1_to_keras.porting import engine, port_record  # TensorFlow loads after argparse

    result = engine.port_program(arguments.program, arguments.program_arguments, arguments.out,
                                 checkpoint=arguments.checkpoint, data=arguments.data,
                                 seed=arguments.seed, train_op=arguments.train_op, backends=backends)
    print(f"{arguments.program}: captured at {result.document['captured_at']}")
    print(port_record.format_table(result.document))
    print(port_record.verdict(result.document, arguments.out))
    for line in port_record.backend_lines(result.document):
        print(line)
    for name in result.files:
        print(f"wrote {arguments.out.rstrip('/')}/{name}")
    return exit_codes.OK if result.passed else exit_codes.RUN_FAILED
