"""The benchmark's worker: what one child process measures, and how the parent starts it.

One child per side and round (`measure_side`: so peak memory is that side's alone),
and one more per model holding both sides (`measure_pairs`). The parent runs
`python -m mnist_parity.benchmarking KEY SIDE STEPS REPEATS SEED KERAS_OPTIONS_JSON`
(`run_worker`); the child prints its result as one JSON line (`worker_main`).
"""

import json
import os
import resource
import statistics
import subprocess
import sys
import time

from mnist_core import recipes, training_data

WARMUP_STEPS = 100  # one Keras execution: tracing, oneDNN primitive caches, tf.data start
SIDES = ("tf1", "keras")
PAIRED = "paired"  # the worker that holds both sides (measure_pairs)
INFERENCE = "inference"  # the worker of paired inference (inference_pairs.measure_inference_pairs)


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


def _samples_per_second(samples, function):
    """`samples` over the seconds that one call of `function` takes."""
    start = time.perf_counter()
    function()
    return samples / (time.perf_counter() - start)


def _data_and_spans(key, steps, count, seed):
    """(recipe, training data, spans): the warm-up span, then `count` spans of `steps`
    batches, in TF1's next_batch order."""
    from mnist_core import batches

    recipe = recipes.get_recipe(key)
    data = training_data.load_training_data(recipe)
    order = batches.batch_order(len(data.train_images), recipe.batch_size,
                                WARMUP_STEPS + steps * count, seed)
    spans = [order[:WARMUP_STEPS]] + [order[WARMUP_STEPS + index * steps:][:steps]
                                      for index in range(count)]
    return recipe, data, spans


def measure_side(key, side_name, steps, repeats, seed=0, keras_options=None):
    """In this process: one side's training and inference throughput and its memory.

    `keras_options` (Keras side only; default the kit's) are KerasSide arguments,
    `steps_per_execution` and `fused_optimizer`, there to measure what each buys
    (`mnist-parity benchmark --steps-per-execution 1`, `--keras-optimizer keras`).
    """
    from mnist_parity import sides

    baseline = resident_megabytes()  # the frameworks imported, nothing built yet
    recipe, data, spans = _data_and_spans(key, steps, repeats, seed)
    options = {} if side_name == "tf1" else dict(keras_options or {})
    side_class = {"tf1": sides.LegacySide, "keras": sides.KerasSide}[side_name]
    with side_class(key, seed=seed, **options) as side:
        train = lambda span: side.train(data.train_images, data.train_labels, span)  # noqa: E731
        train(spans[0])
        training = [_samples_per_second(len(span) * recipe.batch_size, lambda: train(span))
                    for span in spans[1:]]
        side.logits(data.test_images)  # warm up inference
        inference = [_samples_per_second(len(data.test_images), lambda: side.logits(data.test_images))
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

    recipe, data, spans = _data_and_spans(key, steps, pairs, seed)
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
                rates[side].append(_samples_per_second(len(span) * recipe.batch_size,
                                                       lambda: train(side, span)))
    ratios = [keras_rate / tf1_rate for tf1_rate, keras_rate in zip(rates["tf1"], rates["keras"])]
    return {"training_samples_per_second": rates, "first_sides": first_sides, "ratios": ratios,
            "training_ratio": statistics.median(ratios)}


def run_worker(key, side_name, steps, repeats, seed, keras_options=None):
    """measure_side (or, for PAIRED, measure_pairs with `repeats` pairs; for INFERENCE,
    inference_pairs.measure_inference_pairs) in a fresh Python process; its result, or
    RuntimeError with its stderr."""
    command = [sys.executable, "-m", "mnist_parity.benchmarking", key, side_name,
               str(steps), str(repeats), str(seed), json.dumps(keras_options or {})]
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        raise RuntimeError(f"benchmark of {key} ({side_name}) exited {completed.returncode}:\n"
                           f"{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def worker_main(argv):
    """`python -m mnist_parity.benchmarking KEY SIDE STEPS REPEATS SEED KERAS_OPTIONS_JSON`:
    one JSON line out. SIDE "paired" runs measure_pairs, REPEATS being the pairs; SIDE
    "inference" runs inference_pairs.measure_inference_pairs, STEPS being the serving calls
    per span and REPEATS the pairs."""
    key, side, steps, repeats, seed, keras_options = argv
    if side not in SIDES + (PAIRED, INFERENCE):
        raise ValueError(f"side {side!r}; expected one of {SIDES + (PAIRED, INFERENCE)}")
    arguments = (int(steps), int(repeats), int(seed), json.loads(keras_options))
    if side == INFERENCE:
        from mnist_parity.benchmarking import inference_pairs

        print(json.dumps(inference_pairs.measure_inference_pairs(key, *arguments[:3])))
    elif side == PAIRED:
        print(json.dumps(measure_pairs(key, *arguments)))
    else:
        print(json.dumps(measure_side(key, side, *arguments)))
