"""The training set-up travels with the port: model.py's training_setup()/compile_model() write
TF1's optimizer (its update rules, schedule, clipping) and loss (with its L2 penalties), and the
training-step check runs exactly that generated code: changing it makes the check fail.

The RMSProp + exponential_decay program is staged and checked by default (one capture); the
programs ported end to end through `tf1-to-keras port` are `slow`.
"""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from mnist_core import exit_codes
from tf1_to_keras.porting import certification, engine, training_codegen, weights

from . import conftest
from .port_runs import port

RMSPROP_PROGRAM = "mlp_rmsprop_decay.py"


def stage(captured, staging):
    """The port written into `staging` and verified; (recognised, keras side, x, y)."""
    recognised = engine.recognise(captured)
    values, skipped = weights.checkpoint_values(captured.checkpoint)
    engine.write_model(recognised, captured, str(staging), "tf1-to-keras port program.py", values, skipped, 0)
    x, y = engine.examples(recognised)
    with certification.tf1_model(captured, recognised) as tf1:
        checked, keras_side = certification.verify(str(staging), recognised, tf1, values, 0, x)
    assert checked.failures == []
    return recognised, keras_side, x, y


def step_check(captured, staged, staging):
    recognised, keras_side, x, y = staged
    result, notes = certification.training_check(captured, recognised, keras_side, x, y, 0, str(staging))
    assert result is not None, notes
    return result


def edit(path, old, new):
    text = path.read_text()
    assert text.count(old) == 1, (old, text)
    path.write_text(text.replace(old, new))


@pytest.fixture(scope="module")
def rmsprop_port(program_capture, tmp_path_factory):
    captured = program_capture(RMSPROP_PROGRAM, "1")
    staging = tmp_path_factory.mktemp("rmsprop-port")
    return captured, stage(captured, staging), staging


def test_generated_training_setup_is_tf1s_and_passes_the_step_check(rmsprop_port):
    captured, staged, staging = rmsprop_port
    source = (staging / "model.py").read_text()
    assert "import tf1_optimizers\n" in source and "def compile_model(model):" in source
    assert "learning_rate = keras.optimizers.schedules.ExponentialDecay(" in source
    assert "initial_learning_rate=0.01, decay_steps=3, decay_rate=0.5, staircase=True)" in source
    assert "tf1_optimizers.RMSPropTF1(" in source and "decay=0.9, momentum=0.5, epsilon=1e-10" in source
    assert (staging / training_codegen.TWINS_FILE).read_text() == open(
        sys.modules["modern_keras.tf1_optimizers"].__file__, encoding="utf-8").read()
    result = step_check(captured, staged, staging)
    assert result.passed and result.tf1_losses == pytest.approx(result.keras_losses, abs=1e-5)


def test_changing_the_generated_learning_rate_fails_the_step_check(rmsprop_port, tmp_path):
    captured, staged, staging = rmsprop_port
    for name in ("model.py", training_codegen.TWINS_FILE):
        (tmp_path / name).write_text((staging / name).read_text())
    edit(tmp_path / "model.py", "initial_learning_rate=0.01,", "initial_learning_rate=0.02,")
    result = step_check(captured, staged, tmp_path)
    assert not result.passed and result.first_failing_step == 2  # the first loss is before any update


def test_changing_the_generated_twin_fails_the_step_check(rmsprop_port, tmp_path):
    """The check imports the tf1_optimizers.py beside model.py, not the kit's copy."""
    captured, staged, staging = rmsprop_port
    (tmp_path / "model.py").write_text((staging / "model.py").read_text())
    (tmp_path / training_codegen.TWINS_FILE).write_text((staging / training_codegen.TWINS_FILE).read_text().replace(
        '["ones", "zeros"]', '["zeros", "zeros"]'))  # Keras' mean-square start, not TF1's
    assert not step_check(captured, staged, tmp_path).passed


@pytest.mark.slow  # 6-11 s: the default run stays near 5 minutes on 2 cores
def test_the_generated_code_trains_without_the_kit(rmsprop_port):
    """compile_model + one training step run from the port's folder; no kit module is imported."""
    _, _, staging = rmsprop_port
    script = ("import sys, numpy as np, model\n"
              "m = model.compile_model(model.build_model())\n"
              "m.load_weights('model.weights.h5')\n"
              "loss = m.train_on_batch(np.ones((4, 784), 'float32'), np.arange(4))\n"
              "kit = [n for n in sys.modules if n.split('.')[0] in "
              "('modern_keras', 'tf1_to_keras', 'mnist_parity', 'legacy_tf1', 'mnist_core')]\n"
              "print(type(m.optimizer).__name__, np.isfinite(loss), kit)\n")
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    run = subprocess.run([sys.executable, "-E", "-c", script], cwd=staging, capture_output=True, text=True,
                         timeout=300, env={**environment, "TF_CPP_MIN_LOG_LEVEL": "2"})
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip().splitlines()[-1] == "RMSPropTF1 True []"


# --- end to end through `tf1-to-keras port` (slow) ---------------------------------------------------

PORTED = {  # program: (arguments, --data arrays or None, lines model.py must hold)
    "mlp_rmsprop_decay.py": ([], None, ["tf1_optimizers.RMSPropTF1(", "staircase=True)"]),
    "cnn_clip_adam.py": ([], None, ["keras.optimizers.Adam(", "global_clipnorm=0.5)"]),
    "regression_ftrl.py": ([], "regression", ["tf1_optimizers.FtrlTF1(", "l1_regularization_strength=0.001",
                                              "l2_shrinkage_regularization_strength=0.01)",
                                              "loss = keras.losses.MeanSquaredError()"]),
    "mlp_l2_loss.py": ([], None, ["return keras.regularizers.L2(l2=0.00025)",
                                  "kernel_regularizer=kernel_regularizer()),"]),
}


def regression_data(path):
    random = np.random.default_rng(1)
    x = random.normal(size=(256, 8)).astype(np.float32)
    np.savez(path, x=x, y=x @ random.normal(size=(8, 1)).astype(np.float32))
    return path


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(PORTED))
def test_program_ported_with_its_training_setup(name, tmp_path):
    arguments, data, lines = PORTED[name]
    extra = ["--data", regression_data(tmp_path / "data.npz")] if data else []
    status, stdout, _ = port(os.path.join(conftest.PORTING_PROGRAMS, name), "--out", tmp_path / "out", *extra,
                             "--", "1", *arguments)
    document = json.loads((tmp_path / "out" / "port.json").read_text())
    assert status == exit_codes.OK and document["passed"], stdout
    assert document["training_steps"]["passed"], document["training_steps"]
    source = (tmp_path / "out" / "model.py").read_text()
    assert all(line in source for line in lines), source
    assert (tmp_path / "out" / training_codegen.TWINS_FILE).exists() == ("tf1_optimizers." in source)


@pytest.mark.slow
def test_dropping_the_generated_l2_penalty_fails_the_step_check(program_capture, tmp_path):
    captured = program_capture("mlp_l2_loss.py", "1")
    staged = stage(captured, tmp_path)
    assert step_check(captured, staged, tmp_path).passed
    edit(tmp_path / "model.py", "return keras.regularizers.L2(l2=0.00025)", "return None")
    with pytest.raises(AssertionError, match="not the same loss"):  # caught before any step
        step_check(captured, staged, tmp_path)
