"""`mnist-parity benchmark`: training/inference throughput and memory of both sides.

The work is benchmarking.run_benchmark; this module parses, prints and writes
benchmark.json/.md. A benchmark has no pass/fail: it exits OK once written.
"""

import sys

from mnist_core import exit_codes
from tf1_to_keras import report_files
from mnist_parity.benchmarking import rounds  # no TensorFlow: it loads in the workers
from mnist_parity.commands.arguments import (add_keras_backend, add_models_and_seed, check_at_least,
                                             check_keras_backend, command_line, model_keys)

COUNTS = ("repeats", "rounds", "pairs", "steps", "steps_per_execution", "inference_pairs")  # >= 1


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "benchmark", help="training/inference throughput and memory of both sides, with ratios")
    add_models_and_seed(parser)
    parser.add_argument("--repeats", type=int, default=2, help="timed spans per side and round")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds, alternating which side runs first (medians over all spans)")
    parser.add_argument("--pairs", type=int, default=6,
                        help="pairs of spans trained back to back by both sides in one process "
                             "(the training goal is judged on their median ratio)")
    parser.add_argument("--steps", type=int, default=None,
                        help="timed steps per repeat (default: per model, a few seconds each)")
    parser.add_argument("--steps-per-execution", type=int, default=None,
                        help="Keras side's steps per compiled call (default: the kit's, 100), "
                             "to measure what it buys")
    parser.add_argument("--keras-optimizer", choices=("fused", "keras"), default="fused",
                        help="Keras side's optimizers: the kit's (default; modern_keras/"
                             "optimizers.py) or Keras' own, to measure what the kit's buy")
    parser.add_argument("--inference-pairs", type=int, default=rounds.INFERENCE_PAIRS,
                        help="pairs of inference spans, both sides (and the Keras side's exported "
                             "SavedModel) in one process, at both batch sizes")
    parser.add_argument("--serving-calls", type=int, default=rounds.SERVING_CALLS,
                        help="one-image calls per serving span (latency p50/p99 over them)")
    parser.add_argument("--inference-only", action="store_true",
                        help="skip training: paired inference only (a few minutes for all five)")
    add_keras_backend(parser)
    parser.add_argument("--out", default="out/benchmark", help="directory for benchmark.json and benchmark.md")
    parser.add_argument("--port", action="store_true",
                        help="instead: port the TF-Slim ladder (LeNet to ResNet-50 at 224x224) and write "
                             "port_benchmark.json/.md, each stage's seconds and peak memory per graph op")
    parser.add_argument("--port-programs", nargs="+", metavar="NAME", default=None,
                        help="with --port: the ladder's rungs to port (default: all)")
    parser.set_defaults(run=run)


def run_port_ladder(arguments):
    """`benchmark --port`: the port-at-scale ladder (benchmarking/port_scale.py); returns OK."""
    from mnist_parity.benchmarking import port_scale  # no TensorFlow: each rung is a child process

    names = arguments.port_programs or port_scale.LADDER
    for name in names:
        port_scale.program_path(name)  # ValueError naming the ladder before anything runs
    report_files.check_output_location("--out", arguments.out)
    report_files.prepare_output_directory(arguments.out)
    document = port_scale.run_ladder(names, progress=lambda line: print(line, file=sys.stderr, flush=True))
    document["command"] = command_line()
    text = port_scale.markdown(document, document["command"])
    print(text)
    for path in report_files.write_json_and_markdown(arguments.out, "port_benchmark", document, text):
        print(f"wrote {path}")
    return exit_codes.OK


def run(arguments):
    """Runs `benchmark`; prints the table and writes benchmark.json/.md; returns OK."""
    if arguments.port:
        return run_port_ladder(arguments)
    keys = model_keys(arguments)
    for name in COUNTS:
        check_at_least(f"--{name.replace('_', '-')}", getattr(arguments, name), 1)
    check_at_least("--serving-calls", arguments.serving_calls, 2)
    report_files.check_output_location("--out", arguments.out)
    check_keras_backend(arguments.keras_backend)
    if arguments.keras_backend != "tensorflow":
        return run_on_backend(arguments, keys)
    from mnist_parity import benchmarking  # TensorFlow loads after the checks

    report_files.prepare_output_directory(arguments.out)
    command = command_line()
    document = benchmarking.run_benchmark(
        keys, arguments.repeats, arguments.seed, arguments.steps, arguments.steps_per_execution,
        fused_optimizer=arguments.keras_optimizer == "fused", rounds=arguments.rounds,
        pairs=arguments.pairs, progress=lambda line: print(line, file=sys.stderr, flush=True),
        inference_pairs=arguments.inference_pairs, serving_calls=arguments.serving_calls,
        inference_only=arguments.inference_only)
    return publish(arguments.out, document, command, benchmarking.markdown)


def run_on_backend(arguments, keys):
    """--keras-backend other than tensorflow: paired spans only, both sides in one process on
    that backend (benchmarking/backend_pairs.py); writes benchmark.json/.md; returns OK."""
    from mnist_parity.benchmarking import backend_pairs

    report_files.prepare_output_directory(arguments.out)
    command = command_line()
    document = backend_pairs.run_backend_benchmark(
        keys, arguments.keras_backend, lambda key: arguments.steps or rounds.BENCHMARK_STEPS[key],
        arguments.pairs, arguments.seed, lambda line: print(line, file=sys.stderr, flush=True))
    return publish(arguments.out, document, command, backend_pairs.markdown)


def publish(out, document, command, markdown):
    """benchmark.json/.md of `document` (its table by `markdown`) into `out`, printed; OK."""
    document["command"] = command
    text = markdown(document, command)
    print(text)
    for path in report_files.write_json_and_markdown(out, "benchmark", document, text):
        print(f"wrote {path}")
    return exit_codes.OK
