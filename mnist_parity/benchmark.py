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
A GEMM calibration of this machine's fp32 peak, at the start and at the end of the
run (the faster counts), turns throughput into achieved GFLOP/s and a share of it.

FLOPs are counted analytically from the Keras twin (the same model as TF1's):
2 x multiply-adds of every Dense and Conv2D layer per example for inference, and
3 x that for a training step (forward, plus gradients for inputs and weights).
Pooling, activations, dropout and the optimizer are left out, so the figures
are a lower bound on the work done.
"""

import json
import os
import resource
import statistics
import subprocess
import sys
import time

import numpy as np

from mnist_core import recipes, training_data

# Timed steps per repeat, about 2-8 s per side on a 2-core machine; multiples of the
# Keras side's steps_per_execution (100), so no repeat ends in a partial execution.
BENCHMARK_STEPS = {"softmax_regression": 3000, "deep_cnn": 200, "layers_cnn": 100,
                   "lenet5": 600, "core_convnet": 200}
WARMUP_STEPS = 100  # one Keras execution: tracing, oneDNN primitive caches, tf.data start
GEMM_SIZE = 2048
SIDES = ("tf1", "keras")
PAIRED = "paired"  # the worker that holds both sides (measure_pairs)
# The goals: Keras at least as fast as TF1 in training; the compute-bound CNNs
# at half the calibrated peak or more.
GOAL_TRAINING_RATIO = 1.0
GOAL_PEAK_SHARE = 0.5
COMPUTE_BOUND_MODELS = ("deep_cnn", "layers_cnn")


def forward_flops_per_example(model):
    """2 x multiply-adds of the Dense and Conv2D layers of a built Keras model, per example."""
    import keras

    flops = 0
    for layer in model.layers:
        if isinstance(layer, keras.layers.Dense):
            flops += 2 * int(np.prod(layer.kernel.shape))
        elif isinstance(layer, keras.layers.Conv2D):
            output_height, output_width = layer.output.shape[1:3]
            flops += 2 * int(np.prod(layer.kernel.shape)) * output_height * output_width
    return flops


def model_flops(key):
    """{"inference": FLOPs per example, "training": FLOPs per example and step}."""
    from mnist_parity import registry

    recipe = recipes.get_recipe(key)
    forward = forward_flops_per_example(registry.keras_module(key).build_model(recipe))
    return {"inference": forward, "training": 3 * forward}


def calibrate_gemm(size=GEMM_SIZE, repeats=5):
    """Median fp32 GFLOP/s of a size x size matmul in a compiled TF function."""
    import tensorflow as tf

    a = tf.random.stateless_uniform((size, size), seed=(0, 1))
    b = tf.random.stateless_uniform((size, size), seed=(0, 2))
    matmul = tf.function(lambda x, y: tf.reduce_sum(tf.matmul(x, y)))
    matmul(a, b).numpy()  # trace and warm up
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        matmul(a, b).numpy()
        rates.append(2 * size ** 3 / (time.perf_counter() - start) / 1e9)
    return {"size": size, "gflops_repeats": rates, "gflops": statistics.median(rates)}


def resident_megabytes():
    """This process's resident memory now, in MB (Linux /proc; NaN elsewhere)."""
    try:
        with open("/proc/self/statm") as stream:
            pages = int(stream.read().split()[1])
    except OSError:
        return float("nan")
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def peak_resident_megabytes():
    """This process's peak resident memory so far, in MB (ru_maxrss is KB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def _timed(function):
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def _training_spans(training_images, recipe, steps, count, seed):
    """The warm-up span, then `count` spans of `steps` batches, in TF1's next_batch order."""
    from mnist_core import batches

    order = batches.batch_order(len(training_images), recipe.batch_size,
                                WARMUP_STEPS + steps * count, seed)
    return [order[:WARMUP_STEPS]] + [order[WARMUP_STEPS + index * steps:][:steps]
                                     for index in range(count)]


def measure_side(key, side_name, steps, repeats, seed=0, keras_options=None):
    """In this process: one side's training and inference throughput and its memory.

    `keras_options` (Keras side only; default the kit's) are KerasSide arguments,
    `steps_per_execution` and `fused_optimizer`, there to measure what each buys
    (`mnist-parity benchmark --steps-per-execution 1`, `--keras-optimizer keras`).
    """
    from mnist_parity import sides

    baseline = resident_megabytes()  # the frameworks imported, nothing built yet
    recipe = recipes.get_recipe(key)
    data = training_data.load_training_data(recipe)
    options = {} if side_name == "tf1" else dict(keras_options or {})
    side_class = {"tf1": sides.LegacySide, "keras": sides.KerasSide}[side_name]
    spans = _training_spans(data.train_images, recipe, steps, repeats, seed)
    with side_class(key, seed=seed, **options) as side:
        train = lambda span: side.train(data.train_images, data.train_labels, span)  # noqa: E731
        train(spans[0])
        training = [len(span) * recipe.batch_size / _timed(lambda: train(span)) for span in spans[1:]]
        side.logits(data.test_images)  # warm up inference
        inference = [len(data.test_images) / _timed(lambda: side.logits(data.test_images))
                     for _ in range(repeats)]
    return {"training_samples_per_second": training, "inference_samples_per_second": inference,
            "baseline_rss_mb": baseline, "peak_rss_mb": peak_resident_megabytes()}


def measure_pairs(key, steps, pairs, seed=0, keras_options=None):
    """In this process: both sides' training throughput over `pairs` paired spans.

    Both sides warm up, then each pair trains the same `steps` batches on one side and
    then on the other, alternating which goes first. Returns each side's samples/s per
    pair and each pair's Keras/TF1 ratio.
    """
    from mnist_parity import sides

    recipe = recipes.get_recipe(key)
    data = training_data.load_training_data(recipe)
    spans = _training_spans(data.train_images, recipe, steps, pairs, seed)
    with sides.LegacySide(key, seed=seed) as tf1, \
            sides.KerasSide(key, seed=seed, **(keras_options or {})) as keras_side:
        trainers = {"tf1": tf1, "keras": keras_side}
        train = lambda side, span: trainers[side].train(  # noqa: E731
            data.train_images, data.train_labels, span)
        rates, first_sides = {side: [] for side in SIDES}, []
        for side in SIDES:
            train(side, spans[0])
        for index, span in enumerate(spans[1:]):
            pair_order = SIDES if index % 2 == 0 else SIDES[::-1]
            first_sides.append(pair_order[0])
            for side in pair_order:
                rates[side].append(len(span) * recipe.batch_size / _timed(lambda: train(side, span)))
    ratios = [keras_rate / tf1_rate for tf1_rate, keras_rate in zip(rates["tf1"], rates["keras"])]
    return {"training_samples_per_second": rates, "first_sides": first_sides, "ratios": ratios,
            "training_ratio": statistics.median(ratios)}


def run_worker(key, side_name, steps, repeats, seed, keras_options=None):
    """measure_side (or, for PAIRED, measure_pairs with `repeats` pairs) in a fresh Python
    process; its result, or RuntimeError with its stderr."""
    command = [sys.executable, "-m", "mnist_parity.benchmark", key, side_name,
               str(steps), str(repeats), str(seed), json.dumps(keras_options or {})]
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        raise RuntimeError(f"benchmark of {key} ({side_name}) exited {completed.returncode}:\n"
                           f"{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def summarize(key, measurements, flops, peak_gflops, paired):
    """Medians, ratios, GFLOP/s and shares of peak for one model's two sides; `paired` is
    measure_pairs' result."""
    entry = {"batch_size": recipes.get_recipe(key).batch_size, "flops_per_example": flops,
             "sides": {}, "paired": paired}
    for side, measured in measurements.items():
        training = statistics.median(measured["training_samples_per_second"])
        inference = statistics.median(measured["inference_samples_per_second"])
        entry["sides"][side] = {
            **measured, "training_median": training, "inference_median": inference,
            "training_gflops": training * flops["training"] / 1e9,
            "inference_gflops": inference * flops["inference"] / 1e9,
            "training_peak_share": training * flops["training"] / 1e9 / peak_gflops,
            "inference_peak_share": inference * flops["inference"] / 1e9 / peak_gflops}
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
    # run differed by more than the gap being measured (README, "Performance").
    goals = {"keras_training_at_least_tf1": entry["paired"]["training_ratio"] >= GOAL_TRAINING_RATIO}
    if key in COMPUTE_BOUND_MODELS:
        goals["keras_training_at_half_peak"] = (
            entry["sides"]["keras"]["training_peak_share"] >= GOAL_PEAK_SHARE)
    return goals


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
    measured = {side: [] for side in SIDES}
    for round_index in range(rounds):
        for side in SIDES if round_index % 2 == 0 else SIDES[::-1]:
            progress(f"[{key}] round {round_index + 1}/{rounds}, {side}: {repeats} x {steps} "
                     "training steps, then inference")
            measured[side].append(run_worker(key, side, steps, repeats, seed, keras_options))
    progress(f"[{key}] both sides in one process: {pairs} pairs of {steps}-step spans")
    paired = run_worker(key, PAIRED, steps, pairs, seed, keras_options)
    return {side: merge_rounds(results) for side, results in measured.items()}, paired


def run_benchmark(keys, repeats=2, seed=0, steps=None, steps_per_execution=None,
                  fused_optimizer=True, rounds=3, pairs=6, progress=print):
    """The whole benchmark: calibration, each model's two sides, calibration again (the
    peak is the faster of the two); the results document."""
    from mnist_parity import environment
    from modern_keras import training

    keras_options = {"steps_per_execution": steps_per_execution or training.STEPS_PER_EXECUTION,
                     "fused_optimizer": fused_optimizer}
    calibrations = [calibrate_gemm()]
    progress(f"GEMM {GEMM_SIZE}x{GEMM_SIZE} fp32: {calibrations[0]['gflops']:.1f} GFLOP/s (median)")
    measured = {key: measure_model(key, steps or BENCHMARK_STEPS[key], repeats, rounds, pairs,
                                   seed, keras_options, progress) for key in keys}
    # Calibrated again at the end: on a shared machine one calibration can land on a slow
    # minute (measured: 108 GFLOP/s at the start of a run whose end gave 2x that).
    calibrations.append(calibrate_gemm())
    calibration = {**max(calibrations, key=lambda entry: entry["gflops"]),
                   "gflops_start_and_end": [entry["gflops"] for entry in calibrations]}
    models = {}
    for key, (measurements, paired) in measured.items():
        models[key] = summarize(key, measurements, model_flops(key), calibration["gflops"], paired)
        models[key]["steps_per_repeat"] = steps or BENCHMARK_STEPS[key]
    return {"environment": environment.describe(), "repeats": repeats, "rounds": rounds,
            "pairs": pairs, "seed": seed,
            "warmup_steps": WARMUP_STEPS,
            "keras_steps_per_execution": keras_options["steps_per_execution"],
            "keras_fused_optimizer": fused_optimizer,
            "gemm": calibration, "models": models}


TABLE_COLUMNS = ("model", "batch", "train samples/s TF1 / Keras", "Keras/TF1",
                 "Keras/TF1 paired",
                 "train GFLOP/s (% peak) TF1 / Keras", "infer samples/s TF1 / Keras", "Keras/TF1",
                 "peak RSS MB TF1 / Keras")


def table_rows(document):
    """One row of strings per model, in TABLE_COLUMNS order."""
    rows = []
    for key, entry in document["models"].items():
        tf1, keras_side = entry["sides"]["tf1"], entry["sides"]["keras"]
        rows.append((
            key, str(entry["batch_size"]),
            f"{tf1['training_median']:,.0f} / {keras_side['training_median']:,.0f}",
            f"{entry['training_ratio']:.2f}x{_round_range(entry)}",
            _paired_words(entry),
            f"{tf1['training_gflops']:.1f} ({tf1['training_peak_share']:.0%}) / "
            f"{keras_side['training_gflops']:.1f} ({keras_side['training_peak_share']:.0%})",
            f"{tf1['inference_median']:,.0f} / {keras_side['inference_median']:,.0f}",
            f"{entry['inference_ratio']:.2f}x",
            f"{tf1['peak_rss_mb']:,.0f} / {keras_side['peak_rss_mb']:,.0f}"))
    return rows


def markdown(document, command):
    """benchmark.md: calibration, the table, and which goals were met."""
    gemm = document["gemm"]
    lines = [f"# Throughput and memory, TF1 session loop vs Keras 3\n\nProduced by `{command}` "
             f"(medians of {_spans_words(document)}; Keras at steps_per_execution="
             f"{document['keras_steps_per_execution']}, {_optimizer_words(document)}; "
             f"{document['environment']['cpu']}, "
             f"{document['environment']['usable_cpus']} usable cores).\n",
             f"GEMM calibration: {gemm['size']}x{gemm['size']} fp32 matmul at "
             f"{gemm['gflops']:.1f} GFLOP/s{_calibration_words(gemm)} (the peak shares below "
             "are of this).\n",
             "| " + " | ".join(TABLE_COLUMNS) + " |", "|" + "---|" * len(TABLE_COLUMNS)]
    lines += ["| " + " | ".join(row) + " |" for row in table_rows(document)]
    lines.append("\nGoals: " + "; ".join(
        f"{key} {goal}: {'met' if met else 'MISSED'}"
        for key, entry in document["models"].items() for goal, met in entry["goals"].items()))
    return "\n".join(lines) + "\n"


def _calibration_words(gemm):
    both = gemm.get("gflops_start_and_end")  # results written before: one calibration
    return f", the faster of {both[0]:.1f} at the start and {both[1]:.1f} at the end" if both else ""


def _spans_words(document):
    rounds = document.get("rounds", 1)  # results written before rounds existed: one
    if rounds == 1:
        return f"{document['repeats']} repeats"
    words = (f"{document['repeats']} repeats x {rounds} alternating rounds; the Keras/TF1 "
             "training column gives the rounds' own ratios in brackets")
    if "pairs" in document:
        words += (f"; Keras/TF1 paired: median of {document['pairs']} pairs of spans trained back "
                  "to back in one process, with their range, on which the goal is judged")
    return words


def _paired_words(entry):
    paired = entry.get("paired")  # results written before pairs existed: none
    if paired is None:
        return "-"
    return (f"{paired['training_ratio']:.2f}x ({min(paired['ratios']):.2f}-"
            f"{max(paired['ratios']):.2f})")


def _round_range(entry):
    ratios = entry.get("training_ratio_per_round", [])
    return f" ({min(ratios):.2f}-{max(ratios):.2f})" if len(ratios) > 1 else ""


def _optimizer_words(document):
    # Results written before the fused optimizers existed have no such key: Keras' own.
    fused = document.get("keras_fused_optimizer", False)
    return "fused optimizer kernels" if fused else "Keras' own optimizers"


def worker_main(argv):
    """`python -m mnist_parity.benchmark KEY SIDE STEPS REPEATS SEED KERAS_OPTIONS_JSON`:
    one JSON line out. SIDE "paired" runs measure_pairs, REPEATS being the pairs."""
    key, side, steps, repeats, seed, keras_options = argv
    if side not in SIDES + (PAIRED,):
        raise ValueError(f"side {side!r}; expected one of {SIDES + (PAIRED,)}")
    arguments = (int(steps), int(repeats), int(seed), json.loads(keras_options))
    if side == PAIRED:
        print(json.dumps(measure_pairs(key, *arguments)))
    else:
        print(json.dumps(measure_side(key, side, *arguments)))


if __name__ == "__main__":
    worker_main(sys.argv[1:])
