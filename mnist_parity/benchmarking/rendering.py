"""Rendering a benchmark's results document: the table's rows and benchmark.md.

Documents written by earlier versions (one calibration, no rounds, no pairs, Keras'
own optimizers) still render: each missing key has the words it meant then.
"""

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
