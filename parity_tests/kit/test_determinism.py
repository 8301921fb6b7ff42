"""Determinism: with the same seed, two runs of either side on CPU give the same loss
curve and the same test accuracy, bit for bit, under TensorFlow op determinism.

Op determinism is a process-wide switch that cannot be turned off again, so each run
happens in a fresh child process (this file, run as a script), never in the pytest
worker. The kit never enables it at import: the Keras programs take `--deterministic`.
deep_cnn is the model: dropout 0.5 and Adam, so the dropout masks, the initializers
and the batch order all have to repeat. The Keras side trains one step per execution
here to report every step's loss (the same maths as 100: test_training_steps).
"""

import argparse
import hashlib
import json
import subprocess
import sys

import pytest
import tensorflow as tf

from mnist_core import batches, recipes, training_data
from mnist_parity import sides
from modern_keras import keras_files

KEY = "deep_cnn"
SEED = 1


def _sha256(arrays):
    return hashlib.sha256(b"".join(array.tobytes() for array in arrays)).hexdigest()


def train_and_evaluate(side_class, steps, test_images, **options):
    """One seeded run of a side: every step's loss (hex, exact), accuracy, digests."""
    recipe = recipes.get_recipe(KEY)
    data = training_data.load_training_data(recipe)
    order = batches.batch_order(len(data.train_images), recipe.batch_size, steps, SEED)
    with side_class(KEY, seed=SEED, **options) as side:
        history = side.train(data.train_images, data.train_labels, order)
        logits = side.logits(data.test_images[:test_images])
        weights = [array for arrays in side.weights().values() for array in arrays]
    return {"losses": [loss.hex() for loss in history.losses],
            "accuracy": training_data.accuracy(logits, data.test_labels[:test_images]),
            "logits_sha256": _sha256([logits]), "weights_sha256": _sha256(weights)}


def child_main(argv):
    """Prints {"tf1": [run, ...], "keras": [run, ...]} as JSON: `runs` runs per side."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, required=True)
    parser.add_argument("--test-images", type=int, required=True)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--no-op-determinism", action="store_true", help="to measure without it")
    arguments = parser.parse_args(argv)
    if not arguments.no_op_determinism:
        tf.config.experimental.enable_op_determinism()
    runs = {"tf1": [], "keras": []}
    for _ in range(arguments.runs):  # later runs: fresh graph / cleared Keras session, same process
        runs["tf1"].append(train_and_evaluate(sides.LegacySide, arguments.steps, arguments.test_images))
        runs["keras"].append(train_and_evaluate(sides.KerasSide, arguments.steps, arguments.test_images,
                                                steps_per_execution=1))
    print(json.dumps(runs))


def run_child(*arguments):
    """Runs this file as a fresh process; returns its JSON."""
    result = subprocess.run([sys.executable, __file__, *arguments], capture_output=True, text=True,
                            timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def assert_identical_runs(runs, steps):
    """Every run of a side equal to its first, bit for bit; and training moved the loss."""
    for side, side_runs in runs.items():
        first = side_runs[0]
        assert len(first["losses"]) == steps
        losses = [float.fromhex(loss) for loss in first["losses"]]
        assert sum(losses[-10:]) < sum(losses[:10]), f"{side}: the loss did not fall"
        for index, run in enumerate(side_runs[1:], start=2):
            for step, (expected, found) in enumerate(zip(first["losses"], run["losses"]), start=1):
                assert found == expected, f"{side} run {index}: loss at step {step} {found} != {expected}"
            for name in ("accuracy", "logits_sha256", "weights_sha256"):
                assert run[name] == first[name], f"{side} run {index}: {name} {run[name]} != {first[name]}"


def test_two_processes_with_the_same_seed_train_bitwise_alike():
    # The short form: 20 steps (the initializers, every step's dropout masks and batches
    # already have to repeat; the loss measurably falls: the first ten sum to 72.8 (tf1) and
    # 82.4 (keras), steps 11-20 to 54.3 and 60.6), accuracy on the first 1,000 test images
    # (the weights digest covers the rest); 100 steps: the slow test below.
    arguments = ("--steps", "20", "--test-images", "1000")
    first, second = run_child(*arguments), run_child(*arguments)
    assert_identical_runs({side: [first[side][0], second[side][0]] for side in first}, steps=20)


@pytest.mark.slow
def test_repeated_runs_in_and_across_processes_are_bitwise_alike():
    # 100 steps, the whole test set; two runs per process (fresh graph, cleared Keras
    # session) and two processes: four runs per side.
    arguments = ("--steps", "100", "--test-images", "10000", "--runs", "2")
    first, second = run_child(*arguments), run_child(*arguments)
    assert_identical_runs({side: first[side] + second[side] for side in first}, steps=100)


@pytest.mark.slow
def test_keras_program_with_deterministic_repeats_its_output(tmp_path):
    # The user-facing switch: the same command twice prints the same loss lines and accuracy
    # and saves the same weights.
    outputs, weights = [], []
    for run in range(2):
        path = tmp_path / f"run{run}.keras"
        result = subprocess.run(
            [sys.executable, "-m", f"modern_keras.models.{KEY}", "--steps", "100", "--seed", str(SEED),
             "--deterministic", "--save", str(path)], capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, result.stderr[-3000:]
        outputs.append([line for line in result.stdout.splitlines() if not line.startswith("saved")])
        weights.append(_sha256(keras_files.load_keras_model(path, compile=False).get_weights()))
    assert outputs[0] == outputs[1] and any(line.startswith("test accuracy") for line in outputs[0])
    assert weights[0] == weights[1]


if __name__ == "__main__":
    child_main(sys.argv[1:])
