"""TF 1.x programs using the canned Estimators and contrib KMeans, run unmodified
through `python -m legacy_tf1 run` (programs/canned_*.py, programs/kmeans_*.py).

Floors are the figures measured with these step counts and the programs' fixed
seeds, less a margin (k-means' mini-batch step is not deterministic, in TF1 either).
"""

import pytest
from program_runs import describe, printed_value, run_tf1_program

CHECKPOINT_FILES = ("checkpoint", "graph.pbtxt", "model.ckpt-0.index")


def run_program(name, *arguments):
    result = run_tf1_program(name, *arguments)
    assert result.returncode == 0, describe(result)
    return result


def printed_figures(stdout, prefixes):
    return {prefix: printed_value(stdout, prefix) for prefix in prefixes}


def test_dnn_mnist_program_trains_then_a_second_run_restores(tmp_path):
    model_dir = tmp_path / "model"
    trained = run_program("canned_dnn_mnist.py", "--train_steps", "200",
                          "--model_dir", str(model_dir))
    figures = ("Global step:", "Test accuracy:", "Average loss:", "Predicted classes:")
    first = printed_figures(trained.stdout, figures)
    assert first["Global step:"] == "200"
    assert float(first["Test accuracy:"]) >= 0.9, describe(trained)  # measured 0.9374
    for name in CHECKPOINT_FILES + ("model.ckpt-200.index",):
        assert (model_dir / name).exists(), name
    assert "loss = " in trained.stderr and "step = 101" in trained.stderr  # TF1's log lines

    evaluated = run_program("canned_dnn_mnist.py", "--train_steps", "0", "--model_dir", str(model_dir))
    assert printed_figures(evaluated.stdout, figures) == first
    assert "Restoring parameters from" in evaluated.stderr and "Saving checkpoints" not in evaluated.stderr


def wide_deep_results(stdout):
    return {key: float(printed_value(stdout, f"{key}:"))
            for key in ("accuracy", "average_loss", "loss", "global_step")}


def test_wide_and_deep_program_trains_and_evaluates(tmp_path):
    # The LinearClassifier ('wide') and DNNClassifier ('deep') variants run in the slow tests.
    result = run_program("canned_wide_deep.py", "--model_type", "wide_n_deep",
                         "--train_steps", "200", "--model_dir", str(tmp_path))
    results = wide_deep_results(result.stdout)
    assert results["global_step"] == 200
    assert results["accuracy"] >= 0.85, describe(result)  # measured 0.9267
    # v1 SUM reduction: each evaluation batch (50 flowers) sums its losses.
    assert results["loss"] == pytest.approx(50 * results["average_loss"], rel=1e-4)
    assert (tmp_path / "model.ckpt-200.index").exists()


def test_kmeans_program_clusters_digits():
    result = run_program("kmeans_mnist.py", "--steps", "5")
    assert printed_value(result.stdout, "Step 1, Avg Distance:")
    assert float(printed_value(result.stdout, "Test Accuracy:")) >= 0.62, describe(result)  # measured 0.68


# Measured with the programs' defaults: wide 0.987, deep 0.973, wide_n_deep 0.980 (1000 steps);
# DNN on MNIST 0.9717 (2000 steps); k-means 0.711 and 0.713 in two runs (50 steps).
@pytest.mark.slow
@pytest.mark.parametrize("model_type, floor", [("wide", 0.93), ("deep", 0.93), ("wide_n_deep", 0.93)])
def test_wide_deep_program_full_run(model_type, floor, tmp_path):
    result = run_program("canned_wide_deep.py", "--model_type", model_type,
                         "--model_dir", str(tmp_path))
    results = wide_deep_results(result.stdout)
    assert results["global_step"] == 1000 and results["accuracy"] >= floor, describe(result)


@pytest.mark.slow
def test_dnn_mnist_program_full_run(tmp_path):
    result = run_program("canned_dnn_mnist.py", "--model_dir", str(tmp_path))
    assert float(printed_value(result.stdout, "Test accuracy:")) >= 0.96, describe(result)


@pytest.mark.slow
def test_kmeans_program_full_run():
    result = run_program("kmeans_mnist.py")
    assert float(printed_value(result.stdout, "Test Accuracy:")) >= 0.68, describe(result)
