"""Bad input gets a clear error (what, where, what was expected), a non-zero exit, and
leaves existing files untouched: predict images, a diverging training, save paths,
untrusted `.keras` files. `mnist-parity` and the Keras programs exit by one table
(mnist_core.exit_codes). Damaged data files are in test_data.py; an unknown model key
and an unwritable `compare --out` in test_cli.py."""

import ast
import dataclasses
import pathlib

import keras
import numpy as np
import pytest

from mnist_core import batches, errors, exit_codes, input_checks, recipes, training_data
from mnist_parity import cli, model_comparison, sides
from modern_keras import callbacks, keras_files, program, training
from modern_keras.models import softmax_regression
from tf1_to_keras import report_files

SOFTMAX = recipes.SOFTMAX_REGRESSION
# SGD at 1e38 overflows the weights in one step: the loss is NaN from step 2 on, both sides.
DIVERGING = dataclasses.replace(SOFTMAX, learning_rate=1e38)
REPOSITORY = pathlib.Path(__file__).resolve().parents[2]


def _good_images(count=5):
    return training_data.load_training_data(SOFTMAX).test_images[:count]


def _bad_image_cases():
    """(images, what the error must say) for each way predict input can be wrong."""
    images = _good_images()
    with_nan, with_inf = images.copy(), images.copy()
    with_nan[0, 3] = np.nan
    with_inf[1, 4] = np.inf
    raw = (images * 255).round()
    return [
        (images.reshape(-1, 28, 28), r"shape \(5, 28, 28\); expected \(N, 784\)"),
        (images[0], r"shape \(784,\); expected \(N, 784\)"),
        (images[:0], r"empty batch, shape \(0, 784\)"),
        (raw.astype(np.uint8), r"dtype uint8; expected floating point pixels in \[0, 1\].*/ 255"),
        (raw, r"values in \[0, 255\]; expected \[0, 1\] \(0\.\.255 pixels\? divide by 255\)"),
        (images - 0.5, r"values in \[-0\.5, 0\.5\]; expected \[0, 1\]$"),
        (with_nan, r"1 NaN value\(s\); expected finite pixels in \[0, 1\]"),
        (with_inf, r"1 infinite value\(s\); expected finite"),
    ]


@pytest.mark.parametrize("side_class, where", [(sides.LegacySide, "TF1 input Placeholder"),
                                               (sides.KerasSide, "Keras model 'softmax_regression'")],
                         ids=["tf1", "keras"])
def test_predict_rejects_bad_images_on_both_sides(side_class, where):
    with side_class("softmax_regression", seed=0) as side:
        for images, message in _bad_image_cases():
            with pytest.raises(ValueError, match=message) as error:
                side.logits(images)
            assert str(error.value).startswith(where), error.value
        # Any float dtype in range is fine: both sides cast to float32.
        float64_logits = side.logits(_good_images().astype(np.float64))
        np.testing.assert_array_equal(float64_logits, side.logits(_good_images()))


def test_check_images_takes_the_placeholder_shape():
    images = np.zeros((3, 28, 28, 1), np.float32)
    assert input_checks.check_images(images, (28, 28, 1)) is images  # no copy
    with pytest.raises(ValueError, match=r"core: shape \(3, 784\); expected \(N, 28, 28, 1\) "
                                         r"\(e\.g\. images\.reshape\(-1, 28, 28, 1\)\)"):
        input_checks.check_images(images.reshape(3, 784), (28, 28, 1), where="core")


def _train_softmax(side, images, steps):
    data = training_data.load_training_data(SOFTMAX)
    order = batches.batch_order(len(images), SOFTMAX.batch_size, steps, seed=0)
    return side.train(images, data.train_labels, order), order


def test_tf1_session_loop_stops_at_the_first_nan_step():
    with sides.LegacySide("softmax_regression", recipe=DIVERGING, seed=0) as side:
        with pytest.raises(errors.TrainingDivergedError) as error:
            _train_softmax(side, training_data.load_training_data(SOFTMAX).train_images, 20)
    assert (error.value.step, error.value.last_finite_step) == (2, 1)
    assert error.value.last_finite_loss == pytest.approx(np.log(10))  # zero init: uniform softmax
    assert str(error.value).startswith("TF1 session loop: training diverged: loss nan at step 2; "
                                       "last finite loss 2.30259 at step 1; expected a finite loss")


def test_a_nan_pixel_stops_both_sides_naming_step_and_last_finite_loss():
    # A NaN in one image of step 150's batch makes that step's loss NaN. TF1 checks every
    # step; Keras' callback sees every 100th (steps_per_execution=100), so it stops at 200
    # and the last loss it saw was step 100's.
    images = training_data.load_training_data(SOFTMAX).train_images.copy()
    order = batches.batch_order(len(images), SOFTMAX.batch_size, 200, seed=0)
    images[order[149][7], 300] = np.nan
    raised = {}
    for side_class in (sides.LegacySide, sides.KerasSide):
        with side_class("softmax_regression", seed=0) as side:
            with pytest.raises(errors.TrainingDivergedError) as error:
                _train_softmax(side, images, 200)
            raised[side.name] = error.value
    tf1, keras_error = raised["tf1"], raised["keras"]
    assert (tf1.step, tf1.last_finite_step, tf1.check_every) == (150, 149, 1)
    assert (keras_error.step, keras_error.last_finite_step, keras_error.check_every) == (200, 100, 100)
    assert str(keras_error).startswith("Keras model 'softmax_regression': training diverged: loss nan "
                                       "at step 200 (loss checked every 100 steps); last finite loss")
    assert 0.0 < keras_error.last_finite_loss < 1.0


def test_raise_on_non_finite_loss_works_in_a_plain_fit():
    # For ported code that calls fit itself: no StepLoss metric, so the callback reads
    # fit's `loss` (a running mean, NaN from the bad batch on). The third batch of 4 is NaN.
    images = np.ones((24, 784), np.float32)
    images[8:12] = np.nan
    labels = np.eye(10, dtype=np.float32)[np.arange(24) % 10]
    model = softmax_regression.build_model()
    model.compile(optimizer="sgd", loss=keras.losses.CategoricalCrossentropy(from_logits=True))
    with pytest.raises(errors.TrainingDivergedError, match=r"loss nan at step 3; last finite loss [0-9.]+ at step 2;"):
        model.fit(images, labels, batch_size=4, shuffle=False, verbose=0,
                  callbacks=[callbacks.RaiseOnNonFiniteLoss()])


def test_keras_program_exits_1_on_divergence_and_keeps_the_old_model(tmp_path, capsys):
    # A diverged run is a failed run (1), as in `mnist-parity`, not a bad argument (2).
    path = tmp_path / "model.keras"
    path.write_bytes(b"the previous model")
    with pytest.raises(SystemExit) as exit_info:
        program.main(DIVERGING, softmax_regression.build_model,
                     ["--steps", "150", "--seed", "0", "--save", str(path)])
    assert exit_info.value.code == exit_codes.RUN_FAILED == 1
    stderr = capsys.readouterr().err
    assert ("modern_keras.models.softmax_regression: error: Keras model 'softmax_regression': training "
            "diverged: loss nan at step 100 (loss checked every 100 steps); no finite loss seen before it"
            in stderr)
    assert path.read_bytes() == b"the previous model"
    assert [child.name for child in tmp_path.iterdir()] == ["model.keras"]  # no temporary left


def test_compare_exits_1_when_training_diverges(tmp_path, monkeypatch, capsys):
    # A diverged run is a failed run (1, as a failed check), not a bad argument (2).
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.json").write_text("{}")  # an earlier report must survive
    monkeypatch.setitem(recipes.RECIPES, "softmax_regression", DIVERGING)
    status = cli.main(["compare", "--models", "softmax_regression", "--steps", "20", "--out", str(out)])
    assert status == 1
    assert ("mnist-parity: error: TF1 session loop: training diverged: loss nan at step 2;"
            in capsys.readouterr().err)
    assert (out / "report.json").read_text() == "{}"


@pytest.mark.parametrize("error, status", [
    (errors.TrainingDivergedError(2, float("nan"), 1, 2.3, where="TF1 session loop"), exit_codes.RUN_FAILED),
    (ValueError("--steps 0; expected at least 1"), exit_codes.BAD_INPUT),
    (OSError("output directory out is not writable"), exit_codes.BAD_INPUT),
], ids=["diverged", "value-error", "os-error"])
def test_mnist_parity_and_the_keras_programs_exit_by_one_table(error, status, tmp_path, monkeypatch, capsys):
    # The same error raised inside `mnist-parity compare` and inside a Keras program: the
    # same status from the one table, and one `PROGRAM: error: ...` line each.
    def fail(*arguments, **options):
        raise error
    monkeypatch.setattr(model_comparison, "compare_models", fail)
    monkeypatch.setattr(program, "run", fail)
    assert cli.main(["compare", "--models", "softmax_regression", "--out", str(tmp_path)]) == status
    with pytest.raises(SystemExit) as exit_info:
        program.main(SOFTMAX, softmax_regression.build_model, ["--steps", "5"])
    assert exit_info.value.code == status
    assert capsys.readouterr().err.splitlines() == [
        f"mnist-parity: error: {error}", f"modern_keras.models.softmax_regression: error: {error}"]


def test_a_bad_flag_is_bad_input_for_mnist_parity_and_the_keras_programs(capsys):
    # argparse's own exit for a flag it cannot parse is the table's BAD_INPUT.
    for entry_point in (lambda: cli.main(["compare", "--no-such-flag"]),
                        lambda: program.main(SOFTMAX, softmax_regression.build_model, ["--no-such-flag"])):
        with pytest.raises(SystemExit) as exit_info:
            entry_point()
        assert exit_info.value.code == exit_codes.BAD_INPUT == 2
    assert capsys.readouterr().err.count("error: unrecognized arguments: --no-such-flag") == 2


def test_keras_program_refuses_an_unwritable_save_path_before_training(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "blocker"
    blocker.write_text("keep me")
    monkeypatch.setattr(training, "train", lambda *arguments, **options: pytest.fail("trained"))
    cases = {str(blocker / "model.keras"): "does not exist (or is not a directory)",
             str(tmp_path): "expected a path ending in '.keras'",
             str(tmp_path / "absent" / "model.keras"): "does not exist"}
    (tmp_path / "directory.keras").mkdir()
    cases[str(tmp_path / "directory.keras")] = "is a directory; expected a file path"
    for save_path, message in cases.items():
        with pytest.raises(SystemExit) as exit_info:
            program.main(SOFTMAX, softmax_regression.build_model, ["--steps", "5", "--save", save_path])
        assert exit_info.value.code == exit_codes.BAD_INPUT == 2
        stderr = capsys.readouterr().err
        assert "modern_keras.models.softmax_regression: error: save path" in stderr and message in stderr
    assert blocker.read_text() == "keep me"


def test_keras_files_load_in_safe_mode_and_lambda_layers_are_refused(tmp_path):
    images = keras.Input((784,))
    doubled = keras.layers.Lambda(lambda tensor: tensor * 2.0, name="double")(images)
    model = keras.Model(images, keras.layers.Dense(10, name="linear")(doubled))
    model.save(tmp_path / "lambda.keras")
    with pytest.raises(ValueError, match=r"lambda\.keras: cannot load Keras model safely "
                                         r"\(Requested the deserialization of a `Lambda` layer"):
        keras_files.load_keras_model(tmp_path / "lambda.keras")
    (tmp_path / "broken.keras").write_bytes(b"not a zip archive")
    with pytest.raises(ValueError, match="broken.keras: cannot load Keras model safely"):
        keras_files.load_keras_model(tmp_path / "broken.keras")
    with pytest.raises(ValueError, match="expected a Keras 3 model file ending in '.keras'"):
        keras_files.load_keras_model(tmp_path / "model.h5")
    safe = softmax_regression.build_model()
    safe.save(tmp_path / "safe.keras")
    assert [layer.name for layer in keras_files.load_keras_model(tmp_path / "safe.keras").layers] == ["linear"]


def _calls(function_names):
    """(file, line, call source) of each call to one of `function_names` in the kit's code."""
    found = []
    for folder in ("mnist_core", "mnist_parity", "tf1_to_keras", "legacy_tf1", "modern_keras", "scripts"):
        for path in sorted((REPOSITORY / folder).rglob("*.py")):
            source = path.read_text()
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.Call) and getattr(node.func, "attr", None) in function_names:
                    found.append((path.name, node.lineno, ast.get_source_segment(source, node)))
    return found


def test_every_untrusted_load_in_the_kit_is_safe():
    # A guard for code added later: each np.load refuses pickles, each load_model is safe mode.
    loads = _calls({"load", "load_model"})
    assert any("load_model" in call for _, _, call in loads)  # the scan sees inputs.py
    for file_name, line, call in loads:
        if ".load_model(" in call:
            assert "safe_mode=True" in call, f"{file_name}:{line}: {call}"
        elif call.startswith(("np.load(", "numpy.load(")):
            assert "allow_pickle=False" in call, f"{file_name}:{line}: {call}"


@pytest.mark.parametrize("command, flag", [
    (["port", "{program}", "--out", "{bad}"], "--out"),
    (["verify", "--tf1", "{program}:build", "--keras", "{program}:build", "--out", "{bad}"], "--out"),
    (["convert", "{tmp}/checkpoint", "{bad}/model.keras", "--model", "lenet5"], "DST"),
    (["export", "{tmp}/model.keras", "{bad}"], "DIR"),
    (["compare", "--models", "softmax_regression", "--out", "{bad}"], "--out"),
    (["reproduce", "--models", "softmax_regression", "--out", "{bad}"], "--out"),
    (["benchmark", "--models", "softmax_regression", "--out", "{bad}"], "--out"),
], ids=lambda value: value[0] if isinstance(value, list) else None)
def test_every_command_that_writes_names_an_unwritable_output_and_its_flag(command, flag, tmp_path, capsys):
    # /proc takes no new entries, even from root (CI runs as root): the error names the flag
    # and the path the user gave, not a staging path, and nothing is written.
    program_file = tmp_path / "program.py"
    program_file.write_text("def build():\n    pass\n")
    bad = "/proc/x"
    argv = [part.format(program=program_file, bad=bad, tmp=tmp_path) for part in command]
    assert cli.main(argv) == exit_codes.BAD_INPUT
    stderr = capsys.readouterr().err
    given = next(argument for argument in argv if argument.startswith(bad))
    assert len(stderr.splitlines()) == 1 and stderr.startswith(
        f"mnist-parity: error: {flag} {given}: not writable: cannot create anything in /proc (")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["program.py"]


def test_the_output_check_accepts_a_new_directory_and_creates_nothing(tmp_path):
    report_files.check_output_location("--out", str(tmp_path / "new" / "deeper"))
    report_files.check_output_location("DST", str(tmp_path / "new" / "model.keras"), is_file=True)
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "file").write_text("keep me")
    with pytest.raises(OSError, match=r"^--out .*/file/out: cannot create it: .*/file is not a directory$"):
        report_files.check_output_location("--out", str(tmp_path / "file" / "out"))
