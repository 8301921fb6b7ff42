"""tf.contrib.layers beyond initializers, and tf.contrib.framework.arg_scope, against TF 1.x.

Expected values come from TF 1.x's documented behaviour (contrib/layers/python/layers/
layers.py, regularizers.py, summaries.py; contrib/framework/python/ops/arg_scope.py),
computed with NumPy on the variables' values. Every graph is built inside its own
`tf.Graph().as_default()`; the process stays in eager mode.
"""

import numpy as np
import pytest

import legacy_tf1.compat as tf
from graph_runs import run_in_session, variable_shapes

layers = tf.contrib.layers
arg_scope = tf.contrib.framework.arg_scope
RANDOM = np.random.RandomState(0)
TOLERANCE = 1e-5


def numpy_conv2d_same(images, kernel):
    """Stride-1 'SAME' cross-correlation of NHWC images with an HWIO kernel (odd sizes)."""
    kernel_height, kernel_width = kernel.shape[:2]
    padded = np.pad(images, [(0, 0), (kernel_height // 2,) * 2, (kernel_width // 2,) * 2, (0, 0)])
    height, width = images.shape[1:3]
    windows = np.stack([np.stack([padded[:, row:row + kernel_height, column:column + kernel_width]
                                  for column in range(width)], axis=1)
                        for row in range(height)], axis=1)  # [N, H, W, kh, kw, C]
    return np.einsum("nhwijc,ijco->nhwo", windows, kernel)


def numpy_max_pool_valid(images, size, stride):
    """'VALID' max pooling of NHWC images with a square window."""
    rows = (images.shape[1] - size) // stride + 1
    columns = (images.shape[2] - size) // stride + 1
    return np.array([[images[:, r * stride:r * stride + size, c * stride:c * stride + size].max(axis=(1, 2))
                       for c in range(columns)] for r in range(rows)]).transpose(2, 0, 1, 3)


# --- fully_connected and conv2d -------------------------------------------------------------------

def test_fully_connected_defaults_to_relu_of_xavier_weights_and_zero_biases():
    graph = tf.Graph()
    inputs = RANDOM.randn(8, 6).astype(np.float32)
    with graph.as_default():
        tf.set_random_seed(0)
        hidden = layers.fully_connected(tf.constant(inputs), 4)
        logits = layers.fully_connected(hidden, 3)
        weights, biases = tf.trainable_variables()[:2]
    assert variable_shapes(graph) == {
        "fully_connected/weights:0": (6, 4), "fully_connected/biases:0": (4,),
        "fully_connected_1/weights:0": (4, 3), "fully_connected_1/biases:0": (3,)}
    output, weight_values, bias_values = run_in_session(graph, [hidden, weights, biases])
    linear = inputs @ weight_values + bias_values
    assert linear.min() < 0  # so that the ReLU is visible
    assert hidden.op.type == "Relu" and hidden.op.inputs[0].op.name == "fully_connected/BiasAdd"
    np.testing.assert_allclose(output, np.maximum(linear, 0), atol=TOLERANCE)
    np.testing.assert_array_equal(bias_values, np.zeros(4))
    assert np.abs(weight_values).max() <= np.sqrt(6.0 / (6 + 4))  # xavier_initializer() range
    assert logits.op.name == "fully_connected_1/Relu"


def test_conv2d_defaults_to_same_padding_stride_one_and_relu():
    graph = tf.Graph()
    images = RANDOM.randn(2, 5, 5, 2).astype(np.float32)
    with graph.as_default():
        features = layers.conv2d(tf.constant(images), 4, [3, 3],
                                 biases_initializer=tf.constant_initializer(0.1))
        layers.convolution2d(features, 3, 1)
        kernel, biases = tf.trainable_variables()[:2]
    assert layers.conv2d is layers.convolution2d
    assert variable_shapes(graph) == {
        "Conv/weights:0": (3, 3, 2, 4), "Conv/biases:0": (4,),
        "Conv_1/weights:0": (1, 1, 4, 3), "Conv_1/biases:0": (3,)}
    assert features.shape.as_list() == [2, 5, 5, 4]
    output, kernel_values, bias_values = run_in_session(graph, [features, kernel, biases])
    expected = np.maximum(numpy_conv2d_same(images, kernel_values) + bias_values, 0)
    np.testing.assert_allclose(output, expected, atol=TOLERANCE)


def test_scope_and_reuse_share_the_variables():
    graph = tf.Graph()
    inputs = RANDOM.randn(4, 3).astype(np.float32)
    with graph.as_default():
        first = layers.fully_connected(tf.constant(inputs), 2, scope="hidden")
        again = layers.fully_connected(tf.constant(inputs), 2, scope="hidden", reuse=True)
        with pytest.raises(ValueError, match="hidden/weights"):
            layers.fully_connected(tf.constant(inputs), 2, scope="hidden")  # TF1: already exists
    assert list(variable_shapes(graph)) == ["hidden/weights:0", "hidden/biases:0"]
    first_value, again_value = run_in_session(graph, [first, again])
    np.testing.assert_array_equal(first_value, again_value)


def test_normalizer_fn_replaces_the_biases():
    graph = tf.Graph()
    with graph.as_default():
        layers.fully_connected(tf.ones([4, 3]), 2, normalizer_fn=layers.batch_norm,
                               normalizer_params={"scale": True})
        layers.conv2d(tf.ones([1, 4, 4, 1]), 2, 3, normalizer_fn=layers.batch_norm)
    assert list(variable_shapes(graph)) == [
        "fully_connected/weights:0", "fully_connected/BatchNorm/beta:0",
        "fully_connected/BatchNorm/gamma:0", "fully_connected/BatchNorm/moving_mean:0",
        "fully_connected/BatchNorm/moving_variance:0",
        "Conv/weights:0", "Conv/BatchNorm/beta:0", "Conv/BatchNorm/moving_mean:0",
        "Conv/BatchNorm/moving_variance:0"]


def test_regularizer_collections_and_trainable_arguments():
    graph = tf.Graph()
    with graph.as_default():
        output = layers.fully_connected(
            tf.ones([2, 3]), 2, trainable=False, outputs_collections="outputs", scope="frozen",
            weights_regularizer=layers.l2_regularizer(0.5),
            variables_collections={"weights": [tf.GraphKeys.WEIGHTS], "biases": ["my_biases"]})
        assert tf.trainable_variables() == []
        assert [v.name for v in tf.get_collection(tf.GraphKeys.MODEL_VARIABLES)] == [
            "frozen/weights:0", "frozen/biases:0"]
        assert [v.name for v in tf.get_collection(tf.GraphKeys.WEIGHTS)] == ["frozen/weights:0"]
        assert [v.name for v in tf.get_collection("my_biases")] == ["frozen/biases:0"]
        assert tf.get_collection("outputs") == [output]
        losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
        weights = tf.get_collection(tf.GraphKeys.WEIGHTS)[0]
    assert output.aliases == ["frozen"]
    assert len(losses) == 1
    penalty, weight_values = run_in_session(graph, [losses[0], weights])
    assert penalty == pytest.approx(0.5 * np.sum(weight_values ** 2) / 2, rel=1e-5)


# --- pooling, flatten, dropout, one_hot_encoding --------------------------------------------------

def test_pools_default_to_stride_two_and_valid_padding():
    graph = tf.Graph()
    images = RANDOM.randn(2, 7, 7, 3).astype(np.float32)
    with graph.as_default():
        pooled = {(pool, padding): getattr(layers, pool)(tf.constant(images), [2, 2], **arguments)
                  for pool in ("max_pool2d", "avg_pool2d")
                  for padding, arguments in (("VALID", {}), ("SAME", {"padding": "SAME"}))}
    for (pool, padding), output in pooled.items():  # 7 -> (7 - 2) // 2 + 1 = 3 or ceil(7 / 2) = 4
        size = 3 if padding == "VALID" else 4
        assert output.shape.as_list() == [2, size, size, 3], (pool, padding)
    np.testing.assert_array_equal(run_in_session(graph, pooled["max_pool2d", "VALID"]),
                                  numpy_max_pool_valid(images, 2, 2))
    assert pooled["max_pool2d", "VALID"].op.name == "MaxPool2D/MaxPool"


def test_flatten_keeps_the_batch_dimension_and_one_hot_encodes():
    graph = tf.Graph()
    images = RANDOM.randn(2, 3, 3, 2).astype(np.float32)
    with graph.as_default():
        inputs = tf.placeholder(tf.float32, [None, 3, 3, 2])
        flat = layers.flatten(inputs)
        encoded = layers.one_hot_encoding(tf.constant([2, 0], tf.int32), 3, on_value=5.0)
    assert flat.shape.as_list() == [None, 18]
    with tf.Session(graph=graph) as session:
        flat_value, encoded_value = session.run([flat, encoded], {inputs: images})
    np.testing.assert_array_equal(flat_value, images.reshape(2, 18))
    np.testing.assert_array_equal(encoded_value, [[0, 0, 5], [5, 0, 0]])


def test_dropout_keeps_half_by_default_and_nothing_changes_when_not_training():
    graph = tf.Graph()
    with graph.as_default():
        is_training = tf.placeholder(tf.bool, [])
        dropped = layers.dropout(tf.ones([100, 100]), is_training=is_training, seed=1)
        default = layers.dropout(tf.ones([100, 100]), seed=2)  # is_training=True by default
    with tf.Session(graph=graph) as session:
        training_values, default_values = session.run([dropped, default], {is_training: True})
        inference_values = session.run(dropped, {is_training: False})
    np.testing.assert_array_equal(inference_values, np.ones((100, 100)))
    for values in (training_values, default_values):
        assert set(np.unique(values)) == {0.0, 2.0}  # kept units scaled by 1 / keep_prob
        assert 0.45 < np.mean(values == 0.0) < 0.55


# --- regularizers -----------------------------------------------------------------------------------

WEIGHTS = np.array([[1.0, -2.0], [0.5, -3.0]], np.float32)


def test_regularizer_values():
    expected = {
        "l1": 0.1 * np.abs(WEIGHTS).sum(),
        "l2": 0.1 * (WEIGHTS ** 2).sum() / 2,
        "l1_l2": 0.1 * np.abs(WEIGHTS).sum() + 0.2 * (WEIGHTS ** 2).sum() / 2,
        "sum": 0.3 * np.abs(WEIGHTS).sum(),
    }
    graph = tf.Graph()
    with graph.as_default():
        weights = tf.constant(WEIGHTS)
        penalties = {
            "l1": layers.l1_regularizer(0.1)(weights),
            "l2": layers.l2_regularizer(0.1)(weights),
            "l1_l2": layers.l1_l2_regularizer(0.1, 0.2)(weights),
            "sum": layers.sum_regularizer([layers.l1_regularizer(0.3), None])(weights),
        }
    for name, value in run_in_session(graph, penalties).items():
        assert value == pytest.approx(expected[name], rel=1e-6), name


def test_zero_scale_disables_and_bad_scales_are_rejected():
    assert layers.l1_regularizer(0.0)(tf.constant(WEIGHTS)) is None
    with pytest.raises(ValueError, match="scale=1;.*integer"):
        layers.l1_regularizer(1)
    with pytest.raises(ValueError, match="scale=-0.5"):
        layers.l1_regularizer(-0.5)
    with pytest.raises(ValueError, match="scale_l2=2"):
        layers.l1_l2_regularizer(0.1, 2)


def test_apply_regularization_sums_and_registers():
    graph = tf.Graph()
    with graph.as_default():
        first = tf.constant(WEIGHTS)
        second = tf.constant([4.0, -1.0])
        penalty = layers.apply_regularization(layers.l1_regularizer(0.5), [first, second])
        assert tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES) == [penalty]
        with pytest.raises(ValueError, match="WEIGHTS collection"):
            layers.apply_regularization(layers.l1_regularizer(0.5))  # nothing in WEIGHTS
        layers.fully_connected(tf.ones([1, 2]), 2, scope="fc",
                               variables_collections={"weights": [tf.GraphKeys.WEIGHTS]})
        from_collection = layers.apply_regularization(layers.l1_regularizer(0.5))
        fc_weights = tf.get_collection(tf.GraphKeys.WEIGHTS)[0]
    penalty_value, collection_value, fc_values = run_in_session(graph, [penalty, from_collection, fc_weights])
    assert penalty_value == pytest.approx(0.5 * (np.abs(WEIGHTS).sum() + 5.0))
    assert collection_value == pytest.approx(0.5 * np.abs(fc_values).sum(), rel=1e-6)


# --- arg_scope -------------------------------------------------------------------------------------

def test_arg_scope_overrides_defaults_and_the_call_wins():
    graph = tf.Graph()
    with graph.as_default():
        inputs = tf.constant(-np.ones([1, 4, 4, 1], np.float32))
        with arg_scope([layers.conv2d, layers.fully_connected], activation_fn=None,
                       weights_initializer=tf.constant_initializer(1.0)):
            with arg_scope([layers.conv2d], padding="VALID") as saved:
                valid = layers.conv2d(inputs, 1, 3)
                same = layers.conv2d(inputs, 1, 3, padding="SAME")  # the call's own argument wins
            linear = layers.fully_connected(tf.constant([[-1.0, -2.0]]), 1)
        relu = layers.fully_connected(tf.constant([[-1.0, -2.0]]), 1)  # defaults again
        with arg_scope(saved):
            reentered = layers.conv2d(inputs, 1, 3)
    assert valid.shape.as_list() == [1, 2, 2, 1] and same.shape.as_list() == [1, 4, 4, 1]
    assert reentered.shape.as_list() == [1, 2, 2, 1] and reentered.op.type == "BiasAdd"
    # Outside the scope the default activation is back: a Relu op on the layer's own BiasAdd
    # (a value >= 0 alone cannot tell: a layer without the ReLU may well output a positive number).
    assert linear.op.type == "BiasAdd"
    assert relu.op.type == "Relu" and relu.op.name == "fully_connected_1/Relu"
    assert relu.op.inputs[0].op.type == "BiasAdd" and relu.op.inputs[0].op.name == "fully_connected_1/BiasAdd"
    valid_value, linear_value, relu_value, before_relu = run_in_session(
        graph, [valid, linear, relu, relu.op.inputs[0]])
    np.testing.assert_array_equal(valid_value, np.full([1, 2, 2, 1], -9.0))
    assert linear_value[0, 0] == -3.0
    np.testing.assert_array_equal(relu_value, np.maximum(before_relu, 0.0))


def test_arg_scope_rejects_undecorated_functions_and_decorates_user_functions():
    assert tf.contrib.framework.has_arg_scope(layers.batch_norm)
    assert "activation_fn" in tf.contrib.framework.arg_scoped_arguments(layers.fully_connected)
    with pytest.raises(ValueError, match="relu6.*add_arg_scope"):
        with arg_scope([tf.nn.relu6], name="x"):
            pass
    with pytest.raises(TypeError, match="list_ops_or_scope"):
        with arg_scope(layers.conv2d, padding="VALID"):
            pass
    assert tf.contrib.framework.current_arg_scope() == {}

    @tf.contrib.framework.add_arg_scope
    def scaled(value, factor=1.0):
        return value * factor

    with arg_scope([scaled], factor=3.0):
        assert scaled(2.0) == 6.0 and scaled(2.0, factor=0.5) == 1.0
    assert scaled(2.0) == 2.0


# --- wrong arguments and missing names ----------------------------------------------------------------

WRONG_ARGUMENTS = [
    (lambda x: layers.fully_connected(x, 2.5), "num_outputs=2.5"),
    (lambda x: layers.max_pool2d(tf.reshape(x, [1, 2, 2, 1]), 2, data_format="NCWH"),
     "data_format='NCWH'"),
    (lambda x: layers.batch_norm(x, data_format="HWC"), "data_format='HWC'"),
    (lambda x: layers.conv2d(x, 2, 3), "rank 2; expected rank 4"),
    (lambda x: layers.flatten(tf.reshape(x, [4])), r"shape \(4,\); expected a known rank >= 2"),
]


def test_wrong_argument_raises_value_error_naming_it():
    with tf.Graph().as_default():
        for call, argument in WRONG_ARGUMENTS:
            with pytest.raises(ValueError, match=argument):
                call(tf.ones([2, 2]))
