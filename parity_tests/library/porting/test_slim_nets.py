"""Slim's deep nets port (issue 22): a small slim ResNet v1 in-process in the default run (the
zoo's resnet_v1 code with short blocks: conv2d_same's explicit pads, batch norm, projection and
identity shortcuts, pool5, a 1x1 logits conv, the squeeze), its broken twins refused and named;
the 50-layer nets and their parameter counts behind `slow`."""

import numpy as np
import pytest

from . import slim_nets

SIZE = 32


@pytest.fixture(scope="module")
def small_resnet():
    tf1, recognised, source = slim_nets.ported(slim_nets.small_resnet_v1(SIZE))
    yield tf1, recognised, source, slim_nets.images(16, SIZE)
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
def test_a_broken_twin_is_refused_and_its_layer_named(small_resnet, mutate, layer, first_divergent):
    tf1, recognised, source, x = small_resnet
    result, _ = slim_nets.check(tf1, recognised, mutate(source, layer), x)
    assert not result.passed
    assert result.first_divergent_layer == first_divergent
    assert first_divergent in result.failures[0]
