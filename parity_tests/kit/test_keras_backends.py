"""The kit's Keras side on JAX (`mnist-parity compare --keras-backend jax`, docs/BACKENDS.md).

The Keras side runs in its own process on JAX (tf1_to_keras.harness.backend_process); the
TF1 side runs once here; the JAX side's records are replayed into the harness's own checks
(mnist_parity/recorded_keras.py). The default run compares the smallest model on short
budgets; all five and the wrong twin (Keras' default Adam epsilon on JAX) are `slow`.
"""

import numpy as np
import pytest

from mnist_core import recipes
from mnist_parity import backend_comparison, backend_side, model_comparison, recorded_keras
from tf1_to_keras import harness
from tf1_to_keras.harness import backend_process, errors, tolerances

needs_jax = pytest.mark.skipif(not backend_process.backend_installed("jax"),
                               reason="JAX is not installed: pip install 'mnist-parity[test]'")


def _proof_failures(comparison):
    """compare's failures other than the accuracy floor, which short budgets do not reach."""
    return [failure for failure in comparison.failures if "below floor" not in failure]


@needs_jax
def test_softmax_regression_compares_on_jax():
    comparison = model_comparison.compare_model("softmax_regression", steps=20, seed=0,
                                                keras_backend="jax")
    assert comparison.backend["name"] == "jax" and comparison.backend["versions"]["backend"] == "jax"
    assert comparison.backend["optimizer"]["learning_rate"] == 0.5  # Keras' SGD: no fused kernel on JAX
    assert _proof_failures(comparison) == []
    assert comparison.shapes_match and comparison.parameters == {"tf1": 7850, "keras": 7850}
    assert comparison.forward_max_abs_diff <= tolerances.FORWARD_ATOL
    assert comparison.loss_diff_first10 <= tolerances.EARLY_LOSS_ATOL
    runs = comparison.runs
    assert abs(runs["tf1"].accuracy - runs["keras"].accuracy) <= tolerances.ACCURACY_GAP
    assert comparison.report_entry()["keras_backend"]["name"] == "jax"


@pytest.fixture(scope="module")
def tf_record():
    """backend_side's record of softmax_regression made in this (TensorFlow) process, and
    what it was made from: a record to replay without starting a backend process."""
    with backend_comparison.tf1_model("softmax_regression", "softmax_regression", 0) as tf1:
        values, layers = tf1.variables(), tf1.variable_layers()
    images = backend_comparison.step_batches("softmax_regression", 0, 1)[0][0][:50]
    batches = backend_comparison.step_batches("softmax_regression", 0, 3)
    record = backend_side.variant_results("softmax_regression", 0, values, layers, images, batches)
    return record, images, batches


def _replay(record, images, batches):
    with backend_comparison.tf1_model("softmax_regression", "softmax_regression", 0) as tf1:
        return backend_comparison.check_recorded_variant(
            "softmax_regression", "softmax_regression", tf1, record, images, batches, "tensorflow")


def test_a_faithful_record_passes_the_harness_checks(tf_record):
    structure, forward, steps = _replay(*tf_record)
    assert structure.differences == [] and forward.failures == [] and steps.failures == []
    assert forward.forward_max_abs_diff <= tolerances.FORWARD_ATOL


def test_a_record_of_a_wrong_side_fails_them(tf_record):
    record, images, batches = tf_record
    wrong = {**record, "logits": record["logits"] + 1e-3,
             "losses": [loss * 1.01 for loss in record["losses"]]}
    _, forward, steps = _replay(wrong, images, batches)
    assert any("forward: outputs" in failure for failure in forward.failures)
    assert steps.failures and "training steps: loss" in steps.failures[0]


def test_a_record_only_replays_what_it_measured(tf_record):
    record, images, batches = tf_record
    model = recorded_keras.RecordedKerasModel(record, batches, "jax", images)
    with pytest.raises(errors.ModelError, match="before TF1's weights were assigned"):
        model.predict(images)
    other = {path: value + 1.0 for path, value in record["assigned"].items()}
    with pytest.raises(errors.ModelError, match="other than the TF1 weights"):
        model.assign(other)
    model.assign(record["assigned"])
    with pytest.raises(errors.ModelError, match="images other than"):
        model.predict(images[:10])
    with pytest.raises(errors.ModelError, match="batches other than"):
        model.train_steps(batches[:1])


def test_records_cross_the_process_boundary_unchanged():
    tree = {"a": np.arange(3.0), "b": {"c/kernel": np.ones((2, 2)), "d": [1, np.float32(2.5)]},
            "e": [np.zeros(2), "text"]}
    wire, arrays = backend_side.to_wire(tree, "out")
    assert all(isinstance(value, np.ndarray) for value in arrays.values()) and len(arrays) == 3
    back = backend_side.from_wire(wire, arrays)
    assert np.array_equal(back["b"]["c/kernel"], np.ones((2, 2))) and back["b"]["d"] == [1, 2.5]
    assert np.array_equal(back["e"][0], np.zeros(2)) and back["e"][1] == "text"


@needs_jax
@pytest.mark.slow
@pytest.mark.parametrize("key", recipes.MODEL_KEYS)
def test_every_model_compares_on_jax(key):
    comparison = model_comparison.compare_model(key, steps=100, seed=0, keras_backend="jax")
    # 100 steps leave own-init models apart by chance: the accuracy gap is judged on the
    # recipes' budgets (docs/BACKENDS.md); structure, forward and steps here.
    assert [failure for failure in _proof_failures(comparison) if "accuracy gap" not in failure] == []
    assert comparison.shapes_match and comparison.backend["versions"]["backend"] == "jax"


@needs_jax
@pytest.mark.slow
def test_keras_default_adam_epsilon_on_jax_is_caught():
    """core_convnet's twin given Keras' Adam epsilon (1e-7) instead of TF1's (1e-8), on JAX
    only: its step losses part from TF1's beyond the bar."""
    key = "core_convnet"
    batches = backend_comparison.step_batches(key, 0, tolerances.EARLY_STEPS)
    images = batches[0][0][:100]
    with backend_comparison.tf1_model(key, key, 0) as tf1:
        for epsilon, caught in ((None, False), (1e-7, True)):
            records = backend_comparison.run_keras_side("jax", key, 0, {key: tf1}, images, batches,
                                                        adam_epsilon=epsilon)
            record = records["variants"][key]
            assert record["optimizer"]["epsilon"] == (epsilon or 1e-8)
            _, _, steps = backend_comparison.check_recorded_variant(key, key, tf1, record, images,
                                                                    batches, "jax")
            assert bool(steps.failures) == caught, steps.failures


def test_compare_and_benchmark_take_a_keras_backend():
    from mnist_parity import cli

    parser = cli.build_parser()
    for command in ("compare", "benchmark"):
        assert parser.parse_args([command]).keras_backend == "tensorflow"
        assert parser.parse_args([command, "--keras-backend", "jax"]).keras_backend == "jax"
        with pytest.raises(SystemExit):  # argparse: exit status 2, the choices named
            parser.parse_args([command, "--keras-backend", "theano"])


def test_backend_benchmark_table_reads_its_document():
    from mnist_parity.benchmarking import backend_pairs

    rates = {"samples_per_second": {"tf1": [100.0], "keras": [50.0]}, "ratios": [0.5], "ratio": 0.5,
             "median": {"tf1": 100.0, "keras": 50.0}}
    first = {side: {"train_step_s": 2.0, "predict_batch_s": 0.5} for side in ("tf1", "keras")}
    document = {"keras_backend": "jax", "models": {"lenet5": {
        "training": rates, "inference": rates, "first_call": first,
        "steady_step_s": {"tf1": 0.001, "keras": 0.002}}}}
    text = backend_pairs.markdown(document, "mnist-parity benchmark --keras-backend jax")
    assert "| lenet5 | 100 / 50 | 0.50 | 100 / 50 | 0.50 | 2.00 / 2.00 | 1.0 / 2.0 | 0.50 / 0.50 |" in text


@needs_jax
@pytest.mark.slow
def test_backend_benchmark_pairs_both_sides_on_jax():
    from mnist_parity.benchmarking import backend_pairs

    document = backend_pairs.run_backend_benchmark(["softmax_regression"], "jax", lambda key: 100,
                                                   pairs=2, seed=0, progress=lambda line: None)
    entry = document["models"]["softmax_regression"]
    assert entry["backend"] == "jax" and entry["versions"]["backend"] == "jax"
    assert len(entry["training"]["ratios"]) == 2 and all(ratio > 0 for ratio in entry["training"]["ratios"])
    # The first calls (XLA compiles the Keras side's) are reported apart from the steady steps.
    assert set(entry["first_call"]) == set(entry["steady_step_s"]) == {"tf1", "keras"}
