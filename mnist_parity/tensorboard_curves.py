"""`compare --tensorboard DIR`: both sides' loss curves as TensorBoard event files.

DIR/tf1 and DIR/keras are two runs with the same tags (`<model>/loss`) and steps: the mean
loss of each window of steps (loss_windows), the curve the loss figure plots, so
`tensorboard --logdir DIR` overlays the sides. Written with TF2's summary writer (eager),
into a staging directory renamed into place: an interrupted run leaves no partial run.
"""

import os
import shutil
import tempfile

import tensorflow as tf
from tensorflow.core.framework import summary_pb2

SIDES = ("tf1", "keras")


def tag(key):
    """The scalar's tag for a model: TensorBoard groups the charts by the part before `/`."""
    return f"{key}/loss"


def write_curves(results, directory):
    """Writes DIR/tf1 and DIR/keras (replacing earlier runs of those names); returns their paths."""
    os.makedirs(directory, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".tmp-tensorboard-", dir=directory)
    try:
        for side in SIDES:
            _write_run(results, side, os.path.join(staging, side))
        paths = []
        for side in SIDES:
            path = os.path.join(directory, side)
            if os.path.isdir(path):
                shutil.rmtree(path)
            os.rename(os.path.join(staging, side), path)
            paths.append(path)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return paths


def scalar_metadata():
    """What `tf.summary.scalar` attaches (TensorBoard's scalars plugin, no content), written
    here with TF's own `tf.summary.write`: tf.summary.scalar needs the tensorboard package."""
    metadata = summary_pb2.SummaryMetadata(data_class=summary_pb2.DATA_CLASS_SCALAR)
    metadata.plugin_data.plugin_name = "scalars"
    return metadata


def _write_run(results, side, path):
    writer = tf.summary.create_file_writer(path)
    metadata = scalar_metadata()
    try:
        with writer.as_default():
            for result in results:
                windows = result.runs[side].windowed_loss
                for step, mean in zip(windows.steps, windows.means):
                    tf.summary.write(tag(result.key), tf.constant(mean, tf.float32), step=step,
                                     metadata=metadata)
    finally:
        writer.close()
