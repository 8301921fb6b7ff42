"""`mnist-parity benchmark`: training and inference throughput of both sides, side by side.

For each model at its recipe's batch size, one child process per side (so peak
memory is that side's alone) trains `repeats` timed spans of `steps` batches after
a warm-up span, then times inference on the 10,000 test images. That is one round;
`rounds` rounds alternate the sides (TF1 first, then Keras first, ...), so a slow
minute of a shared machine falls on both sides rather than on one. Ratios compare
the medians over all rounds' spans; each round's own ratio is kept as well.
Then one more child process holds both sides and trains `pairs` pairs of spans,
back to back (TF1 then Keras, Keras then TF1, ...): the two spans of a pair see the
same seconds of the machine, so each pair's ratio is free of the drift between
processes, and the goal is judged on the median of those paired ratios.
Inference is paired too: one more child process per model holds both sides and the
Keras side's exported SavedModel, and times them in pairs of spans back to back, at the
whole test set per call and at one image per call (latency p50/p99).
A GEMM calibration of this machine's fp32 peak, at the start and at the end of the
run (the faster counts), turns throughput into achieved GFLOP/s and a share of it.

The modules, by job: `flops` (FLOP counts and the GEMM calibration), `worker`
(what a child process measures; `python -m mnist_parity.benchmarking` runs it),
`inference_pairs` (the paired inference spans a worker times), `rounds` (rounds and pairs of
workers, their summary, the goals, `run_benchmark`), `benchmark_markdown` (the tables and
benchmark.md), `estimator_overhead` (the Estimator's per-step cost, for
scripts/benchmark_estimator.py) and `call_profile` (where one inference call's time
goes, `python -m mnist_parity.benchmarking.call_profile KEY ...`); the last two are not
imported here.
"""

from mnist_parity.benchmarking.flops import model_flops
from mnist_parity.benchmarking.benchmark_markdown import markdown
from mnist_parity.benchmarking.rounds import run_benchmark

__all__ = ["markdown", "model_flops", "run_benchmark"]
