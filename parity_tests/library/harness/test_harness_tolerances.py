"""The tolerance policy (defaults from tf1_to_keras/harness/tolerances.py, overrides with reasons)
and the comparison messages every check reports through (tf1_to_keras/harness/closeness.py)."""

import json

import numpy as np
import pytest

from tf1_to_keras.harness import closeness, tolerances
from tf1_to_keras.harness import Tolerances, results


def test_defaults_are_the_kits_bars():
    bars = Tolerances.default()
    assert (bars.forward_atol, bars.forward_rtol) == (tolerances.FORWARD_ATOL, tolerances.FORWARD_RTOL)
    assert (bars.early_steps, bars.early_loss_atol, bars.late_loss_rtol) == (
        tolerances.EARLY_STEPS, tolerances.EARLY_LOSS_ATOL, tolerances.LATE_LOSS_RTOL)
    assert bars.metric_gap == tolerances.ACCURACY_GAP and bars.final_weight_atol is None
    assert bars.overrides == {}


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_an_override_without_a_reason_is_a_value_error(reason):
    with pytest.raises(ValueError, match="non-empty string"):
        Tolerances.default().override(reason, forward_atol=1e-4)


def test_a_changed_bar_without_a_reason_is_rejected_even_when_built_directly():
    with pytest.raises(ValueError, match="forward_atol=0.001 differs from the default 1e-05 without a reason"):
        Tolerances(forward_atol=1e-3)


@pytest.mark.parametrize("values, expected", [
    ({"forward_atl": 1e-4}, "unknown tolerance"), ({"forward_atol": -1.0}, "expected a finite number >= 0"),
    ({"early_steps": 2.5}, "expected an integer"), ({"metric_gap": float("nan")}, "finite"), ({}, "names no"),
])
def test_an_override_of_an_unknown_or_impossible_bar_is_a_value_error(values, expected):
    with pytest.raises(ValueError, match=expected):
        Tolerances.default().override("because", **values)


def test_the_reason_travels_into_the_result_json():
    bars = Tolerances.default().override("GRU over 200 steps drifts 2e-5", forward_atol=5e-5)
    bars = bars.override("a bigger budget", metric_gap=0.02).override("GRU again", forward_atol=6e-5)
    assert bars.forward_atol == 6e-5 and bars.forward_rtol == tolerances.FORWARD_RTOL
    result = results.MetricResult([], bars, "accuracy", 0.9, 0.91, 10)
    document = json.loads(json.dumps(result.to_json()))
    assert document["tolerances"]["overrides"] == {
        "metric_gap": {"value": 0.02, "reason": "a bigger budget"},
        "forward_atol": {"value": 6e-5, "reason": "GRU again"}}
    assert document["passed"] and document["accuracy"]["gap"] == pytest.approx(0.01)


def test_a_failed_comparison_says_where_and_what_bar_would_pass():
    expected = np.zeros((3, 4))
    actual = expected.copy()
    actual[2, 1] = 3.04e-4
    comparison = closeness.compare(actual, expected, name="layer 'bn' output", atol=1e-5, rtol=0.0)
    assert not comparison.passed and comparison.index == (2, 1)
    assert comparison.required == ("atol", pytest.approx(3.1e-4))
    assert comparison.message == ("layer 'bn' output: max abs diff 3.040e-04; worst at index (2, 1): "
                                  "0.000304 vs 0 exceeds atol=1e-05 + rtol=0*|expected|; would pass "
                                  "with atol=0.00031")
    assert closeness.compare(actual, expected, name="x", atol=3.1e-4).passed  # the named bar passes


def test_a_relative_bar_names_the_relative_tolerance_that_would_pass():
    comparison = closeness.compare(2.5, 2.0, name="loss", atol=0.0, rtol=0.05, step=14)
    assert comparison.message.startswith("loss at step 14: max abs diff 5.000e-01")
    assert comparison.message.endswith("would pass with rtol=0.25")
    assert closeness.compare(2.5, 2.0, name="loss", atol=0.0, rtol=0.25).passed


def test_non_finite_values_name_the_first_index():
    comparison = closeness.compare([1.0, np.nan, 2.0], [1.0, 1.0, np.inf], name="outputs", atol=1.0)
    assert not comparison.passed and comparison.index == (1,)
    assert "non-finite values (NaN or inf); first at index (1,)" in comparison.message


def test_assert_close_keeps_its_message_and_raises_parity_error():
    with pytest.raises(closeness.ParityError, match=r"logits: max abs diff 1\.000e-03; worst at index \(0,\)"):
        closeness.assert_close([1.001], [1.0], name="logits", atol=1e-5)
    assert closeness.assert_close([1.0], [1.0], name="logits", atol=0.0) == 0.0


def test_loss_curve_comparisons_use_the_early_and_late_bars():
    tf1_losses = [1.0] * 12
    keras_losses = [1.0] * 3 + [1.00002] + [1.0] * 7 + [1.04]
    steps = closeness.loss_curve_comparisons(tf1_losses, keras_losses, early_steps=10, early_atol=1e-5,
                                             late_rtol=0.05)
    assert [step.step for step in steps if not step.passed] == [4]
    strict = closeness.loss_curve_comparisons(tf1_losses, keras_losses, early_steps=10, early_atol=1e-5,
                                              late_rtol=0.01)
    assert [step.step for step in strict if not step.passed] == [4, 12]
