"""Parity layer 3: training steps from identical weights on identical real batches.

Dropout off; each optimizer TF1 programs use. Losses within EARLY_LOSS_ATOL for
the first EARLY_STEPS steps and LATE_LOSS_RTOL relative up to STEP_PARITY_STEPS.
Measured by the public harness's check (harness.check_training_steps, through
proof_checks).
"""

import pytest

from conftest import PARITY_CASES
from mnist_core import batches, recipes, training_data
from mnist_parity import proof_checks, sides
from tf1_to_keras.harness import closeness, tolerances

# Each model with its own optimizer; deep_cnn also with the other one (SGD at its
# 1e-4), so both optimizer mappings are proven on one network. Adam at an SGD
# recipe's rate (0.5, 0.001) would test nothing meaningful.
# layers_cnn's contrib.learn program shares its layer code with the tf.estimator one; its
# own loss form is also checked in test_migration_guide, so its 100 steps run with -m slow.
# deep_cnn with SGD too: the default run proves the SGD mapping on three networks (softmax_regression,
# layers_cnn, lenet5) and deep_cnn's network with Adam, so this pairing runs with -m slow.
SLOW_STEP_VARIANTS = (("layers_cnn_contrib_learn", "sgd"), ("deep_cnn", "sgd"))
STEP_PARITY_CASES = [(key, variant, recipes.get_recipe(key).optimizer) for key, variant in PARITY_CASES]
STEP_PARITY_CASES += [("deep_cnn", "deep_cnn", "sgd")]
STEP_PARITY_PARAMETERS = [
    pytest.param(key, variant, name, id=f"{variant}-{name}",
                 marks=[pytest.mark.slow] if (variant, name) in SLOW_STEP_VARIANTS else [])
    for key, variant, name in STEP_PARITY_CASES]


@pytest.mark.parametrize("key, variant, optimizer_name", STEP_PARITY_PARAMETERS)
def test_losses_agree_step_by_step(key, variant, optimizer_name, record_property):
    result = proof_checks.check_training_steps(key, optimizer_name, variant=variant)
    tf1_losses, keras_losses, weight_differences = (result.tf1_losses, result.keras_losses,
                                                    result.weight_differences)
    assert len(tf1_losses) == len(keras_losses) == tolerances.STEP_PARITY_STEPS
    first10, relative = closeness.assert_loss_curves_close(
        tf1_losses, keras_losses, name=f"{key} {optimizer_name} loss")
    result.raise_if_failed()
    assert (first10, relative) == (result.max_abs_loss_diff_early, result.max_rel_loss_diff)
    assert (result.tolerances.early_steps, result.tolerances.early_loss_atol,
            result.tolerances.late_loss_rtol) == (tolerances.EARLY_STEPS, tolerances.EARLY_LOSS_ATOL,
                                                  tolerances.LATE_LOSS_RTOL)
    record_property("max_abs_loss_diff_first10", first10)
    record_property("max_rel_loss_diff", relative)
    record_property("final_weight_max_abs_diff", weight_differences)
    print(f"{variant}/{optimizer_name}: first-10 max abs {first10:.2e}, max rel {relative:.2e}, "
          f"final weight diffs {weight_differences}")
    # Training happened: a flat loss would make agreement trivial. SGD at 0.001 moves slowly
    # (layers_cnn: about 0.02 in 100 steps), so ask for a drop of 100x the early tolerance.
    drop = (sum(tf1_losses[:10]) - sum(tf1_losses[-10:])) / 10
    assert drop > 100 * tolerances.EARLY_LOSS_ATOL, f"{variant}: loss fell only {drop:.2e}"


@pytest.mark.parametrize("key", ["deep_cnn", "lenet5"])
def test_steps_per_execution_does_not_change_the_maths(key):
    # The Keras side trains 100 steps per execution by default (for speed); the parity
    # checks above use 1 to see every loss. Same steps, same losses, same weights, bitwise,
    # with dropout on (deep_cnn: Adam, dropout; lenet5: SGD, integer labels). 12 steps at 5
    # per execution: two whole executions and a partial last one, as 25 steps at 10 were.
    recipe = recipes.get_recipe(key)
    data = training_data.load_training_data(recipe)
    order = batches.batch_order(len(data.train_images), recipe.batch_size, 12, seed=0)
    runs = {}
    for steps_per_execution in (1, 5):
        with sides.KerasSide(key, seed=0, steps_per_execution=steps_per_execution) as side:
            history = side.train(data.train_images, data.train_labels, order)
            runs[steps_per_execution] = dict(zip(history.steps, history.losses)), side.weights()
    (every_step, weights_1), (logged, weights_5) = runs[1], runs[5]
    assert list(logged) == [5, 10, 12]
    for step, loss in logged.items():
        closeness.assert_close(loss, every_step[step], name="loss", step=step, atol=0.0)
    for name, arrays in weights_1.items():
        for index, array in enumerate(arrays):
            closeness.assert_close(weights_5[name][index], array, name=f"{name}[{index}]", atol=0.0)
