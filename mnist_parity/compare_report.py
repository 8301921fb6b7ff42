"""compare's table (terminal and report.md) and report.json, through the library's writer
(tf1_to_keras.report_files)."""

from tf1_to_keras import report_files
from tf1_to_keras.harness import tolerances

COLUMNS = report_files.COLUMNS



def table_rows(comparisons):
    """One row of strings per ModelComparison, in COLUMNS order."""
    rows = []
    for result in comparisons:
        tf1, keras_run = result.runs["tf1"], result.runs["keras"]
        rows.append((
            result.key,
            f"{result.parameters['tf1']:,} / {result.parameters['keras']:,}",
            "match" if result.shapes_match else "DIFFER",
            f"{result.forward_max_abs_diff:.2e}",
            f"{result.loss_diff_first10:.2e} / {result.loss_rel_diff:.2%}",
            f"{tf1.accuracy:.2%} / {keras_run.accuracy:.2%} / "
            f"{abs(tf1.accuracy - keras_run.accuracy) * 100:.2f} pt"
            + (" (shared init)" if result.init == "shared" else ""),
            f"{tf1.samples_per_second:,.0f} / {keras_run.samples_per_second:,.0f}",
            "PASS" if result.passed else "FAIL",
        ))
    return rows


def format_table(comparisons):
    """Plain-text table for the terminal."""
    return report_files.text_table(COLUMNS, table_rows(comparisons))


def markdown(comparisons, command):
    """report.md: the table, the tolerances it was held to, and any failures."""
    lines = [f"# TF1 vs Keras 3 parity report\n\nProduced by `{command}`.\n",
             *report_files.markdown_table(COLUMNS, table_rows(comparisons))]
    lines.append(
        f"\nBars: forward atol {tolerances.FORWARD_ATOL:g} + rtol {tolerances.FORWARD_RTOL:g} + "
        f"{tolerances.FORWARD_MAGNITUDE_RTOL:.3g} x the largest |logit| on {tolerances.FORWARD_IMAGES} "
        f"test images; step losses within {tolerances.EARLY_LOSS_ATOL:g} + "
        f"{tolerances.EARLY_LOSS_ULPS} float32 ulps of the TF1 loss for the first {tolerances.EARLY_STEPS} steps and {tolerances.LATE_LOSS_RTOL:.0%} relative "
        f"up to step {tolerances.STEP_PARITY_STEPS}; accuracy gap at most "
        f"{tolerances.ACCURACY_GAP * 100:g} point, each side from its own random init unless "
        f"marked '(shared init)': both from the TF1 init, for models the short budget leaves "
        f"far from convergence.")
    lines += [_backend_line(result) for result in comparisons if result.backend]
    failures = [failure for result in comparisons for failure in result.failures]
    lines += ["\n## Failures\n", *[f"- {failure}" for failure in failures]] if failures else []
    return "\n".join(lines) + "\n"


def _backend_line(result):
    """Where a model's Keras side ran when not in this process's TensorFlow."""
    backend = result.backend
    versions = ", ".join(f"{name} {version}" for name, version in backend["versions"].items() if name != "backend")
    return (f"\n{result.key}: Keras side on {backend['name']} ({versions}) in its own process, "
            f"{backend['keras_seconds']:.0f} s; optimizer {backend['optimizer']}.")


def report_json(comparisons, settings):
    """report.json's object: {"models": {key: entry}, "settings": {...}}."""
    return {"models": {result.key: result.report_entry() for result in comparisons},
            "settings": settings}




def write_reports(comparisons, directory, command, settings):
    """Writes report.md and report.json into `directory`; returns their paths."""
    return report_files.write_json_and_markdown(directory, "report", report_json(comparisons, settings),
                                   markdown(comparisons, command))

