"""`compare`'s loss curves: both sides as the mean loss of each 100-step window at the same
steps (loss_windows), in the figure and, with `--tensorboard DIR`, as TensorBoard runs."""

import glob
import json
import os

import numpy as np
import pytest
import tensorflow as tf

from mnist_core import exit_codes
from mnist_parity import cli, loss_windows, model_comparison, tensorboard_curves

STEPS = 250  # two whole windows and a part one: ends 100, 200, 250


def test_windows_from_every_step_and_from_running_means_agree():
    losses = np.random.default_rng(0).uniform(0.1, 3.0, STEPS)
    steps = list(range(1, STEPS + 1))
    ends = loss_windows.window_ends(STEPS, 100)
    assert ends == [100, 200, 250]
    tf1 = loss_windows.from_every_step(steps, losses, ends)
    assert tf1.steps == ends
    np.testing.assert_allclose(tf1.means, [losses[:100].mean(), losses[100:200].mean(), losses[200:].mean()])
    running = [losses[:end].mean() for end in ends]  # what Keras' fit logs as `loss`
    keras = loss_windows.from_running_means(ends, running)
    assert keras.steps == ends
    np.testing.assert_allclose(keras.means, tf1.means, rtol=1e-12)
    # The step losses at the ends (what Keras' callbacks see) are not the window means.
    assert not np.allclose(losses[np.array(ends) - 1], tf1.means, rtol=0.05)


@pytest.mark.parametrize("call, message", [
    (lambda: loss_windows.from_every_step([1, 3], [0.5, 0.4], [2]), "a loss for each step"),
    (lambda: loss_windows.from_every_step([1, 2, 3], [1.0, 1.0, 1.0], [2]), "ending at the last step, 3"),
    (lambda: loss_windows.from_running_means([200, 100], [1.0, 1.0]), "increasing steps"),
    (lambda: loss_windows.from_running_means([100], [1.0, 0.5]), "1 steps but 2 running means"),
    (lambda: loss_windows.window_ends(0, 100), "expected both >= 1"),
])
def test_windows_refuse_steps_that_do_not_make_windows(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def read_run(directory):
    """{tag: [(step, value), ...]} of the event files in one TensorBoard run directory."""
    scalars = {}
    for path in sorted(glob.glob(os.path.join(directory, "events.out.tfevents.*"))):
        for event in tf.compat.v1.train.summary_iterator(path):
            for value in event.summary.value:
                scalars.setdefault(value.tag, []).append((event.step, float(tf.make_ndarray(value.tensor))))
    return scalars


def test_compare_plots_and_logs_both_sides_at_the_same_steps(tmp_path, monkeypatch, capsys):
    comparisons = []

    def recording(*arguments, **keywords):  # the real comparison, kept for the assertions
        comparisons.append(real(*arguments, **keywords))
        return comparisons[-1]

    real = model_comparison.compare_models
    monkeypatch.setattr(model_comparison, "compare_models", recording)
    status = cli.main(["compare", "--models", "softmax_regression", "--steps", str(STEPS), "--init",
                       "shared", "--out", str(tmp_path / "out"), "--tensorboard", str(tmp_path / "tb")])
    assert status in (exit_codes.OK, exit_codes.RUN_FAILED), capsys.readouterr().err[-2000:]
    runs = comparisons[0].results[0].runs
    tf1, keras = runs["tf1"], runs["keras"]
    assert tf1.windowed_loss.steps == keras.windowed_loss.steps == keras.loss_steps == [100, 200, 250]
    np.testing.assert_allclose(tf1.windowed_loss.means,
                               [np.mean(tf1.losses[start:end]) for start, end in ((0, 100), (100, 200), (200, 250))])
    # Shared init, same batches, TF1's update rule: the window means agree (float32 running means).
    np.testing.assert_allclose(keras.windowed_loss.means, tf1.windowed_loss.means, rtol=1e-3)
    assert sorted(os.listdir(tmp_path / "tb")) == ["keras", "tf1"]
    for side, run in runs.items():
        logged = read_run(tmp_path / "tb" / side)
        assert list(logged) == [tensorboard_curves.tag("softmax_regression")]
        steps, values = zip(*logged["softmax_regression/loss"])
        assert list(steps) == run.windowed_loss.steps
        np.testing.assert_array_equal(values, np.float32(run.windowed_loss.means))
    entry = json.loads((tmp_path / "out" / "report.json").read_text())["models"]["softmax_regression"]
    assert entry["accuracy"] == {side: run.accuracy for side, run in runs.items()}
    assert os.path.getsize(tmp_path / "out" / "softmax_regression_loss.png") > 0


def test_compare_names_an_unwritable_tensorboard_directory(tmp_path, capsys):
    blocker = tmp_path / "blocker"
    blocker.write_text("keep me")
    status = cli.main(["compare", "--models", "softmax_regression", "--out", str(tmp_path / "out"),
                       "--tensorboard", str(blocker / "tb")])
    assert status == exit_codes.BAD_INPUT
    assert f"--tensorboard {blocker / 'tb'}: cannot create it" in capsys.readouterr().err
    assert sorted(os.listdir(tmp_path)) == ["blocker"]
