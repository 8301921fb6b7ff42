"""Parity layer 4: accuracy. Each side trains the recipe's short budget from its own
random init on the same batch order; both clear the model's floor, within ACCURACY_GAP.

The default run holds the models whose short budget fits its 5-minute limit on two
cores; the others (minutes each) are `slow` here and run in `mnist-parity compare`.
"""

import pytest

from conftest import PARITY_MODELS
from mnist_core import recipes
from mnist_parity import proof_checks, reproduction
from tf1_to_keras.harness import tolerances

# deep_cnn's 2,000 steps per side took 214 s of one worker, which put the default run at
# 6m09s on 2 cores (`.ci/run`, with issue 6's tests); it runs in `compare` every time.
DEFAULT_RUN_MODELS = ("softmax_regression",)
SHORT_BUDGET_CASES = [key if key in DEFAULT_RUN_MODELS else pytest.param(key, marks=pytest.mark.slow)
                      for key in PARITY_MODELS]


@pytest.mark.parametrize("key", SHORT_BUDGET_CASES)
def test_short_budget_accuracy(key):
    recipe = recipes.get_recipe(key)
    runs = proof_checks.short_budget_runs(key, seed=0)
    for side, run in runs.items():
        assert run.accuracy >= recipe.accuracy_floor, (
            f"{key} {side}: accuracy {run.accuracy:.4f} after {recipe.compare_steps} steps "
            f"is below the floor {recipe.accuracy_floor}")
    gap = abs(runs["tf1"].accuracy - runs["keras"].accuracy)
    assert gap <= tolerances.ACCURACY_GAP, f"{key}: accuracy gap {gap:.4f}"


@pytest.mark.slow
@pytest.mark.parametrize("key", PARITY_MODELS)
def test_full_recipe_accuracy(key):
    # `mnist-parity reproduce`'s targets, per model: each side (own init) at most half a
    # point below the accuracy the original reported, the two within 0.3 points.
    side_results = reproduction.reproduce_model(key, seed=0)
    failures = reproduction.target_failures(key, side_results)
    assert not failures, "; ".join(failures)
