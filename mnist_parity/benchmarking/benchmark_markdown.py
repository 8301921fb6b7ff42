"""Rendering a benchmark's results document: the tables' rows and benchmark.md.

Documents written by earlier versions (one calibration, no rounds, no pairs, Keras'
own optimizers, no paired inference) still render: each missing key has the words it
meant then. An inference-only run (`--inference-only`) has the inference table alone.
"""

import statistics

from tf1_to_keras import report_files

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


INFERENCE_COLUMNS = ("model", "10,000 images samples/s TF1 / Keras", "Keras/TF1 paired",
                     "1 image: calls/s TF1 / Keras / artifact", "p50 ms TF1 / Keras / artifact",
                     "p99 ms TF1 / Keras / artifact", "Keras/TF1 paired", "artifact/TF1 p50 paired")
SERVING_PATHS = ("tf1", "keras", "artifact")


def inference_rows(document):
    """One row of strings per model with paired inference, in INFERENCE_COLUMNS order:
    medians over the pairs, and the paired ratios' medians with their ranges."""
    rows = []
    for key, entry in document["models"].items():
        paired = entry.get("inference_paired")
        if paired is None:
            continue
        full, serving = paired["full"], paired["serving"]
        rows.append((
            key, _medians(full["samples_per_second"], ("tf1", "keras"), "{:,.0f}"),
            _ratio_words(full["ratio"], full["ratios"]),
            _medians(serving["samples_per_second"], SERVING_PATHS, "{:,.0f}"),
            _medians(serving["latency_p50_ms"], SERVING_PATHS, "{:.3f}"),
            _medians(serving["latency_p99_ms"], SERVING_PATHS, "{:.3f}"),
            _ratio_words(serving["ratio"], serving["ratios"]),
            _ratio_words(serving["artifact_latency_ratio"], serving["artifact_to_tf1_latency"])))
    return rows


def _medians(values_by_path, paths, number_format):
    return " / ".join(number_format.format(statistics.median(values_by_path[path])) for path in paths)


def _ratio_words(median, ratios):
    return f"{median:.2f}x ({min(ratios):.2f}-{max(ratios):.2f})"


def _inference_lines(document):
    rows = inference_rows(document)
    if not rows:
        return []
    return [f"\n## Inference, paired\n\nBoth sides and the Keras side's exported SavedModel in one "
            f"process per model, {document['inference_pairs']} pairs of spans back to back in "
            "alternating order. 10,000 images: one call of each side's `predict_logits` (1,000-image "
            f"batches). 1 image: {document['serving_calls']} calls per span, the bare serving calls "
            "(TF1 `session.run`, the Keras model's compiled call, the artifact's `serve` endpoint "
            "wrapped once as a Python server calls it, `exporting.serving_function`). "
            "Figures are medians over the pairs; ratios are the pairs' medians with their range "
            "(artifact/TF1 p50: at most 1.00 means the artifact answers as fast as TF1's session).\n",
            *report_files.markdown_table(INFERENCE_COLUMNS, rows)]


def _training_lines(document):
    if not any("sides" in entry for entry in document["models"].values()):
        return []  # an inference-only run
    return report_files.markdown_table(TABLE_COLUMNS, table_rows(document))


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
             *_training_lines(document), *_inference_lines(document)]
    lines.append("\nGoals: " + "; ".join(
        f"{key} {goal}: {'met' if met else 'MISSED'}"
        for key, entry in document["models"].items() for goal, met in entry["goals"].items()))
    return "\n".join(lines) + "\n"


def _calibration_words(gemm):
    both = gemm.get("gflops_start_and_end")  # results written before: one calibration
    return f", the faster of {both[0]:.1f} at the start and {both[1]:.1f} at the end" if both else ""


def _spans_words(document):
    if document.get("inference_only"):
        return "the inference pairs below, no training"
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
