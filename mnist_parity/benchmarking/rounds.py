"""Rounds and pairs: each model's workers in alternating order, their summary, the goals,
and `run_benchmark`, the whole run as one results document (benchmark.json)."""

import statistics

from mnist_core import recipes
from mnist_parity.benchmarking import flops, worker

# Timed steps per repeat, about 2-8 s per side on a 2-core machine; multiples of the
# Keras side's steps_per_execution (100), so no repeat ends in a partial execution.
BENCHMARK_STEPS = {"softmax_regression": 3000, "deep_cnn": 200, "layers_cnn": 100,
                   "lenet5": 600, "core_convnet": 200}
# The goals: Keras at least as fast as TF1 in training; the compute-bound CNNs
# at half the calibrated peak or more.
GOAL_TRAINING_RATIO = 1.0
GOAL_PEAK_SHARE = 0.5
COMPUTE_BOUND_MODELS = ("deep_cnn", "layers_cnn")
# And in inference (issue 16): Keras at least as fast as TF1, the artifact as fast as TF1.
GOAL_INFERENCE_RATIO = 1.0
SERVING_CALLS = 300  # one-image calls per serving span: ~0.03-0.3 s
INFERENCE_PAIRS = 6


def summarize(key, measurements, flops_per_example, peak_gflops, paired):
    """Medians, ratios, GFLOP/s and shares of peak for one model's two sides; `paired` is
    measure_pairs' result."""
    entry = {"batch_size": recipes.get_recipe(key).batch_size, "flops_per_example": flops_per_example,
             "sides": {}, "paired": paired}
    for side, measured in measurements.items():
        training = statistics.median(measured["training_samples_per_second"])
        inference = statistics.median(measured["inference_samples_per_second"])
        entry["sides"][side] = {
            **measured, "training_median": training, "inference_median": inference,
            "training_gflops": training * flops_per_example["training"] / 1e9,
            "inference_gflops": inference * flops_per_example["inference"] / 1e9,
            "training_peak_share": training * flops_per_example["training"] / 1e9 / peak_gflops,
            "inference_peak_share": inference * flops_per_example["inference"] / 1e9 / peak_gflops}
    tf1, keras_side = entry["sides"]["tf1"], entry["sides"]["keras"]
    entry["training_ratio"] = keras_side["training_median"] / tf1["training_median"]
    entry["training_ratio_per_round"] = [
        statistics.median(keras_spans) / statistics.median(tf1_spans)
        for tf1_spans, keras_spans in zip(tf1["training_per_round"], keras_side["training_per_round"])]
    entry["inference_ratio"] = keras_side["inference_median"] / tf1["inference_median"]
    entry["goals"] = _goals(key, entry)
    return entry


def _goals(key, entry):
    # Judged on the paired ratio: a pair's two spans run seconds apart in one process; a
    # round's two sides run a minute apart in two, and on a shared machine rounds of one
    # run differed by more than the gap being measured (docs/PERFORMANCE.md).
    goals = {"keras_training_at_least_tf1": entry["paired"]["training_ratio"] >= GOAL_TRAINING_RATIO}
    if key in COMPUTE_BOUND_MODELS:
        goals["keras_training_at_half_peak"] = (
            entry["sides"]["keras"]["training_peak_share"] >= GOAL_PEAK_SHARE)
    return goals


def inference_goals(inference_paired):
    """Issue 16's goals on the paired inference medians: Keras at least as fast as TF1 at
    both batch sizes, and the exported artifact's one-image latency at most TF1's."""
    return {"keras_inference_full_at_least_tf1":
            inference_paired["full"]["ratio"] >= GOAL_INFERENCE_RATIO,
            "keras_inference_serving_at_least_tf1":
            inference_paired["serving"]["ratio"] >= GOAL_INFERENCE_RATIO,
            "artifact_latency_at_most_tf1":
            inference_paired["serving"]["artifact_latency_ratio"] <= GOAL_INFERENCE_RATIO}


def merge_rounds(rounds):
    """One side's measure_side results over the rounds: all spans, the per-round
    training spans, and the largest peak memory."""
    return {
        "training_samples_per_second": [rate for measured in rounds
                                        for rate in measured["training_samples_per_second"]],
        "training_per_round": [measured["training_samples_per_second"] for measured in rounds],
        "inference_samples_per_second": [rate for measured in rounds
                                         for rate in measured["inference_samples_per_second"]],
        "baseline_rss_mb": statistics.median(measured["baseline_rss_mb"] for measured in rounds),
        "peak_rss_mb": max(measured["peak_rss_mb"] for measured in rounds)}


def measure_model(key, steps, repeats, rounds, pairs, seed, keras_options, progress):
    """Both sides of one model over `rounds` alternating rounds, then `pairs` paired spans;
    ({side: merged results}, measure_pairs' result)."""
    sides = worker.SIDES
    measured = {side: [] for side in sides}
    for round_index in range(rounds):
        for side in sides if round_index % 2 == 0 else sides[::-1]:
            progress(f"[{key}] round {round_index + 1}/{rounds}, {side}: {repeats} x {steps} "
                     "training steps, then inference")
            measured[side].append(worker.run_worker(key, side, steps, repeats, seed, keras_options))
    progress(f"[{key}] both sides in one process: {pairs} pairs of {steps}-step spans")
    paired = worker.run_worker(key, worker.PAIRED, steps, pairs, seed, keras_options)
    return {side: merge_rounds(results) for side, results in measured.items()}, paired


def measure_inference(key, serving_calls, pairs, seed, keras_options, progress):
    """Paired inference of one model (inference_pairs.measure_inference_pairs), in its own process."""
    progress(f"[{key}] inference, both sides and the artifact in one process: {pairs} pairs of "
             f"full-test-set spans and of {serving_calls}-call one-image spans")
    return worker.run_worker(key, worker.INFERENCE, serving_calls, pairs, seed, keras_options)


def model_entry(key, training_measured, inference_paired, peak_gflops, steps=None):
    """One model's entry: summarize's (unless `training_measured` is None, an inference-only
    run), with the paired inference and its goals added."""
    if training_measured is None:
        entry = {"batch_size": recipes.get_recipe(key).batch_size, "goals": {}}
    else:
        measurements, paired = training_measured
        entry = summarize(key, measurements, flops.model_flops(key), peak_gflops, paired)
        entry["steps_per_repeat"] = steps or BENCHMARK_STEPS[key]
    entry["inference_paired"] = inference_paired
    entry["goals"].update(inference_goals(inference_paired))
    return entry


def run_benchmark(keys, repeats=2, seed=0, steps=None, steps_per_execution=None,
                  fused_optimizer=True, rounds=3, pairs=6, progress=print,
                  inference_pairs=INFERENCE_PAIRS, serving_calls=SERVING_CALLS, inference_only=False):
    """The whole benchmark: calibration, each model's two sides (training unless
    `inference_only`, then paired inference), calibration again (the peak is the faster
    of the two); the results document."""
    from mnist_parity import environment
    from modern_keras import training

    keras_options = {"steps_per_execution": steps_per_execution or training.STEPS_PER_EXECUTION,
                     "fused_optimizer": fused_optimizer}
    calibrations = [flops.calibrate_gemm()]
    progress(f"GEMM {flops.GEMM_SIZE}x{flops.GEMM_SIZE} fp32: {calibrations[0]['gflops']:.1f} "
             "GFLOP/s (median)")
    measured = {}
    for key in keys:
        training_measured = None if inference_only else measure_model(
            key, steps or BENCHMARK_STEPS[key], repeats, rounds, pairs, seed, keras_options, progress)
        measured[key] = (training_measured, measure_inference(
            key, serving_calls, inference_pairs, seed, keras_options, progress))
    # Calibrated again at the end: on a shared machine one calibration can land on a slow
    # minute (measured: 108 GFLOP/s at the start of a run whose end gave 2x that).
    calibrations.append(flops.calibrate_gemm())
    calibration = {**max(calibrations, key=lambda entry: entry["gflops"]),
                   "gflops_start_and_end": [entry["gflops"] for entry in calibrations]}
    models = {key: model_entry(key, *measured[key], calibration["gflops"], steps) for key in keys}
    return {"environment": environment.describe(), "repeats": repeats, "rounds": rounds,
            "pairs": pairs, "seed": seed,
            "warmup_steps": worker.WARMUP_STEPS,
            "keras_steps_per_execution": keras_options["steps_per_execution"],
            "keras_fused_optimizer": fused_optimizer,
            "inference_only": inference_only, "inference_pairs": inference_pairs,
            "serving_calls": serving_calls,
            "gemm": calibration, "models": models}
