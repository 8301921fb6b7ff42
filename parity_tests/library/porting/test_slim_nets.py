"""Slim's deep nets port (issue 22): a small slim ResNet v1 in-process in the default run (the
zoo's resnet_v1 code with short blocks: conv2d_same's explicit pads, batch norm, projection and
identity shortcuts, pool5, a 1x1 logits conv, the squeeze), its broken twins refused and named;
the 50-layer nets and their parameter counts behind `slow`."""

import copy
import json
import os

import numpy as np
import pytest

from mnist_core import exit_codes
from tf1_to_keras.harness import tolerances
from tf1_to_keras.porting import certification

from . import conftest, slim_nets
from .port_runs import port

SIZE = 16


@pytest.fixture(scope="module")
def small_resnet():
    tf1, recognised, source = slim_nets.ported(slim_nets.small_resnet_v1(SIZE))
    yield tf1, recognised, source, slim_nets.images(4, SIZE)
    tf1.close()


def test_small_slim_resnet_is_written_with_slims_scopes_and_forward_matches(small_resnet):
    tf1, recognised, source, x = small_resnet
    assert recognised.unrecognised_ops == []
    classes = {layer.name: layer.keras_class for layer in recognised.layers}
    assert classes["Pad"] == classes["block1_unit_2_bottleneck_v1_Pad"] == "ZeroPadding2D"
    assert classes["conv1"] == "Conv2D" and classes["conv1_BatchNorm"] == "BatchNormalization"
    assert classes["block1_unit_1_bottleneck_v1_shortcut"] == "Conv2D"  # the projection
    assert classes["block1_unit_2_bottleneck_v1_shortcut_MaxPool"] == "MaxPooling2D"  # subsample
    assert classes["block1_unit_1_bottleneck_v1_add"] == "Add"
    assert (classes["pool5"], classes["logits"]) == ("GlobalAveragePooling2D", "Conv2D")
    assert "Lambda" not in source and "epsilon=1e-05" in source
    result, keras_model = slim_nets.check(tf1, recognised, source, x)
    assert result.passed, result.failures
    assert keras_model.model.count_params() == sum(
        int(np.prod(shape)) for shape in tf1.variable_shapes().values())


@pytest.mark.parametrize("mutate, layer, first_divergent", [
    (slim_nets.wrong_epsilon, "block1_unit_1_bottleneck_v1_conv2_BatchNorm",
     "block1_unit_1_bottleneck_v1_conv2_BatchNorm"),
    (slim_nets.wrong_padding, "block1_unit_2_bottleneck_v1_Pad", "block1_unit_2_bottleneck_v1_Pad"),
    (slim_nets.missing_shortcut, "block1_unit_2_bottleneck_v1_add", "block1_unit_2_bottleneck_v1_add"),
], ids=["bn-epsilon", "padding", "shortcut"])
@pytest.mark.parametrize("bars", [None, certification.DEEP_BATCH_NORM_FORWARD], ids=["kit-bar", "deep-bar"])
def test_a_broken_twin_is_refused_and_its_layer_named(small_resnet, mutate, layer, first_divergent, bars):
    tf1, recognised, source, x = small_resnet
    result, _ = slim_nets.check(tf1, recognised, mutate(source, layer), x, tolerances=bars)
    assert not result.passed
    assert result.first_divergent_layer == first_divergent
    assert first_divergent in result.failures[0]


def test_the_deep_batch_norm_bar_is_for_deep_nets_only(small_resnet):
    _, recognised, _, _ = small_resnet
    assert certification.forward_tolerances(recognised) is None  # 11 batch norms: the kit's bar
    deep = copy.deepcopy(recognised)
    deep.layers += [copy.copy(deep.layers[2]) for _ in range(tolerances.DEEP_BATCH_NORM_LAYERS)]
    bars = certification.forward_tolerances(deep)
    assert bars.forward_magnitude_rtol == tolerances.DEEP_BATCH_NORM_FORWARD_MAGNITUDE_RTOL
    assert "batch norm" in bars.overrides["forward_magnitude_rtol"]["reason"]


# --- slow: the programs through the command, the zoo nets at full size ----------------------------

def _port_program(name, tmp_path, size, *program_args):
    """port.json and model.py of a slim program ported by `tf1-to-keras port` on --data images."""
    np.savez(tmp_path / "data.npz", x=slim_nets.images(8, size), y=np.zeros(8, np.int64))
    out = tmp_path / "out"
    status, stdout, stderr = port(os.path.join(conftest.PORTING_PROGRAMS, name), "--out", out,
                                  "--data", tmp_path / "data.npz", "--", *program_args)
    document = json.loads((out / "port.json").read_text()) if (out / "port.json").exists() else {}
    assert status == exit_codes.OK and document.get("passed"), stdout + stderr
    return document, (out / "model.py").read_text()


@pytest.mark.slow  # a 50-layer capture and port: minutes on a busy machine
@pytest.mark.parametrize("program, size, args, layers", [
    ("slim_resnet_v1_50.py", 64, ["64", "5"], ["keras.layers.ZeroPadding2D(", "keras.layers.Add(",
                                              "keras.layers.GlobalAveragePooling2D("]),
    ("slim_resnet_v2_50.py", 64, ["--size", "64"], ["keras.layers.ZeroPadding2D(", "keras.layers.Add("]),
    ("slim_inception_v1.py", 224, ["224", "4"], ["keras.layers.Concatenate(", "keras.layers.Dropout("]),
    ("slim_inception_v3.py", 75, ["75", "3"], ["keras.layers.Concatenate(", "keras.layers.AveragePooling2D("]),
    ("slim_mobilenet_v1.py", 32, ["32", "10"], ["keras.layers.DepthwiseConv2D(", "keras.layers.SeparableConv2D(",
                                              'keras.layers.Activation("relu6"']),
], ids=lambda value: value if isinstance(value, str) and value.endswith(".py") else "")
def test_slim_program_ports_through_the_command(tmp_path, program, size, args, layers):
    document, source = _port_program(program, tmp_path, size, *args)
    assert document["params"]["tf1"] == document["params"]["keras"]
    assert document["forward_max_abs_diff"] <= 1e-5 and document["unrecognised_ops"] == []
    for layer in layers:
        assert layer in source, layer
    assert "Lambda" not in source


# Published trainable parameter counts at 1,000 classes (parity_tests/compat/test_slim.py holds
# the TF1 side's); inception_v3 without its auxiliary head (27,143,152 with it); MobileNet v1 as
# keras.applications.MobileNet counts it (its conv_preds has biases, as slim's logits conv).
@pytest.mark.slow  # full-size graphs (224/299 inputs), a minute or more each
@pytest.mark.parametrize("name, trainable", [
    ("resnet_v1_50", 25_557_032), ("resnet_v2_50", 25_568_360), ("inception_v1", 6_617_624),
    ("inception_v3", 23_817_352), ("mobilenet_v1", 4_231_976),
])
def test_zoo_net_at_full_size_has_its_published_parameter_count_and_forward_parity(name, trainable):
    builder, size = slim_nets.zoo_net(name)
    tf1, recognised, source = slim_nets.ported(builder)
    with tf1:
        assert recognised.unrecognised_ops == []
        slim_nets.calibrate_batch_norm(tf1, slim_nets.images(8, size, seed=1))
        figures = slim_nets.forward_figures(tf1, recognised, source, slim_nets.images(4, size))
    assert figures["keras_trainable"] == trainable
    assert figures["keras_params"] == figures["tf1_params"]
    assert figures["passed"], figures["failures"]
