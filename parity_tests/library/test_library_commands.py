"""`tf1-to-keras convert` and `tf1-to-keras export`: the library's commands for any team's
model (no --model KEY: that is the MNIST kit's). The docs' churn example is converted to a
.keras and back, and the .keras exported; what is written is checked independently of the
commands' own verification; bad input is an exit 2 naming the problem, with nothing written.
"""

import os
import pathlib

import keras
import numpy as np
import pytest
import tensorflow as tf

import legacy_tf1.compat as tf1_compat
from mnist_core import exit_codes
from tf1_to_keras import cli, exporting, model_files

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "hold_your_port"
FLAGS = ["--tf1", f"{EXAMPLE / 'churn_tf1.py'}:build_graph", "--keras", f"{EXAMPLE / 'churn_keras.py'}:build_model",
         "--name-map", str(EXAMPLE / "name_map.json")]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """The example's TF1 program run as its docs say: DIR/model.ckpt and DIR/test.npz."""
    directory = tmp_path_factory.mktemp("churn")
    model_files.ModelFiles().module(str(EXAMPLE / "churn_tf1.py"), "--tf1").main(str(directory))
    return directory


def test_the_library_cli_offers_convert_and_export():
    assert {command.__name__.rsplit(".", 1)[-1] for command in cli.COMMANDS} == {
        "port", "port_survey", "verify", "convert", "export"}


@pytest.mark.slow  # 6-11 s: the default run stays near 5 minutes on 2 cores
def test_convert_to_keras_and_back_then_export(trained, tmp_path, capsys):
    data = ["--data", str(trained / "test.npz")]
    keras_file = tmp_path / "churn.keras"
    assert cli.main(["convert", str(trained / "model.ckpt"), str(keras_file), *FLAGS, *data]) == exit_codes.OK
    assert f"wrote {keras_file}" in capsys.readouterr().out
    source = tf1_compat.train.load_checkpoint(str(trained / "model.ckpt"))
    model = keras.saving.load_model(keras_file)
    np.testing.assert_array_equal(model.get_layer("logits").kernel.numpy(), source.get_tensor("output/weights").T)

    assert cli.main(["convert", str(keras_file), str(tmp_path / "back"), *FLAGS, *data]) == exit_codes.OK
    back = tf1_compat.train.load_checkpoint(str(tmp_path / "back"))
    np.testing.assert_array_equal(back.get_tensor("output/weights"), source.get_tensor("output/weights"))

    served = tmp_path / "served"
    assert cli.main(["export", str(keras_file), str(served), *data]) == exit_codes.OK
    assert "kit modules loaded: none" in capsys.readouterr().out
    x = np.load(trained / "test.npz")["x"][:50].astype(np.float32)
    loaded = tf.saved_model.load(str(served))
    outputs = loaded.signatures[exporting.SIGNATURE_NAME](**{exporting.INPUT_NAME: tf.constant(x)})
    np.testing.assert_allclose(outputs[exporting.OUTPUT_NAME].numpy(), model.predict(x, verbose=0),
                               rtol=1e-6, atol=1e-6)


def test_export_without_data_refuses_a_model_that_does_not_take_mnist_images(trained, tmp_path, capsys):
    keras_file = tmp_path / "churn.keras"
    model_files.ModelFiles().function(FLAGS[3], "--keras")().save(keras_file)
    assert cli.main(["export", str(keras_file), str(tmp_path / "served")]) == exit_codes.BAD_INPUT
    error = capsys.readouterr().err
    assert error.startswith("tf1-to-keras: error: ") and "--data FILE.npz" in error
    assert sorted(os.listdir(tmp_path)) == ["churn.keras"]


@pytest.mark.parametrize("argv, expected", [
    (["export", "model.h5", "out"], "model.h5: not a .keras model file"),
    (["convert", "a.ckpt", "b.keras", *FLAGS[:4], "--data", "missing.npz"], "--data missing.npz: no such file"),
])
def test_bad_input_is_exit_2_naming_it(argv, expected, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(argv) == exit_codes.BAD_INPUT
    assert expected in capsys.readouterr().err
    assert os.listdir(tmp_path) == []


def test_convert_needs_the_tf1_and_keras_pair(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["convert", "a.ckpt", "b.keras"])
    assert exit_.value.code == exit_codes.BAD_INPUT and "--tf1" in capsys.readouterr().err
