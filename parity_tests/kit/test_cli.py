"""The commands people run: `mnist-parity compare` and the deep_cnn programs on both sides;
what the subcommands share (--models/--seed, one default)."""

import json

import keras
import pytest

from command_runs import run_command
from mnist_core import recipes, training_data
from mnist_parity import cli, model_comparison, registry
from tf1_to_keras.harness import closeness
from mnist_parity.commands.arguments import model_keys
from modern_keras import program, training
from modern_keras.models import deep_cnn

REPORT_KEYS = {"params", "shapes_match", "forward_max_abs_diff", "train_steps", "accuracy",
               "samples_per_sec", "passed"}


def test_compare_writes_reports_and_fails_on_a_missed_check(tmp_path):
    # 3 steps cannot reach the accuracy floor, so the run must exit non-zero and say why.
    # (softmax_regression keeps this fast; every check still runs.)
    result = run_command("-m", "mnist_parity.cli", "compare", "--models", "softmax_regression",
                         "--steps", "3", "--init", "shared", "--out", str(tmp_path))
    assert result.returncode == 1, result.stderr[-3000:]
    assert "softmax_regression" in result.stdout and "FAIL" in result.stdout
    entry = json.loads((tmp_path / "report.json").read_text())["models"]["softmax_regression"]
    assert REPORT_KEYS <= set(entry)
    assert entry["params"] == {"tf1": 7_850, "keras": 7_850}
    assert entry["shapes_match"] is True and entry["passed"] is False
    assert entry["accuracy_init"] == "shared" and "(shared init)" in result.stdout
    assert entry["forward_max_abs_diff"] <= 1e-5
    assert entry["train_steps"]["max_abs_loss_diff_first10"] <= 1e-5
    assert entry["failures"] and all("below floor" in failure for failure in entry["failures"])
    assert "| softmax_regression |" in (tmp_path / "report.md").read_text()


def test_compare_rejects_unknown_model_and_leaves_no_output(tmp_path):
    # `python -m mnist_parity` is `mnist-parity` (the other tests run mnist_parity.cli).
    result = run_command("-m", "mnist_parity", "compare", "--models", "resnet50",
                         "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "unknown model key 'resnet50'" in result.stderr and "deep_cnn" in result.stderr
    assert not (tmp_path / "out").exists()


def test_subcommands_take_models_and_seed_alike_with_one_default():
    parser = cli.build_parser()
    for command in ("compare", "reproduce", "benchmark"):
        arguments = parser.parse_args([command])
        # Every model whose two programs are present: all five in the kit.
        assert model_keys(arguments) == registry.available_models() == list(recipes.MODEL_KEYS)
        assert arguments.seed == 0
        chosen = parser.parse_args([command, "--models", "lenet5,deep_cnn", "softmax_regression",
                                    "--seed", "4"])
        assert (model_keys(chosen), chosen.seed) == (["lenet5", "deep_cnn", "softmax_regression"], 4)
        with pytest.raises(ValueError, match="unknown model key 'resnet50'"):
            model_keys(parser.parse_args([command, "--models", "resnet50"]))


def test_compare_trains_the_short_budget_unless_told_steps_or_full():
    recipe = recipes.get_recipe("lenet5")
    assert model_comparison.training_budget("lenet5") == recipe.compare_steps
    assert model_comparison.training_budget("lenet5", steps=7) == 7
    assert model_comparison.training_budget("lenet5", full=True) == recipe.steps != recipe.compare_steps


def test_compare_reports_an_unwritable_output_directory(tmp_path):
    # A path under a regular file cannot be created, even by root (CI runs as root).
    blocker = tmp_path / "blocker"
    blocker.write_text("keep me")
    result = run_command("-m", "mnist_parity.cli", "compare", "--models", "deep_cnn",
                         "--out", str(blocker / "reports"))
    assert result.returncode == 2
    assert f"--out {blocker / 'reports'}: cannot create it" in result.stderr
    assert "blocker is not a directory" in result.stderr
    assert blocker.read_text() == "keep me"


def test_legacy_deep_cnn_runs_as_a_program():
    result = run_command("-m", "legacy_tf1.models.deep_cnn", "--steps", "101", "--seed", "1",
                         "--data_dir", "/nonexistent")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "step 100, training accuracy" in result.stdout
    accuracy = float(result.stdout.split("test accuracy")[-1])
    assert 0.5 < accuracy <= 1.0


def test_keras_deep_cnn_trains_saves_and_reloads(tmp_path):
    path = tmp_path / "deep_cnn.keras"
    model, accuracy = program.run(recipes.DEEP_CNN, deep_cnn.build_model, steps=20, seed=1,
                                  save_path=str(path))
    reloaded = keras.models.load_model(path, safe_mode=True)
    images = training_data.load_training_data(recipes.DEEP_CNN).test_images[:1000]
    closeness.assert_close(training.predict_logits(reloaded, images),
                            training.predict_logits(model, images),
                            name="deep_cnn logits after .keras round trip", atol=0.0)
    assert 0.1 < accuracy <= 1.0
    assert isinstance(reloaded.optimizer, keras.optimizers.Adam)
    assert reloaded.optimizer.epsilon == recipes.DEEP_CNN.adam_epsilon
