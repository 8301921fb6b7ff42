"""`mnist-parity benchmark --keras-backend jax`: paired spans with the Keras side on JAX.

The benchmark's paired worker (worker.measure_pairs) holds both sides in one process; so
does this one, in a process on the Keras backend asked for (tf1_to_keras.harness.
backend_process): the TF1 side is TensorFlow's graph and session whatever Keras' backend,
so the pairs stay seconds apart in one process as on TensorFlow. XLA compiles the Keras
side's step and predict on their first calls: that first call is timed apart (`first_call_s`,
one step or one 1,000-image batch, compile included, against each side's steady per-step
time), and steady state is the paired spans after a warm-up span, as on TensorFlow.
"""

import statistics
import time

from mnist_parity.benchmarking import worker

CHILD = "mnist_parity.benchmarking.backend_pairs:measure"


def _seconds(function):
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def _first_calls(trainers, data, first_span):
    """Each side's first training step and first inference batch, in seconds (graph set-up or
    XLA compilation included: nothing has run yet)."""
    return {side: {"train_step_s": _seconds(lambda: trainer.train(data.train_images, data.train_labels,
                                                                  first_span)),
                   "predict_batch_s": _seconds(lambda: trainer.logits(data.test_images[:1000]))}
            for side, trainer in trainers.items()}


def _paired_rates(spans, samples, run):
    """{side: [samples/s per span]} over paired spans, alternating which side goes first."""
    rates = {side: [] for side in worker.SIDES}
    for index, span in enumerate(spans):
        for side in worker.SIDES if index % 2 == 0 else worker.SIDES[::-1]:
            rates[side].append(samples(span) / _seconds(lambda: run(side, span)))
    return rates


def _summary(rates):
    ratios = [keras / tf1 for tf1, keras in zip(rates["tf1"], rates["keras"])]
    return {"samples_per_second": rates, "ratios": ratios, "ratio": statistics.median(ratios),
            "median": {side: statistics.median(values) for side, values in rates.items()}}


def measure(key, steps, pairs, seed=0):
    """backend_process's child: first calls, then paired training spans of `steps` batches and
    paired full-test-set inference; a JSON-able dict."""
    import keras

    from mnist_parity import sides

    recipe, data, spans = worker._data_and_spans(key, steps, pairs, seed)
    with sides.LegacySide(key, seed=seed) as tf1, sides.KerasSide(key, seed=seed) as keras_side:
        trainers = {"tf1": tf1, "keras": keras_side}
        first = _first_calls(trainers, data, spans[0][:1])
        for trainer in trainers.values():  # warm-up span, as worker.measure_pairs
            trainer.train(data.train_images, data.train_labels, spans[0][1:])
        training = _paired_rates(
            spans[1:], lambda span: len(span) * recipe.batch_size,
            lambda side, span: trainers[side].train(data.train_images, data.train_labels, span))
        inference = _paired_rates(range(pairs), lambda _: len(data.test_images),
                                  lambda side, _: trainers[side].logits(data.test_images))
    steady_step_s = {side: recipe.batch_size / statistics.median(rates)
                     for side, rates in training.items()}
    return {"backend": keras.backend.backend(), "steps": steps, "pairs": pairs,
            "first_call": first, "steady_step_s": steady_step_s,
            "training": _summary(training), "inference": _summary(inference)}


def run_backend_benchmark(keys, backend, steps_for, pairs, seed, progress):
    """measure() of each model on `backend`, each in its own process; the results document."""
    from tf1_to_keras.harness import backend_process

    models = {}
    for key in keys:
        steps = steps_for(key)
        progress(f"[{key}] both sides in one process, Keras on {backend}: first calls, then "
                 f"{pairs} pairs of {steps}-step spans and {pairs} of inference")
        result = backend_process.run_on_backend(
            backend, CHILD, {"key": key, "steps": steps, "pairs": pairs, "seed": seed}, timeout_s=3000)
        models[key] = {**result.values, "versions": result.versions}
    return {"keras_backend": backend, "pairs": pairs, "seed": seed, "models": models}


def markdown(document, command):
    """The per-backend table: paired ratios, steady samples/s, first calls against a steady step."""
    backend = document["keras_backend"]
    lines = [f"# TF1 vs Keras on {backend}: paired benchmark\n", f"Produced by `{command}`.\n",
             "| model | training samples/s TF1 / Keras | training Keras/TF1 | inference samples/s "
             "TF1 / Keras | inference Keras/TF1 | first train step TF1 / Keras (s) | steady step "
             "TF1 / Keras (ms) | first predict batch TF1 / Keras (s) |",
             "|---|---|---|---|---|---|---|---|"]
    for key, entry in document["models"].items():
        training, inference, first = entry["training"], entry["inference"], entry["first_call"]
        lines.append(
            f"| {key} | {training['median']['tf1']:,.0f} / {training['median']['keras']:,.0f} | "
            f"{training['ratio']:.2f} | {inference['median']['tf1']:,.0f} / "
            f"{inference['median']['keras']:,.0f} | {inference['ratio']:.2f} | "
            f"{first['tf1']['train_step_s']:.2f} / {first['keras']['train_step_s']:.2f} | "
            f"{entry['steady_step_s']['tf1'] * 1e3:.1f} / {entry['steady_step_s']['keras'] * 1e3:.1f} | "
            f"{first['tf1']['predict_batch_s']:.2f} / {first['keras']['predict_batch_s']:.2f} |")
    return "\n".join(lines) + "\n"
