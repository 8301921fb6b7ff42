#!/usr/bin/env python
"""Estimator vs hand-written MonitoredTrainingSession loop: per-step time and their ratio.

    .venv/bin/python scripts/benchmark_estimator.py --model layers_cnn --steps 100 --repeats 5

Exits 1 when the ratio exceeds --max_ratio (the goal: 1.3). The measuring
logic lives in mnist_parity/benchmarking/estimator_overhead.py.
"""

import argparse
import sys
import warnings

from mnist_parity.benchmarking import estimator_overhead


def parse_arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="layers_cnn",
                        choices=sorted(estimator_overhead.MODEL_FUNCTIONS))
    parser.add_argument("--steps", type=int, default=100, help="measured steps per repeat")
    parser.add_argument("--warmup_steps", type=int, default=10, help="untimed steps first")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max_ratio", type=float, default=1.3)
    return parser.parse_args(argv)


def main(argv=None):
    arguments = parse_arguments(argv)
    # Each tf.layers call warns that it is deprecated; the figures are the output here.
    warnings.filterwarnings("ignore", message=r"`tf\.layers\.")
    result = estimator_overhead.run_benchmark(
        arguments.model, steps=arguments.steps, warmup_steps=arguments.warmup_steps,
        repeats=arguments.repeats, seed=arguments.seed)
    print(estimator_overhead.format_result(result))
    within = result.ratio <= arguments.max_ratio
    print(f"goal ratio <= {arguments.max_ratio}: {'met' if within else 'NOT met'}")
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
