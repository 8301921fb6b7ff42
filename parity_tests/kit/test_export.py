"""`mnist-parity export`: serving artifacts of both sides that load without the kit and
give the models' logits, and bad input refused with nothing written.

One model with an inference feed (deep_cnn: keep_prob, bound to 1.0 in the TF1 artifact)
is exported from a real `.keras` file and a real Saver checkpoint; each export verifies
in a fresh process of its own (~5 s each), so the round trips share one module fixture.
"""

import os

import keras
import numpy as np
import pytest
import tensorflow as tf

import legacy_tf1.compat as tf1_compat
from mnist_core import exit_codes
from mnist_parity import cli, exporting, sides
from tf1_to_keras.harness import closeness, tolerances
from tf1_to_keras.exporting import exports

KEY = "deep_cnn"


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    """{"keras": MODEL.keras, "tf1": checkpoint prefix, plus each side's logits on the
    verification images}: deep_cnn's two sides with their own (different) initial weights."""
    directory = tmp_path_factory.mktemp("export-sources")
    found = {}
    with sides.KerasSide(KEY, seed=1) as keras_side:
        found["keras"] = str(directory / f"{KEY}.keras")
        keras_side.model.save(found["keras"])
        found["keras_images"] = exports.verification_images(keras_side.model.input_shape[1:])
        found["keras_logits"] = keras_side.logits(found["keras_images"])
    with sides.LegacySide(KEY, seed=2) as tf1:
        found["tf1"] = str(directory / f"{KEY}.ckpt")
        with tf1.graph.as_default():
            tf1_compat.train.Saver().save(tf1.session, found["tf1"])
        found["tf1_images"] = exports.verification_images(tf1.endpoints.images.shape.as_list()[1:])
        found["tf1_logits"] = tf1.logits(found["tf1_images"])
    return found


def _served(directory, images):
    """{call: logits}: the signature, and the Keras artifact's endpoint as a server calls it."""
    loaded = tf.saved_model.load(str(directory))
    serve = loaded.signatures[exporting.SIGNATURE_NAME]
    served = {"signature": serve(**{exporting.INPUT_NAME: tf.constant(images)})[exporting.OUTPUT_NAME]}
    if hasattr(loaded, exporting.ENDPOINT_NAME):
        served["endpoint"] = exporting.serving_function(loaded, images.shape[1:])(tf.constant(images))
    return {call: logits.numpy() for call, logits in served.items()}


@pytest.mark.parametrize("side", ["keras", "tf1"])
def test_export_round_trips_in_a_fresh_process_without_the_kit(sources, tmp_path, capsys, side):
    destination = tmp_path / "served"
    arguments = ["export", sources[side], str(destination)] + (["--model", KEY] if side == "tf1" else [])
    assert cli.main(arguments) == exit_codes.OK, capsys.readouterr().err
    printed = capsys.readouterr().out
    assert "signature 'serving_default': 'images' float32 (None, " in printed
    assert "kit modules loaded: none" in printed and f"wrote {destination}" in printed
    # The Keras artifact's endpoint for Python servers is verified too; TF1's has none.
    calls = "serving_default, serve" if side == "keras" else "serving_default"
    assert f"calls verified: {calls};" in printed
    assert ("endpoint 'serve'" in printed) == (side == "keras")
    assert not [name for name in os.listdir(tmp_path) if name.startswith(".tmp-")]  # staging gone
    # Independently of the export's own check: the artifact here, against the source model.
    served = _served(destination, sources[f"{side}_images"])
    assert sorted(served) == (["endpoint", "signature"] if side == "keras" else ["signature"])
    for logits in served.values():
        assert closeness.max_abs_diff(logits, sources[f"{side}_logits"]) <= tolerances.FORWARD_ATOL


def test_export_refuses_an_artifact_that_does_not_match(sources, tmp_path):
    # The verification must be able to fail: the Keras artifact checked against logits
    # 1e-3 off (as if the graph were wrong). Nothing is put at DIR, no staging is left.
    destination = tmp_path / "served"
    model = keras.saving.load_model(sources["keras"], compile=False, safe_mode=True)
    images = sources["keras_images"]
    result = exports.ExportResult("keras", sources["keras"], str(destination), (784,), float("nan"),
                                  len(images), [])
    with pytest.raises(exporting.ExportVerificationError, match="differ from the keras model's by 1.000e-03"):
        exports.stage_verify_place(
            result, lambda staged: exporting.artifacts.write_keras_artifact(model, staged),
            sources["keras_logits"] + np.float32(1e-3), images)
    assert os.listdir(tmp_path) == []


def test_export_refuses_an_artifact_whose_serve_endpoint_differs(sources, tmp_path):
    # serving_default right, the endpoint for Python servers 1e-3 off: the fresh process
    # runs both calls, so the export fails on the endpoint alone.
    model = keras.saving.load_model(sources["keras"], compile=False, safe_mode=True)
    images = sources["keras_images"]
    spec = tf.TensorSpec((None, 784), tf.float32, name=exporting.INPUT_NAME)

    def write_with_a_wrong_endpoint(staged):
        archive = keras.export.ExportArchive()
        archive.track(model)
        archive.add_endpoint(exporting.SIGNATURE_NAME, tf.function(
            lambda images: {exporting.OUTPUT_NAME: model(images, training=False)}), input_signature=[spec])
        archive.add_endpoint(exporting.ENDPOINT_NAME, tf.function(
            lambda images: model(images, training=False) + 1e-3), input_signature=[spec])
        archive.write_out(staged, verbose=False)

    result = exports.ExportResult("keras", sources["keras"], str(tmp_path / "served"), (784,),
                                  float("nan"), len(images), [])
    with pytest.raises(exporting.ExportVerificationError, match=r"\(serving_default, serve\) differ"):
        exports.stage_verify_place(result, write_with_a_wrong_endpoint, sources["keras_logits"], images)
    assert result.max_difference == pytest.approx(1e-3, rel=1e-2)
    assert os.listdir(tmp_path) == []


def test_a_result_with_kit_modules_loaded_does_not_pass():
    result = exports.ExportResult("keras", "m.keras", "out", (784,), 0.0, 1000, ["mnist_parity"])
    assert not result.passed
    assert exports.ExportResult("keras", "m.keras", "out", (784,), 0.0, 1000, []).passed


def _refused(capsys, arguments):
    assert cli.main(["export", *arguments]) == exit_codes.BAD_INPUT
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1 and error[0].startswith("mnist-parity: error: ")
    return error[0]


def test_export_refuses_a_file_that_is_not_a_keras_model(capsys, tmp_path):
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a model")
    assert "notes.txt: not a .keras model file" in _refused(capsys, [str(text_file), str(tmp_path / "a")])
    fake = tmp_path / "fake.keras"
    fake.write_text("not a zip archive")
    assert "cannot load Keras model safely" in _refused(capsys, [str(fake), str(tmp_path / "b")])
    assert sorted(os.listdir(tmp_path)) == ["fake.keras", "notes.txt"]  # nothing written


def test_export_refuses_a_non_empty_or_unwritable_directory(sources, capsys, tmp_path):
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "keep.txt").write_text("mine")
    assert "occupied: exists and is not an empty directory" in _refused(
        capsys, [sources["keras"], str(occupied)])
    assert os.listdir(occupied) == ["keep.txt"]
    # A directory no one may write to: /proc for root (who passes permission bits), else
    # one with write permission taken away.
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    parent = "/proc" if os.access(locked, os.W_OK) else str(locked)
    try:
        assert "not writable" in _refused(capsys, [sources["keras"], f"{parent}/served"])
        assert not os.path.exists(f"{parent}/served") and os.listdir(locked) == []
    finally:
        locked.chmod(0o700)
