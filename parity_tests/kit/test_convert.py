"""Checkpoint conversion (`mnist-parity convert`): TF1 checkpoints to the Keras twin and back.

Each conversion verifies itself on 1,000 test images; these tests check the written
files independently: weights compared bit for bit with the TF1 session's, logits of
the loaded file against the TF1 graph, and accuracy on all 10,000 test images.
"""

import os
import re
import subprocess
import sys

import keras
import numpy as np
import pytest

import legacy_tf1.compat as tf
from legacy_tf1 import session_loop
from legacy_tf1.models import lenet5 as legacy_lenet5
from mnist_core import recipes, training_data
from mnist_parity import cli, conversion, registry, sides, transfer
from tf1_to_keras.harness import closeness, tolerances
from mnist_parity.conversion import checkpoint_io, keras_io
from modern_keras import training

TRAINING_STEPS = 3  # enough to move every weight off its initial value
# The convolutional nets take seconds per 10,000-image pass on each side (one core).
SLOW_FULL_TEST_SET = ("deep_cnn", "layers_cnn", "core_convnet")
FULL_TEST_SET_CASES = [pytest.param(key, marks=pytest.mark.slow) if key in SLOW_FULL_TEST_SET else key
                       for key in recipes.MODEL_KEYS]


def run_command(*arguments, timeout=600):
    return subprocess.run([sys.executable, *arguments], capture_output=True, text=True, timeout=timeout)


def first_test_images(key, count=tolerances.FORWARD_IMAGES):
    return training_data.load_training_data(recipes.get_recipe(key)).test_images[:count]


def save_trained_checkpoint(key, prefix, steps=TRAINING_STEPS):
    """A few steps of the recipe's optimizer on the legacy graph, then a plain `Saver()` of
    every variable, as a TF1 program writes it (optimizer slots and global_step included).
    Returns (checkpoint path, {layer: [arrays]}, logits on the 1,000 test images)."""
    recipe = recipes.get_recipe(key)
    data = training_data.load_training_data(recipe)
    with sides.LegacySide(key, seed=0) as legacy:
        initial = legacy.weights()
        order = np.arange(steps * recipe.batch_size).reshape(steps, recipe.batch_size)
        legacy.train(data.train_images, data.train_labels, order)
        weights = legacy.weights()
        assert all(not np.array_equal(weights[layer][0], initial[layer][0]) for layer in weights)
        with legacy.graph.as_default():
            global_step = tf.train.get_or_create_global_step()
            legacy.session.run(global_step.initializer)
            checkpoint = tf.train.Saver().save(legacy.session, str(prefix))
        return checkpoint, weights, legacy.logits(data.test_images[:tolerances.FORWARD_IMAGES])


def save_initial_checkpoint(key, prefix):
    """The legacy graph's initial weights, saved by a Saver (no training: for error cases)."""
    with tf.Graph().as_default():
        recipe = recipes.get_recipe(key)
        registry.legacy_module(key).build_graph(recipe, seed=0)
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            return tf.train.Saver().save(session, str(prefix))


@pytest.fixture(scope="module")
def trained_checkpoint(tmp_path_factory):
    """trained_checkpoint(key) -> save_trained_checkpoint's result, trained once per module."""
    cache = {}

    def trained(key):
        if key not in cache:
            cache[key] = save_trained_checkpoint(key, tmp_path_factory.mktemp(key) / "model.ckpt")
        return cache[key]
    return trained


def load_keras_file(key, path):
    """The model in a written file, loaded the way a user would (safe mode for .keras)."""
    if str(path).endswith(".keras"):
        return keras.saving.load_model(path, safe_mode=True)
    model = keras_io.build_twin(key)
    model.load_weights(path)
    return model


def leftovers(directory):
    return [name for name in os.listdir(directory) if name.startswith(".tmp-")]


# --- TF1 -> Keras ---------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".keras", ".weights.h5"])
@pytest.mark.parametrize("key", recipes.MODEL_KEYS)
def test_saver_checkpoint_converts_to_keras(key, suffix, trained_checkpoint, tmp_path):
    checkpoint, tf1_weights, tf1_logits = trained_checkpoint(key)
    destination = tmp_path / f"{key}{suffix}"
    result = conversion.convert(key, checkpoint, destination)
    assert result.max_difference <= tolerances.FORWARD_ATOL and result.images == 1000
    model = load_keras_file(key, destination)
    keras_weights = transfer.keras_weights(model)
    for layer, arrays in tf1_weights.items():  # bit for bit, each layer, kernel and bias
        assert all(np.array_equal(a, b) for a, b in zip(keras_weights[layer], arrays, strict=True)), layer
    if suffix == ".keras":  # the architecture comes from the file too: run it
        closeness.assert_close(training.predict_logits(model, first_test_images(key)), tf1_logits,
                                name=f"{key} logits", atol=tolerances.FORWARD_ATOL)
    assert len(result.mapped) == sum(len(arrays) for arrays in tf1_weights.values())
    assert "global_step" in result.skipped
    if recipes.get_recipe(key).optimizer == "adam":
        assert {"beta1_power", "beta2_power"} <= set(result.skipped)
        assert sum(name.endswith(("/Adam", "/Adam_1")) for name in result.skipped) == 2 * len(result.mapped)
    assert leftovers(tmp_path) == []


def test_estimator_model_dir_converts_to_keras(tmp_path):
    data = training_data.load_training_data(recipes.LENET5)
    model_dir = tmp_path / "lenet5_model"
    estimator = tf.estimator.Estimator(model_fn=legacy_lenet5.lenet5_model_fn, model_dir=str(model_dir),
                                       config=tf.estimator.RunConfig(tf_random_seed=0))
    input_fn = tf.estimator.inputs.numpy_input_fn(
        x={"x": data.train_images[:1000]}, y=data.train_labels[:1000], batch_size=100,
        num_epochs=None, shuffle=True)
    estimator.train(input_fn=input_fn, steps=TRAINING_STEPS)
    result = conversion.convert("lenet5", model_dir, tmp_path / "lenet5.keras")
    assert result.source == str(model_dir / f"model.ckpt-{TRAINING_STEPS}")  # the latest
    assert result.skipped == ["global_step"] and result.max_difference <= tolerances.FORWARD_ATOL
    model = load_keras_file("lenet5", tmp_path / "lenet5.keras")
    for tf1_name, keras_name, _ in result.mapped:
        layer, weight = keras_name.split("/")
        index = [w.name for w in model.get_layer(layer).weights].index(weight)
        assert np.array_equal(model.get_layer(layer).get_weights()[index],
                              estimator.get_variable_value(tf1_name)), tf1_name


# --- Keras -> TF1 ---------------------------------------------------------------------------

def keras_source(key, weights, path):
    """A Keras-native file of the twin holding `weights`, written by Keras itself."""
    model = keras_io.build_twin(key)
    transfer.set_keras_weights(model, weights)
    if str(path).endswith(".keras"):
        model.save(path)
    else:
        model.save_weights(path)
    return model


def restored_logits(key, checkpoint, images):
    """Logits of the legacy graph restored from `checkpoint` by a plain Saver()."""
    with tf.Graph().as_default():
        endpoints = registry.legacy_module(key).build_graph(recipes.get_recipe(key))
        with tf.Session() as session:
            tf.train.Saver().restore(session, checkpoint)  # every variable of the graph
            return session_loop.predict_logits(session, endpoints, images)


@pytest.mark.parametrize("key", recipes.MODEL_KEYS)
def test_weights_file_converts_to_a_checkpoint_the_legacy_graph_restores(key, trained_checkpoint, tmp_path):
    model = keras_source(key, trained_checkpoint(key)[1], tmp_path / f"{key}.weights.h5")
    result = conversion.convert(key, tmp_path / f"{key}.weights.h5", tmp_path / "model.ckpt")
    assert result.max_difference <= tolerances.FORWARD_ATOL and result.skipped == []
    with tf.Graph().as_default():
        endpoints = registry.legacy_module(key).build_graph(recipes.get_recipe(key))
        with tf.Session() as session:
            tf.train.Saver().restore(session, str(tmp_path / "model.ckpt"))  # every graph variable
            restored = transfer.legacy_weights(session, endpoints)
    keras_weights = transfer.keras_weights(model)
    for layer, arrays in keras_weights.items():
        assert all(np.array_equal(a, b) for a, b in zip(restored[layer], arrays, strict=True)), layer
    assert tf.train.latest_checkpoint(str(tmp_path)) == str(tmp_path / "model.ckpt")
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("key", FULL_TEST_SET_CASES)
def test_keras_file_converts_to_a_checkpoint_with_equal_accuracy(key, trained_checkpoint, tmp_path):
    model = keras_source(key, trained_checkpoint(key)[1], tmp_path / f"{key}.keras")
    result = conversion.convert(key, tmp_path / f"{key}.keras", tmp_path / "model.ckpt")
    assert result.max_difference <= tolerances.FORWARD_ATOL
    data = training_data.load_training_data(recipes.get_recipe(key))
    tf1_logits = restored_logits(key, str(tmp_path / "model.ckpt"), data.test_images)
    keras_logits = training.predict_logits(model, data.test_images)
    assert training_data.accuracy(tf1_logits, data.test_labels) == training_data.accuracy(keras_logits, data.test_labels)
    closeness.assert_close(tf1_logits, keras_logits, name=f"{key} logits, 10,000 images",
                            atol=tolerances.FORWARD_ATOL)


def test_keras_file_converts_into_an_estimator_model_dir_that_evaluates_equally(trained_checkpoint, tmp_path):
    # An existing directory as DST: model.ckpt-0 with global_step 0, named by the state file,
    # which is what the lenet5 program's Estimator restores to evaluate.
    model = keras_source("lenet5", trained_checkpoint("lenet5")[1], tmp_path / "lenet5.keras")
    model_dir = tmp_path / "lenet5_model"
    model_dir.mkdir()
    result = conversion.convert("lenet5", tmp_path / "lenet5.keras", model_dir)
    assert result.destination == str(model_dir / "model.ckpt-0")
    data = training_data.load_training_data(recipes.LENET5)
    estimator = tf.estimator.Estimator(model_fn=legacy_lenet5.lenet5_model_fn, model_dir=str(model_dir))
    input_fn = tf.estimator.inputs.numpy_input_fn(
        x={"x": data.test_images}, y=data.test_labels, num_epochs=1, shuffle=False)
    evaluation = estimator.evaluate(input_fn=input_fn)
    keras_accuracy = training_data.accuracy(training.predict_logits(model, data.test_images), data.test_labels)
    assert evaluation["global_step"] == 0
    assert round(float(evaluation["accuracy"]) * 10_000) == round(keras_accuracy * 10_000)


# --- Errors: clear messages, nothing written, nothing left behind ----------------------------

@pytest.mark.parametrize("source_key, expected_lines", [
    ("deep_cnn", ["missing conv2d/kernel: expected shape (5, 5, 1, 6), found nothing",
                  "extra conv1/Variable: shape (5, 5, 1, 32) is not a variable of the graph"]),
    ("layers_cnn", ["shape mismatch conv2d/kernel: expected (5, 5, 1, 6), found (5, 5, 1, 32)",
                    "shape mismatch dense/kernel: expected (400, 120), found (3136, 1024)",
                    "missing dense_2/bias: expected shape (10,), found nothing"]),
])
def test_another_models_checkpoint_fails_listing_each_variable(source_key, expected_lines, tmp_path):
    checkpoint = save_initial_checkpoint(source_key, tmp_path / "model.ckpt")
    destination = tmp_path / "lenet5.keras"
    destination.write_bytes(b"an earlier conversion")
    with pytest.raises(transfer.WeightTransferError) as error:
        conversion.convert("lenet5", checkpoint, destination)
    message = str(error.value)
    assert f"checkpoint {checkpoint} does not fit the lenet5 TF1 graph" in message
    for line in expected_lines:
        assert line in message
    assert destination.read_bytes() == b"an earlier conversion" and leftovers(tmp_path) == []


def test_another_models_keras_file_fails_listing_each_layer(tmp_path):
    # A .weights.h5 maps onto the twin by class and position; a .keras by layer name.
    twin = keras_io.build_twin("deep_cnn")
    twin.save_weights(tmp_path / "deep_cnn.weights.h5")
    twin.save(tmp_path / "deep_cnn.keras")
    for name, line in [("deep_cnn.weights.h5", "shape mismatch conv2d: expected [(5, 5, 1, 6), (6,)], "
                                               "found [(5, 5, 1, 32), (32,)]"),
                       ("deep_cnn.keras", "extra conv1: shapes [(5, 5, 1, 32), (32,)] not in")]:
        with pytest.raises(transfer.WeightTransferError) as error:
            conversion.convert("lenet5", tmp_path / name, tmp_path / "model.ckpt")
        assert line in str(error.value) and "missing dense_2" in str(error.value)
    assert sorted(os.listdir(tmp_path)) == ["deep_cnn.keras", "deep_cnn.weights.h5"]


def test_checkpoint_problems_list_dtypes_by_name_and_leave_training_state_out():
    expected = {"dense": [("dense/kernel", (4, 2), tf.float32), ("dense/bias", (2,), tf.float32)],
                "out": [("out/kernel", (2, 1), tf.float32)]}
    shapes = {"dense/kernel": (4, 2), "dense/bias": (3,), "out/kernel": (2, 1), "stray": (1,),
              "global_step": (), "dense/kernel/Adam": (4, 2), "beta1_power": ()}
    dtypes = {name: tf.float32 for name in shapes} | {"dense/kernel": tf.float64, "out/kernel": tf.int32}
    assert checkpoint_io.checkpoint_problems(expected, shapes, dtypes) == [
        "extra stray: shape (1,) is not a variable of the graph",
        "shape mismatch dense/bias: expected (2,), found (3,)",
        "dtype mismatch dense/kernel: expected float32, found float64",
        "dtype mismatch out/kernel: expected float32, found int32"]


def write_corrupt_checkpoint(directory):
    prefix = directory / "model.ckpt"
    (directory / "model.ckpt.index").write_bytes(b"not a tensor bundle index")
    (directory / "model.ckpt.data-00000-of-00001").write_bytes(b"\0" * 64)
    return prefix


def write_truncated_checkpoint(directory):
    prefix = save_initial_checkpoint("lenet5", directory / "model.ckpt")
    data_file = directory / "model.ckpt.data-00000-of-00001"
    data_file.write_bytes(data_file.read_bytes()[:1000])
    return prefix


def test_a_source_that_is_no_checkpoint_fails_naming_it(tmp_path):
    # One test, several cases: each test of this suite pays a Keras clear_session on each side.
    # An empty directory has no `checkpoint` state file.
    for make_source in (lambda directory: directory / "no_such.ckpt", lambda directory: directory,
                        write_corrupt_checkpoint, write_truncated_checkpoint):
        source = make_source(tmp_path)
        before = sorted(os.listdir(tmp_path))
        with pytest.raises(ValueError, match=re.escape(f"{source}: ")):
            conversion.convert("lenet5", source, tmp_path / "lenet5.keras")
        assert sorted(os.listdir(tmp_path)) == before


def test_a_keras_source_that_cannot_be_loaded_fails_naming_it(tmp_path):
    (tmp_path / "corrupt.keras").write_bytes(b"not a zip archive")
    (tmp_path / "corrupt.weights.h5").write_bytes(b"not an HDF5 file")
    for name in ("no_such.keras", "corrupt.keras", "corrupt.weights.h5"):
        with pytest.raises(ValueError, match=re.escape(f"{tmp_path / name}: ")):
            conversion.convert("lenet5", tmp_path / name, tmp_path / "model.ckpt")
    assert sorted(os.listdir(tmp_path)) == ["corrupt.keras", "corrupt.weights.h5"]


def test_the_direction_must_follow_from_the_suffixes(tmp_path):
    for source, destination in [("model.ckpt", "model.h5"), ("model.keras", "model.weights.h5"),
                                ("model.ckpt", "other.ckpt")]:
        with pytest.raises(ValueError, match="expected either a TF1 checkpoint prefix"):
            conversion.convert("lenet5", tmp_path / source, tmp_path / destination)


def test_an_unwritable_destination_directory_fails_and_writes_nothing(trained_checkpoint, tmp_path):
    # A directory path under a regular file cannot be written, whoever runs the test (root too).
    checkpoint = trained_checkpoint("lenet5")[0]
    (tmp_path / "a_file").write_text("")
    with pytest.raises(OSError, match="a_file"):
        conversion.convert("lenet5", checkpoint, tmp_path / "a_file" / "lenet5.keras")
    keras_io.build_twin("lenet5").save(tmp_path / "lenet5.keras")
    with pytest.raises(OSError, match="a_file"):
        conversion.convert("lenet5", tmp_path / "lenet5.keras", tmp_path / "a_file" / "model.ckpt")
    assert sorted(os.listdir(tmp_path)) == ["a_file", "lenet5.keras"]


def test_a_failed_verification_leaves_the_destination_untouched(trained_checkpoint, tmp_path, monkeypatch):
    # No real conversion differs (they are bitwise equal): a negative tolerance makes one fail.
    checkpoint = trained_checkpoint("lenet5")[0]
    monkeypatch.setattr(tolerances, "FORWARD_ATOL", -1.0)
    destination = tmp_path / "lenet5.keras"
    destination.write_bytes(b"an earlier conversion")
    with pytest.raises(conversion.VerificationError, match="exceeds -1"):
        conversion.convert("lenet5", checkpoint, destination)
    assert destination.read_bytes() == b"an earlier conversion"
    save_initial_checkpoint("lenet5", tmp_path / "model.ckpt")  # an earlier checkpoint at DST
    before = {name: (tmp_path / name).read_bytes() for name in os.listdir(tmp_path)}
    keras_io.build_twin("lenet5").save(tmp_path / "twin.keras")
    with pytest.raises(conversion.VerificationError):
        conversion.convert("lenet5", tmp_path / "twin.keras", tmp_path / "model.ckpt")
    after = {name: (tmp_path / name).read_bytes() for name in os.listdir(tmp_path) if name != "twin.keras"}
    assert after == before  # checkpoint files and the `checkpoint` state file alike


# --- The command ------------------------------------------------------------------------------

def test_convert_command_prints_mapping_skipped_and_difference(trained_checkpoint, tmp_path):
    checkpoint = trained_checkpoint("core_convnet")[0]
    result = run_command("-m", "mnist_parity.cli", "convert", checkpoint, str(tmp_path / "cc.keras"),
                         "--model", "core_convnet")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "  W1 <-> c1/kernel (3, 3, 1, 16)" in result.stdout
    assert "beta1_power" in result.stdout and "W6/Adam_1" in result.stdout and "global_step" in result.stdout
    difference = re.search(r"max logit difference on 1,000 test images: (\S+)", result.stdout)
    assert difference and float(difference.group(1)) <= tolerances.FORWARD_ATOL
    assert (tmp_path / "cc.keras").is_file()


def test_convert_command_exits_2_for_an_unknown_model(tmp_path):
    result = run_command("-m", "mnist_parity.cli", "convert", str(tmp_path / "model.ckpt"),
                         str(tmp_path / "out.keras"), "--model", "resnet50")
    assert result.returncode == 2
    assert "mnist-parity: error: unknown model key 'resnet50'" in result.stderr
    assert os.listdir(tmp_path) == []


def test_convert_command_exits_2_for_another_models_checkpoint(trained_checkpoint, tmp_path, capsys):
    # In process: the subprocess test above already pays for one TensorFlow start.
    checkpoint = trained_checkpoint("lenet5")[0]
    status = cli.main(["convert", checkpoint, str(tmp_path / "out.keras"), "--model", "core_convnet"])
    assert status == 2
    error = capsys.readouterr().err
    assert "mnist-parity: error: checkpoint" in error and "missing W1: expected shape (3, 3, 1, 16)" in error
    assert os.listdir(tmp_path) == []


def test_convert_command_exits_1_when_verification_fails(trained_checkpoint, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(tolerances, "FORWARD_ATOL", -1.0)  # no real conversion differs
    status = cli.main(["convert", trained_checkpoint("lenet5")[0], str(tmp_path / "out.keras"),
                       "--model", "lenet5"])
    assert status == 1
    output = capsys.readouterr()
    assert "max logit difference on 1,000 test images:" in output.out
    assert f"verification failed; {tmp_path / 'out.keras'} was not written" in output.err
    assert os.listdir(tmp_path) == []
