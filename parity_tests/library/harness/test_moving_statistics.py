"""Batch norm's moving statistics after the training-step check's steps (harness/moving_statistics.py).

TF1's fused batch norm (slim's and tf.layers' default) moves its moving variance towards the batch
variance times n / (n - 1), its unfused one (slim `fused=False`, tf.nn.moments) towards the
uncorrected one, as Keras' BatchNormalization does; measured first here in TF1 graphs. A slim net
with a batch norm on a fully-connected layer (n = the batch, 16: a 6.7% correction) is then
checked (the moving statistics are judged after step 1): the port's BatchNormalizationTF1 agrees,
plain BatchNormalization is refused naming the layer and the variable; an unfused net agrees with
plain BatchNormalization and refuses BatchNormalizationTF1. Through check_training_steps: `slow`
(~5 s of CPU, Keras traces its train step twice); the comparison alone runs by default.
"""

import keras
import numpy as np
import pytest

import legacy_tf1.compat as tf
from tf1_to_keras import harness
from tf1_to_keras.harness import moving_statistics, tolerances
from tf1_to_keras.porting.constructs.batch_norm import BatchNormalizationTF1

IMAGE, CHANNELS, FILTERS, UNITS, CLASSES, BATCH = 6, 2, 4, 8, 3, 16
SLIM_NAMES = harness.NameMap(rules=[(r"^(\w+)/BatchNorm/(\w+)$", r"\1_BatchNorm/\2")])


def one_update(fused, x):
    """TF1's moving variance after one slim batch-norm update at decay 0 (= the batch's variance)."""
    with tf.Graph().as_default():
        inputs = tf.placeholder(tf.float32, [None, *x.shape[1:]])
        normed = tf.contrib.slim.batch_norm(inputs, decay=0.0, is_training=True, fused=fused, scope="bn")
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            session.run([normed, tf.get_collection(tf.GraphKeys.UPDATE_OPS)], {inputs: x})
            kinds = {op.type for op in tf.get_default_graph().get_operations()}
            return session.run(tf.global_variables("bn/moving_variance")[0]), "FusedBatchNormV3" in kinds


def test_tf1_fused_batch_norm_moves_the_variance_with_bessels_correction_unfused_and_keras_without():
    x = np.random.RandomState(0).normal(1.0, 2.0, (4, 3, 3, 2)).astype(np.float32)
    n, biased = 4 * 3 * 3, x.reshape(-1, 2).var(axis=0)
    (fused, was_fused), (unfused, was_unfused) = one_update(True, x), one_update(False, x)
    assert was_fused and not was_unfused
    np.testing.assert_allclose(fused, biased * n / (n - 1), rtol=1e-6)
    np.testing.assert_allclose(unfused, biased, rtol=1e-6)
    plain, corrected = keras.layers.BatchNormalization(momentum=0.0), BatchNormalizationTF1(momentum=0.0)
    plain_outputs, corrected_outputs = plain(x, training=True), corrected(x, training=True)
    np.testing.assert_allclose(plain.moving_variance.numpy(), unfused, rtol=1e-6)
    np.testing.assert_allclose(corrected.moving_variance.numpy(), fused, rtol=1e-6)
    np.testing.assert_array_equal(np.asarray(corrected_outputs), np.asarray(plain_outputs))  # normalizing: Keras'


def slim_builder(fused):
    def build():
        slim = tf.contrib.slim
        x = tf.placeholder(tf.float32, [None, IMAGE, IMAGE, CHANNELS], name="images")
        y = tf.placeholder(tf.int64, [None], name="labels")
        training = tf.placeholder_with_default(False, [], name="is_training")
        with slim.arg_scope([slim.conv2d, slim.fully_connected], normalizer_fn=slim.batch_norm,
                            normalizer_params={"is_training": training, "decay": 0.9, "fused": fused}):
            net = slim.conv2d(x, FILTERS, [3, 3], scope="conv1")
            net = slim.fully_connected(slim.flatten(net), UNITS, scope="fc2")
            logits = slim.fully_connected(net, CLASSES, activation_fn=None, normalizer_fn=None, scope="logits")
        loss = tf.losses.sparse_softmax_cross_entropy(labels=y, logits=logits)
        return {"inputs": x, "outputs": logits, "labels": y, "loss": loss,
                "training_feed": {training: True}, "inference_feed": {training: False}}
    return build


def keras_port(batch_norm_class):
    def norm(scope):
        return batch_norm_class(momentum=0.9, epsilon=0.001, scale=False, name=f"{scope}_BatchNorm")
    return keras.Sequential([
        keras.Input((IMAGE, IMAGE, CHANNELS)),
        keras.layers.Conv2D(FILTERS, 3, padding="same", use_bias=False, name="conv1"), norm("conv1"),
        keras.layers.ReLU(name="conv1_Relu"), keras.layers.Flatten(name="flatten"),
        keras.layers.Dense(UNITS, use_bias=False, name="fc2"), norm("fc2"), keras.layers.ReLU(name="fc2_Relu"),
        keras.layers.Dense(CLASSES, name="logits")], name="slim_net")


def steps(tf1, batch_norm_class, count=3):
    """check_training_steps' result over `count` steps (its moving statistics judged after step 1)."""
    random = np.random.RandomState(1)
    x = random.uniform(size=(128, IMAGE, IMAGE, CHANNELS)).astype(np.float32)
    y = random.randint(0, CLASSES, 128).astype(np.int64)
    keras_side = harness.KerasModel(lambda: keras_port(batch_norm_class), seed=0)
    return harness.check_training_steps(
        tf1, keras_side, harness.make_batches(x, y, BATCH, count, seed=0), lambda: tf.train.AdamOptimizer(0.01),
        lambda: harness.keras_adam_like_tf1(0.01), keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        name_map=SLIM_NAMES)


@pytest.fixture(scope="module")
def fused_tf1():
    with harness.TF1Model.from_builder(slim_builder(None), seed=0) as model:  # slim's default: fused
        yield model


@pytest.mark.slow  # two training runs on each side: ~5 s of CPU
def test_the_ports_batch_norm_agrees_with_tf1s_fused_one_after_the_steps(fused_tf1):
    result = steps(fused_tf1, BatchNormalizationTF1)
    assert result.passed, result.failures
    compared = result.moving_statistics
    assert set(compared) == {f"{layer}_BatchNorm/{variable}" for layer in ("conv1", "fc2")
                             for variable in ("moving_mean", "moving_variance")}
    assert all(comparison.passed for comparison in compared.values())


@pytest.mark.parametrize("batch_norm_class, refused", [(BatchNormalizationTF1, []), (
    keras.layers.BatchNormalization, ["fc2_BatchNorm/moving_variance"])], ids=["corrected", "plain-refused"])
def test_one_moving_average_update_is_compared_naming_the_layer_and_variable(fused_tf1, batch_norm_class, refused):
    """The comparison alone (no Keras training loop: the default run's cost): TF1 steps at learning
    rate 0, so only its moving averages move; Keras' layers update theirs in one training-mode call."""
    keras_side = harness.KerasModel(lambda: keras_port(batch_norm_class), seed=0)
    fused_tf1.reset()
    mapping = SLIM_NAMES.resolve(fused_tf1.variables(), keras_side.weights(), fused_tf1.variable_layers(),
                                 fused_tf1.skipped())
    keras_side.assign(mapping.convert(fused_tf1.variables()))
    x = np.random.RandomState(2).uniform(size=(BATCH, IMAGE, IMAGE, CHANNELS)).astype(np.float32)
    fused_tf1.train_steps([(x, np.zeros(BATCH, np.int64))], lambda: tf.train.GradientDescentOptimizer(0.0))
    keras_side.model(x, training=True)
    compared = moving_statistics.compare(mapping, fused_tf1, keras_side, when="after step 1")
    assert len(compared) == 4 and [path for path, comparison in compared.items() if not comparison.passed] == refused
    if refused:
        assert moving_statistics.failures(compared)[0].startswith(
            "training steps: layer 'fc2_BatchNorm' moving_variance after step 1 (TF1 fc2/BatchNorm/moving_variance): "
            "max abs diff")


@pytest.mark.slow  # two training runs on each side: ~5 s of CPU
def test_plain_batch_normalization_against_a_fused_net_is_refused_on_the_moving_variance(fused_tf1):
    result = steps(fused_tf1, keras.layers.BatchNormalization, count=1)  # one step: the default run's cost
    assert not result.passed and result.first_failing_step is None  # the loss agrees
    assert [failure.split(": max abs diff")[0] for failure in result.failures] == [
        "training steps: layer 'fc2_BatchNorm' moving_variance after step 1 (TF1 fc2/BatchNorm/moving_variance)"]
    compared = result.moving_statistics
    gap = compared["fc2_BatchNorm/moving_variance"]
    assert gap.max_abs_diff > 10 * (tolerances.MOVING_STATISTICS_ATOL + tolerances.MOVING_STATISTICS_RTOL)
    assert compared["fc2_BatchNorm/moving_mean"].passed  # the mean has no correction
    assert compared["conv1_BatchNorm/moving_variance"].passed  # n = 16 x 6 x 6: a correction within the bar


@pytest.mark.slow
def test_an_unfused_net_agrees_with_plain_batch_normalization_and_refuses_the_corrected_one():
    with harness.TF1Model.from_builder(slim_builder(False), seed=0) as unfused_tf1:
        result, corrected = steps(unfused_tf1, keras.layers.BatchNormalization), steps(
            unfused_tf1, BatchNormalizationTF1)
    assert result.passed and len(result.moving_statistics) == 4, result.failures
    assert [failure.split(": max abs diff")[0] for failure in corrected.failures] == [
        "training steps: layer 'fc2_BatchNorm' moving_variance after step 1 (TF1 fc2/BatchNorm/moving_variance)"]
