"""Paired inference: both sides of a model, and the Keras side's exported SavedModel, in one
process, timed in spans back to back, alternating order (`measure_inference_pairs`).

Two batch sizes. FULL: the 10,000 test images in one call of each side's `logits` (the
kit's `predict_logits`: input checks, then 1,000-image batches), samples/s per span.
SERVING: one image per call (SERVING_BATCH), `calls` calls per span over successive test
images, each call timed: samples/s, and p50/p99 latency per call. One image is what an
online server sees per request, and where per-call overhead is largest; the serving
paths are the bare calls, as a server makes them, without the kit's input checks: TF1's
`session.run` of the logits with its inference feed, the Keras model's compiled call
(modern_keras/inference.py), and the artifact loaded by `tf.saved_model.load`, called
with a tensor as docs/SERVING.md tells a Python server to: its `serve` endpoint, wrapped
once (`exporting.serving_function`; the `serving_default` signature, called by keyword
and returning a dict, took 26-124 us more per call: docs/PERFORMANCE.md). Each pair's
ratio compares spans seconds apart on one machine, so the medians of those ratios are
what the goals are judged on.
"""

import statistics
import tempfile
import time

import numpy as np

from mnist_core import recipes, training_data

FULL_PATHS = ("tf1", "keras")
SERVING_PATHS = ("tf1", "keras", "artifact")
SERVING_BATCH = 1
WARMUP_CALLS = 50  # per serving path: tracing, first-call allocations


def _ordered(paths, index):
    """Pair `index`'s order: as given on even pairs, reversed on odd ones."""
    return paths if index % 2 == 0 else paths[::-1]


def serving_span(call, images):
    """Calls `call` once per image; {samples_per_second, latency_p50_ms, latency_p99_ms}."""
    latencies = []
    start = time.perf_counter()
    for image in images:
        before = time.perf_counter()
        call(image)
        latencies.append(time.perf_counter() - before)
    seconds = time.perf_counter() - start
    p50, p99 = np.percentile(latencies, [50, 99])
    return {"samples_per_second": len(images) * SERVING_BATCH / seconds,
            "latency_p50_ms": 1000 * float(p50), "latency_p99_ms": 1000 * float(p99)}


def _serving_calls(tf1, keras_side, serve):
    """{path: one serving call}: the bare calls (module docstring)."""
    import tensorflow as tf

    from modern_keras import inference

    # The artifact's input as a tensor: a signature converts NumPy itself ~100 us slower
    # per call (measured, lenet5: 612 against 517 us).
    return {"tf1": lambda image: tf1.session.run(tf1.endpoints.logits, tf1.endpoints.feed(image)),
            "keras": lambda image: inference.logits(keras_side.model, image),
            "artifact": lambda image: serve(tf.constant(image)).numpy()}


def _loaded_artifact(keras_side, directory):
    """The Keras side exported (exporting.artifacts) to `directory` and loaded back: the
    call a Python server makes (exporting.serving_function)."""
    import tensorflow as tf

    from mnist_parity import exporting
    from tf1_to_keras.exporting import artifacts

    artifacts.write_keras_artifact(keras_side.model, f"{directory}/artifact")
    loaded = tf.saved_model.load(f"{directory}/artifact")
    return exporting.serving_function(loaded, keras_side.model.input_shape[1:])


def _timed_pairs(full, serving, test_images, calls, pairs):
    """`pairs` pairs of FULL spans and of SERVING spans; {"full": ..., "serving": ...} of
    raw per-pair figures and each pair's order."""
    serving_images = [test_images[index % len(test_images)][None] for index in range(calls)]
    for path in FULL_PATHS:
        full[path]()
    for path in SERVING_PATHS:
        serving_span(serving[path], [image[None] for image in test_images[:WARMUP_CALLS]])
    measured = {"full": {"orders": [], "spans": {path: [] for path in FULL_PATHS}},
                "serving": {"orders": [], "spans": {path: [] for path in SERVING_PATHS}}}
    for index in range(pairs):
        measured["full"]["orders"].append(list(_ordered(FULL_PATHS, index)))
        for path in _ordered(FULL_PATHS, index):
            start = time.perf_counter()
            full[path]()
            measured["full"]["spans"][path].append(len(test_images) / (time.perf_counter() - start))
        measured["serving"]["orders"].append(list(_ordered(SERVING_PATHS, index)))
        for path in _ordered(SERVING_PATHS, index):
            measured["serving"]["spans"][path].append(serving_span(serving[path], serving_images))
    return measured


def summarize_pairs(measured, full_batch, calls):
    """The JSON entry: per batch size, each path's figures per pair, each pair's Keras/TF1
    ratio (samples/s) and their median; for serving also the artifact's p50 latency over
    TF1's per pair and its median (at most 1.0: the artifact is as fast)."""
    full = measured["full"]
    full_ratios = [keras_rate / tf1_rate for tf1_rate, keras_rate in
                   zip(full["spans"]["tf1"], full["spans"]["keras"])]
    serving = measured["serving"]
    figures = {name: {path: [span[name] for span in spans] for path, spans in serving["spans"].items()}
               for name in ("samples_per_second", "latency_p50_ms", "latency_p99_ms")}
    rates, p50 = figures["samples_per_second"], figures["latency_p50_ms"]
    serving_ratios = [keras_rate / tf1_rate for tf1_rate, keras_rate in zip(rates["tf1"], rates["keras"])]
    artifact_latency = [artifact / tf1 for tf1, artifact in zip(p50["tf1"], p50["artifact"])]
    return {
        "full": {"batch_size": full_batch, "orders": full["orders"],
                 "samples_per_second": full["spans"], "ratios": full_ratios,
                 "ratio": statistics.median(full_ratios)},
        "serving": {"batch_size": SERVING_BATCH, "calls": calls, "orders": serving["orders"],
                    **figures, "ratios": serving_ratios, "ratio": statistics.median(serving_ratios),
                    "artifact_to_tf1_latency": artifact_latency,
                    "artifact_latency_ratio": statistics.median(artifact_latency)}}


def measure_inference_pairs(key, calls, pairs, seed=0):
    """In this process: both sides of `key` and the Keras side's artifact, `pairs` pairs of
    FULL and SERVING spans (`calls` one-image calls per serving span); summarize_pairs."""
    from mnist_parity import sides

    if calls < 2 or pairs < 1:
        raise ValueError(f"calls={calls}, pairs={pairs}; expected calls >= 2 and pairs >= 1")
    test_images = training_data.load_training_data(recipes.get_recipe(key)).test_images
    with sides.LegacySide(key, seed=seed) as tf1, sides.KerasSide(key, seed=seed) as keras_side, \
            tempfile.TemporaryDirectory(prefix="mnist-parity-benchmark-") as scratch:
        serve = _loaded_artifact(keras_side, scratch)
        full = {"tf1": lambda: tf1.logits(test_images), "keras": lambda: keras_side.logits(test_images)}
        measured = _timed_pairs(full, _serving_calls(tf1, keras_side, serve), test_images, calls, pairs)
    return summarize_pairs(measured, len(test_images), calls)
