"""PNG figures for `compare`: both windowed loss curves per model, and test digits with both
predictions (the same curves as TensorBoard event files: tensorboard_curves.py)."""

import os

import matplotlib

matplotlib.use("Agg")  # files only: no display on CI or servers
import matplotlib.pyplot as plt  # noqa: E402

from mnist_core import mnist  # noqa: E402

GRID_SIDE = 5  # a 5 x 5 grid: the first 25 test digits


def _save(figure, path):
    # Through a temporary name and a rename, like the reports: never a half-written PNG.
    temporary = f"{path}.part.png"
    figure.savefig(temporary, dpi=100)
    plt.close(figure)
    os.replace(temporary, path)


def loss_curves(result, path):
    """Both sides' mean training loss of each 100-step window, on one plot (loss_windows)."""
    figure, axes = plt.subplots(figsize=(7, 4))
    for side, run in result.runs.items():
        windows = run.windowed_loss
        axes.plot(windows.steps, windows.means, label=side, alpha=0.8, linewidth=1, marker=".")
    axes.set(title=f"{result.key}: mean training loss of each window of steps, at its last step",
             xlabel="step", ylabel="loss", yscale="log")
    axes.legend()
    figure.tight_layout()
    _save(figure, path)


def prediction_grid(result, path):
    """The first 25 test digits, titled with the true label and each side's prediction."""
    images = mnist.load_arrays()["x_test"][:GRID_SIDE * GRID_SIDE]
    labels = mnist.load_arrays()["y_test"][:GRID_SIDE * GRID_SIDE]
    figure, grid = plt.subplots(GRID_SIDE, GRID_SIDE, figsize=(7, 8))
    for index, axes in enumerate(grid.flat):
        tf1, keras = (int(result.runs[side].predicted_classes[index]) for side in ("tf1", "keras"))
        wrong = tf1 != labels[index] or keras != labels[index]
        axes.imshow(images[index], cmap="gray_r")
        axes.set_title(f"true {labels[index]}\nTF1 {tf1} | Keras {keras}", fontsize=8,
                       color="red" if wrong else "black")
        axes.axis("off")
    figure.suptitle(f"{result.key}: predictions of both sides (red: a side is wrong)")
    figure.tight_layout()
    _save(figure, path)


def write_figures(results, directory):
    """Writes <key>_loss.png and <key>_predictions.png per model; returns the paths."""
    paths = []
    for result in results:
        for name, draw in (("loss", loss_curves), ("predictions", prediction_grid)):
            path = os.path.join(directory, f"{result.key}_{name}.png")
            draw(result, path)
            paths.append(path)
    return paths
