"""layer_naming: a name several layers want is qualified by their TF1 paths below the scope they
share ('/' -> '_'); a name one layer wants, and root layers with nothing to qualify by, stay."""

from tf1_to_keras.porting import layer_naming, specs


def _weighted(name, variable):
    return specs.LayerSpec(name=name, keras_class="Conv2D", weights=[specs.WeightSource("kernel", variable)])


def _op_layer(name, output):
    return specs.LayerSpec(name=name, keras_class="ReLU", tf1_output=output)


def test_slim_unit_scopes_are_qualified_below_the_shared_net_scope():
    layers = [_weighted("conv1", "resnet_v1_50/conv1/weights"),
              _weighted("conv1", "resnet_v1_50/block1/unit_1/bottleneck_v1/conv1/weights"),
              _weighted("conv1", "resnet_v1_50/block2/unit_1/bottleneck_v1/conv1/weights"),
              _weighted("logits", "resnet_v1_50/logits/weights")]
    layer_naming.qualify_shared_names(layers)
    assert [layer.name for layer in layers] == [
        "conv1", "block1_unit_1_bottleneck_v1_conv1", "block2_unit_1_bottleneck_v1_conv1", "logits"]


def test_weightless_layers_of_one_scope_part_by_their_op_names():
    layers = [_op_layer("bottleneck_v1", "net/block1/unit_1/bottleneck_v1/add:0"),
              _op_layer("bottleneck_v1", "net/block1/unit_1/bottleneck_v1/Relu:0")]
    layer_naming.qualify_shared_names(layers)
    assert [layer.name for layer in layers] == ["add", "Relu"]


def test_partitioned_variables_and_root_layers():
    layers = [_weighted("hidden", "dnn/hidden/kernel/part_0"), _weighted("hidden", "other/hidden/kernel/part_0"),
              _op_layer("relu", "relu:0"), _op_layer("relu", "relu_1:0")]
    layer_naming.qualify_shared_names(layers)
    assert [layer.name for layer in layers] == ["dnn_hidden", "other_hidden", "relu", "relu_1"]  # op names


def test_one_weighted_and_one_weightless_layer_keep_the_old_claim():
    layers = [_op_layer("fc1", "fc1/Reshape:0"), _weighted("fc1", "fc1/weights")]
    layer_naming.qualify_shared_names(layers)
    assert [layer.name for layer in layers] == ["fc1", "fc1"]  # name_layers: the Dense claims it


def test_a_doubled_name_scope_counts_once():
    layers = [_weighted("Conv2d_0a_1x1", "InceptionV1/Mixed_3b/Branch_1/Conv2d_0a_1x1/weights"),
              _weighted("Conv2d_0a_1x1", "InceptionV1/Mixed_3c/Branch_1/Conv2d_0a_1x1/weights"),
              _op_layer("Conv2d_0a_1x1", "InceptionV1/InceptionV1/Mixed_3b/Branch_1/Conv2d_0a_1x1/Relu:0")]
    layer_naming.qualify_shared_names(layers)
    assert [layer.name for layer in layers] == [
        "Mixed_3b_Branch_1_Conv2d_0a_1x1", "Mixed_3c_Branch_1_Conv2d_0a_1x1", "Mixed_3b_Branch_1_Conv2d_0a_1x1_Relu"]
