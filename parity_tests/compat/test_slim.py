"""TF-Slim under the layer: `tf.contrib.slim` and `import tf_slim` run as in TF 1.15.

The `tf-slim` package is the real thing; the layer only makes its imports resolve on TF 2.21
(compat/slim_support.py). In-process checks build graphs inside `tf.Graph()`; the programs in
`programs/` run unmodified through the runner.
"""

import importlib

import numpy as np
import pytest
import tensorflow as tf

import legacy_tf1.compat
from legacy_tf1.compat import slim_support
from program_runs import describe, printed_value, run_tf1_program

slim = slim_support.slim_package()
from tf_slim.nets import alexnet, inception_v1, inception_v3, resnet_v1, resnet_v2, vgg  # noqa: E402


def parameter_count(variables):
    return sum(int(np.prod(variable.shape.as_list())) for variable in variables)


def build_in_graph(build, arg_scope, size):
    """Builds a zoo net for 1,000 classes in a graph of its own; returns (trainable, all) variables."""
    with tf.Graph().as_default():
        images = tf.compat.v1.placeholder(tf.float32, [1, size, size, 3])
        with slim.arg_scope(arg_scope()):
            build(images, num_classes=1000, is_training=False)
        return tf.compat.v1.trainable_variables(), tf.compat.v1.global_variables()


def test_contrib_slim_is_the_tf_slim_package():
    assert legacy_tf1.compat.contrib.slim is importlib.import_module("tf_slim")
    assert "slim" in dir(legacy_tf1.compat.contrib)


def test_the_old_legacy_layers_name_is_the_moved_module():
    old = importlib.import_module("tf_keras.legacy_tf_layers.normalization")
    assert old is importlib.import_module("tf_keras.src.legacy_tf_layers.normalization")
    assert old.__spec__.name == "tf_keras.src.legacy_tf_layers.normalization"


def test_slim_sees_moved_names_while_tensorflow_stays_as_installed():
    from tensorflow.python.framework import ops
    from tensorflow.python.ops import control_flow_ops
    assert not hasattr(ops, "Tensor") and not hasattr(control_flow_ops, "cond")
    utils = importlib.import_module("tf_slim.layers.utils")
    assert utils.ops.Tensor is tf.Tensor and utils.ops.GraphKeys is ops.GraphKeys
    assert utils.control_flow_ops.cond is importlib.import_module("tensorflow.python.ops.cond").cond


def test_resnet_v1_50_has_the_published_parameter_count_and_slim_names():
    trainable, everything = build_in_graph(resnet_v1.resnet_v1_50, resnet_v1.resnet_arg_scope, 224)
    assert parameter_count(trainable) == 25_557_032  # "25.6 M", the paper's and slim's figure
    names = {variable.op.name for variable in everything}
    assert {"resnet_v1_50/conv1/weights", "resnet_v1_50/conv1/BatchNorm/moving_mean",
            "resnet_v1_50/block4/unit_3/bottleneck_v1/conv3/BatchNorm/gamma",
            "resnet_v1_50/logits/biases"} <= names


@pytest.mark.slow
@pytest.mark.parametrize("build, arg_scope, size, trainable_count", [
    (resnet_v2.resnet_v2_50, resnet_v2.resnet_arg_scope, 224, 25_568_360),
    (vgg.vgg_16, vgg.vgg_arg_scope, 224, 138_357_544),
    (alexnet.alexnet_v2, alexnet.alexnet_v2_arg_scope, 224, 50_303_912),
    (inception_v1.inception_v1, inception_v1.inception_v1_arg_scope, 224, 6_617_624),
    (inception_v3.inception_v3, inception_v3.inception_v3_arg_scope, 299, 27_143_152),  # aux head included
])
def test_zoo_nets_have_their_parameter_counts(build, arg_scope, size, trainable_count):
    trainable, _ = build_in_graph(build, arg_scope, size)
    assert parameter_count(trainable) == trainable_count


def test_slim_lenet_with_batch_norm_trains_saves_and_restores(tmp_path):
    result = run_tf1_program("slim_lenet_batch_norm.py", str(tmp_path))
    assert result.returncode == 0, describe(result)
    assert printed_value(result.stdout, "update ops:") == "6"  # 3 batch norms x (mean, variance)
    assert "LeNet/conv1/BatchNorm/moving_mean" in printed_value(result.stdout, "model variables:")
    assert float(printed_value(result.stdout, "last loss:")) < float(printed_value(result.stdout, "first loss:")) / 10
    assert float(printed_value(result.stdout, "moving mean moved:")) > 0.01  # UPDATE_OPS ran
    # The restoring graph takes batch norm's constant is_training branch, not the cond: not bitwise.
    assert float(printed_value(result.stdout, "restored max diff:")) < 1e-5
    checkpoint = tf.train.load_checkpoint(str(tmp_path / "lenet.ckpt"))
    assert checkpoint.get_tensor("LeNet/conv1/BatchNorm/moving_mean").shape == (8,)


@pytest.mark.slow  # 6-11 s: the default run stays near 5 minutes on 2 cores
def test_slim_learning_train_under_tf_app_run(tmp_path):
    result = run_tf1_program("slim_learning_train.py", "--train_dir", str(tmp_path), "--steps", "4")
    assert result.returncode == 0, describe(result)
    assert printed_value(result.stdout, "checkpoint:") == str(tmp_path / "model.ckpt-4")
    assert np.isfinite(float(printed_value(result.stdout, "final loss:")))


@pytest.mark.slow
@pytest.mark.parametrize("net, size, update_ops", [  # two update ops per batch norm
    ("resnet_v1_50", 64, 106), ("resnet_v2_50", 64, 98), ("inception_v1", 224, 114),
    ("inception_v3", 299, 192), ("alexnet_v2", 224, 0), ("vgg_16", 224, 0),
])
def test_zoo_nets_train_under_the_runner(net, size, update_ops):
    result = run_tf1_program("slim_nets_train.py", net, str(size))
    assert result.returncode == 0, describe(result)
    assert printed_value(result.stdout, "update ops:") == str(update_ops)
    losses = [float(loss) for loss in printed_value(result.stdout, "losses:").split()]
    assert len(losses) == 3 and all(np.isfinite(losses))
