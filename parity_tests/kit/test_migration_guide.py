"""The claims of docs/MIGRATION.md, one test each: real TF1 behaviour next to real Keras 3.

TF1 code runs inside `tf.Graph().as_default()` and a `tf.compat.v1` session
(`import legacy_tf1.compat as tf`); Keras runs eagerly in the same process.
Each test names the guide's row it backs and fails if that row is wrong.
Models and tensors are small so the whole module stays fast.
"""

import math

import keras
import numpy as np
import pytest
import tensorflow

import legacy_tf1.compat as tf
from legacy_tf1.compat import estimator
from legacy_tf1.compat.examples.tutorials.mnist import input_data
from legacy_tf1.models import core_convnet as legacy_core_convnet
from legacy_tf1.models import lenet5 as legacy_lenet5
from legacy_tf1.models import softmax_regression as legacy_softmax_regression
from mnist_core import batches, recipes, training_data
from tf1_to_keras.harness import closeness, tolerances
from mnist_parity import proof_checks, registry
from modern_keras import callbacks, optimizers, training
from modern_keras.models import core_convnet, lenet5, softmax_regression
from optimizer_runs import keras_weights_per_step, tf1_weights_per_step

FEATURES, CLASSES = 4, 2  # the tiny linear model of the Estimator and hook tests


def small_problem(count=12, seed=0):
    """float32 inputs [count, FEATURES] and int32 labels a linear model can learn."""
    x = np.random.RandomState(seed).randn(count, FEATURES).astype(np.float32)
    return x, (x[:, 0] + x[:, 1] > 0).astype(np.int32)


def linear_model_fn(features, labels, mode):
    """A zero-initialized softmax regression model_fn in TF1 style, SGD 0.5."""
    weights = tf.get_variable("weights", [FEATURES, CLASSES], initializer=tf.zeros_initializer())
    bias = tf.get_variable("bias", [CLASSES], initializer=tf.zeros_initializer())
    logits = tf.matmul(features["x"], weights) + bias
    predictions = {"classes": tf.argmax(logits, 1),
                   "probabilities": tf.nn.softmax(logits, name="softmax_tensor")}
    if mode == estimator.ModeKeys.PREDICT:
        return estimator.EstimatorSpec(mode, predictions=predictions)
    loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    train_op = tf.train.GradientDescentOptimizer(0.5).minimize(
        loss, global_step=tf.train.get_global_step())
    return estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


def linear_keras_model(optimizer=None):
    """The Keras twin of linear_model_fn, compiled as the kit compiles (no XLA)."""
    model = keras.Sequential([keras.Input((FEATURES,)), keras.layers.Dense(
        CLASSES, kernel_initializer="zeros", bias_initializer="zeros")])
    model.compile(optimizer=optimizer or keras.optimizers.SGD(0.5),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), jit_compile=False)
    return model


def make_estimator(model_dir, model_fn=linear_model_fn):
    return estimator.Estimator(model_fn, model_dir=str(model_dir),
                               config=estimator.RunConfig(tf_random_seed=0))


def fixed_batches(x, y, batch_size):
    """A Dataset of ({"x": x}, y) batches in order: the same batches on both sides."""
    return tensorflow.data.Dataset.from_tensor_slices(({"x": x}, y)).batch(batch_size)


class IterationCounter(tf.train.SessionRunHook):
    """Counts session runs (before_run), so other hooks can tell which iteration it is."""

    def __init__(self):
        self.iterations = 0

    def before_run(self, run_context):
        self.iterations += 1


# --- Optimizer: Adam epsilon and betas -----------------------------------------------------------

def test_adam_epsilon_defaults_and_the_twins_epsilon():
    assert tf.train.AdamOptimizer(1e-4)._epsilon == 1e-8  # TF1's default
    assert keras.optimizers.Adam(1e-4).epsilon == 1e-7  # Keras 3's default: set it
    for key in ("deep_cnn", "core_convnet"):
        optimizer = training.make_optimizer(recipes.get_recipe(key))
        assert optimizer.epsilon == 1e-8
        assert (optimizer.beta_1, optimizer.beta_2) == (float(np.float32(0.9)), float(np.float32(0.999)))


def adam_weights_tf1(initial, inputs, labels, learning_rate):
    """Weights after each TF1 AdamOptimizer step on a dense softmax model."""
    return tf1_weights_per_step(lambda: tf.train.AdamOptimizer(learning_rate), inputs, labels, initial)


def adam_weights_keras(initial, inputs, labels, learning_rate, adam=keras.optimizers.Adam,
                       **adam_arguments):
    """Weights after each Keras Adam step on the same model from the same weights."""
    return keras_weights_per_step(adam(learning_rate, **adam_arguments), inputs, labels, initial)


def largest_difference(first, second):
    return max(float(np.max(np.abs(a - b))) for a, b in zip(first, second))


def test_float32_betas_make_keras_adam_do_tf1_arithmetic():
    random = np.random.RandomState(0)
    inputs = random.rand(3, 32, 20).astype(np.float32)
    labels = np.eye(5, dtype=np.float32)[random.randint(0, 5, (3, 32))]
    initial = [(random.randn(20, 5) * 0.1).astype(np.float32), np.zeros(5, np.float32)]
    tf1_steps = adam_weights_tf1(initial, inputs, labels, 0.01)
    float32_betas = dict(beta_1=training.TF1_ADAM_BETA_1, beta_2=training.TF1_ADAM_BETA_2)
    matched = adam_weights_keras(initial, inputs, labels, 0.01, epsilon=1e-8, **float32_betas)
    plain = adam_weights_keras(initial, inputs, labels, 0.01, epsilon=1e-8)
    default_epsilon = adam_weights_keras(initial, inputs, labels, 0.01, **float32_betas)
    # FusedAdam runs TF1's kernel, which computes 1 - beta in float32 itself: plain betas do.
    fused_plain = adam_weights_keras(initial, inputs, labels, 0.01, adam=optimizers.FusedAdam,
                                     epsilon=1e-8)
    # The first two updates (what steps 2 and 3 compute their loss on) are bitwise equal.
    assert largest_difference(matched[0], tf1_steps[0]) == 0.0
    assert largest_difference(matched[1], tf1_steps[1]) == 0.0
    # From update 3 TF1's beta powers (a float32 product per step) and Keras' pow() may
    # round apart by an ulp; the trajectories stay together.
    assert largest_difference(matched[2], tf1_steps[2]) < 1e-6
    assert largest_difference(fused_plain[0], tf1_steps[0]) == 0.0
    assert largest_difference(fused_plain[1], tf1_steps[1]) == 0.0
    assert largest_difference(fused_plain[2], tf1_steps[2]) < 1e-6
    assert largest_difference(plain[0], tf1_steps[0]) > 0.0  # 1 - 0.999 in float64
    assert largest_difference(default_epsilon[0], tf1_steps[0]) > 0.0  # epsilon 1e-7


def loss_differences(**options):
    """|TF1 - Keras| deep_cnn loss over 10 steps (proof_checks.check_training_steps)."""
    result = proof_checks.check_training_steps("deep_cnn", steps=10, **options)
    return np.abs(np.subtract(result.tf1_losses, result.keras_losses))


def test_deep_cnn_adam_losses_with_plain_and_float32_betas(monkeypatch):
    fused = loss_differences()  # the kit's default: FusedAdam
    unfused_matched = loss_differences(fused_optimizer=False)
    monkeypatch.setattr(training, "TF1_ADAM_BETA_1", 0.9)
    monkeypatch.setattr(training, "TF1_ADAM_BETA_2", 0.999)
    unfused_plain = loss_differences(fused_optimizer=False)
    fused_plain = loss_differences()
    for name, matched in [("FusedAdam", fused), ("Adam, float32 betas", unfused_matched),
                          ("FusedAdam, plain betas", fused_plain)]:
        assert matched[:3].tolist() == [0.0, 0.0, 0.0], (name, matched)  # then within 3.3e-6
        assert matched.max() <= tolerances.EARLY_LOSS_ATOL, (name, matched)
    # Keras' own Adam with plain betas: measured 1.0e-5 at step 2.
    assert unfused_plain[0] == 0.0 and unfused_plain[1] > 1e-6, unfused_plain


# --- Dropout: keep_prob and rate -----------------------------------------------------------------

def kept_fraction(values):
    return float(np.mean(np.asarray(values) != 0.0))


def tf1_dropout(function):
    """Runs `function(ones)` in a TF1 graph on 200,000 ones; returns the output."""
    with tf.Graph().as_default():
        output = function(tf.ones([200_000]))
        with tf.Session() as session:
            return session.run(output)


def test_keep_prob_and_rate_positional_trap():
    ones = np.ones([200_000], np.float32)
    keep_90 = tf1_dropout(lambda x: tf.nn.dropout(x, 0.9))  # compat.v1: keep_prob
    rate_90 = tf1_dropout(lambda x: tf.nn.dropout(x, rate=0.9))  # compat.v1 with rate=
    layers_rate_40 = tf1_dropout(lambda x: tf.layers.dropout(x, rate=0.4, training=True))
    tf2_positional = tensorflow.nn.dropout(ones, 0.9)  # TF2: the second argument is the rate
    keras_layer = keras.layers.Dropout(0.9)(ones, training=True)
    assert kept_fraction(keep_90) == pytest.approx(0.9, abs=0.01)
    for dropped_90 in (rate_90, tf2_positional, keras_layer):
        assert kept_fraction(dropped_90) == pytest.approx(0.1, abs=0.01)
    assert kept_fraction(layers_rate_40) == pytest.approx(0.6, abs=0.01)
    # Kept units are scaled by 1 / keep probability on both sides.
    assert np.unique(keep_90[keep_90 != 0]) == pytest.approx([1 / 0.9])
    assert np.unique(np.asarray(keras_layer)[np.asarray(keras_layer) != 0]) == pytest.approx([10.0])


def test_keras_dropout_is_off_in_inference_and_twins_take_the_rate():
    ones = np.ones([1000], np.float32)
    np.testing.assert_array_equal(keras.layers.Dropout(0.5)(ones, training=False), ones)
    expected_rates = {"deep_cnn": 0.5, "layers_cnn": 0.4, "core_convnet": 0.2}  # 1 - keep_prob
    for key, rate in expected_rates.items():
        model = registry.keras_module(key).build_model()
        assert model.get_layer("dropout").rate == rate
        assert recipes.get_recipe(key).keep_probability == pytest.approx(1 - rate)


# --- Pooling: SAME and valid -----------------------------------------------------------------------

def tf1_pools(images):
    """(nn.max_pool SAME, tf.layers.max_pooling2d default) outputs of NHWC `images`."""
    with tf.Graph().as_default():
        inputs = tf.constant(images)
        same = tf.nn.max_pool(inputs, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
        layers_default = tf.layers.max_pooling2d(inputs, pool_size=[2, 2], strides=2)
        with tf.Session() as session:
            return session.run([same, layers_default])


@pytest.mark.parametrize("size, same_size, valid_size", [(7, 4, 3), (28, 14, 14)], ids=["odd", "even"])
def test_same_and_valid_pooling_shapes(size, same_size, valid_size):
    images = np.random.RandomState(0).randn(2, size, size, 3).astype(np.float32)
    tf1_same, tf1_layers = tf1_pools(images)
    keras_valid = np.asarray(keras.layers.MaxPooling2D(2, strides=2)(images))  # Keras default: valid
    keras_same = np.asarray(keras.layers.MaxPooling2D(2, strides=2, padding="same")(images))
    assert tf1_same.shape == keras_same.shape == (2, same_size, same_size, 3)
    assert tf1_layers.shape == keras_valid.shape == (2, valid_size, valid_size, 3)
    np.testing.assert_array_equal(keras_same, tf1_same)
    np.testing.assert_array_equal(keras_valid, tf1_layers)
    if size % 2 == 0:  # on even sizes the two paddings give the same values
        np.testing.assert_array_equal(keras_valid, tf1_same)


def test_twins_pooling_padding():
    expected = {"deep_cnn": "same", "core_convnet": "same", "layers_cnn": "valid", "lenet5": "valid"}
    for key, padding in expected.items():
        model = registry.keras_module(key).build_model()
        paddings = {layer.padding for layer in model.layers if isinstance(layer, keras.layers.MaxPooling2D)}
        assert paddings == {padding}, key


# --- Initializers ---------------------------------------------------------------------------------

def glorot_limit(shape):
    """sqrt(6 / (fan_in + fan_out)), fans counting the receptive field (Keras and TF1 alike)."""
    receptive_field = math.prod(shape[:-2]) if len(shape) > 2 else 1
    return math.sqrt(6.0 / (receptive_field * (shape[-2] + shape[-1])))


def assert_glorot_uniform(values, shape):
    limit = glorot_limit(shape)
    assert values.shape == tuple(shape)
    assert np.max(np.abs(values)) <= limit and np.max(np.abs(values)) > 0.98 * limit
    assert np.std(values) == pytest.approx(limit / math.sqrt(3.0), rel=0.03)


def test_default_initializers_tf_layers_contrib_and_keras():
    with tf.Graph().as_default():
        dense_layer = tf.layers.Dense(300)
        dense_layer(tf.placeholder(tf.float32, [None, 400]))
        conv_layer = tf.layers.Conv2D(64, [5, 5])
        conv_layer(tf.placeholder(tf.float32, [None, 28, 28, 32]))
        xavier = tf.get_variable("xavier", [5, 5, 32, 64],
                                 initializer=tf.contrib.layers.xavier_initializer())
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            tf1_values = session.run([dense_layer.kernel, dense_layer.bias, conv_layer.kernel,
                                      conv_layer.bias, xavier])
    keras_dense, keras_conv = keras.layers.Dense(300), keras.layers.Conv2D(64, 5)
    keras_dense.build((None, 400))
    keras_conv.build((None, 28, 28, 32))
    assert isinstance(keras_dense.kernel_initializer, keras.initializers.GlorotUniform)
    assert isinstance(keras_dense.bias_initializer, keras.initializers.Zeros)
    layer_weights = (tf1_values[0:2], tf1_values[2:4], keras_dense.get_weights(), keras_conv.get_weights())
    for kernel, bias in layer_weights:
        assert_glorot_uniform(kernel, kernel.shape)
        np.testing.assert_array_equal(bias, np.zeros_like(bias))
    assert_glorot_uniform(tf1_values[4], (5, 5, 32, 64))  # contrib xavier_initializer()
    assert_glorot_uniform(np.asarray(keras.initializers.GlorotUniform()((5, 5, 32, 64))), (5, 5, 32, 64))


def test_deep_cnn_truncated_normal_and_constant_match_keras():
    with tf.Graph().as_default():
        weights = tf.truncated_normal([3136, 1024], stddev=0.1)  # deep_cnn's weight_variable
        biases = tf.constant(0.1, shape=[1024])  # bias_variable
        with tf.Session() as session:
            tf1_weights, tf1_biases = session.run([weights, biases])
    keras_weights = np.asarray(keras.initializers.TruncatedNormal(stddev=0.1)((3136, 1024)))
    keras_biases = np.asarray(keras.initializers.Constant(0.1)((1024,)))
    for values in (tf1_weights, keras_weights):
        # Re-drawn beyond two deviations: stddev 0.1 * 0.8796, nothing beyond 0.2.
        assert np.max(np.abs(values)) <= 0.2
        assert np.std(values) == pytest.approx(0.08796, rel=0.01)
    np.testing.assert_array_equal(keras_biases, tf1_biases)


TWIN_INITIALIZERS = {  # key -> (kernel class, its config, bias class, its config)
    "softmax_regression": ("Zeros", {}, "Zeros", {}),
    "deep_cnn": ("TruncatedNormal", {"mean": 0.0, "stddev": 0.1}, "Constant", {"value": 0.1}),
    "layers_cnn": ("GlorotUniform", {}, "Zeros", {}),
    "lenet5": ("GlorotUniform", {}, "Zeros", {}),
    "core_convnet": ("GlorotUniform", {}, "Zeros", {}),
}


@pytest.mark.parametrize("key", recipes.MODEL_KEYS)
def test_twin_layers_carry_the_named_initializers(key):
    kernel_class, kernel_config, bias_class, bias_config = TWIN_INITIALIZERS[key]
    model = registry.keras_module(key).build_model()
    layers_with_weights = [layer for layer in model.layers if layer.weights]
    assert layers_with_weights
    for layer in layers_with_weights:
        for initializer, class_name, config in ((layer.kernel_initializer, kernel_class, kernel_config),
                                                (layer.bias_initializer, bias_class, bias_config)):
            assert type(initializer).__name__ == class_name, f"{key} {layer.name}"
            assert config.items() <= initializer.get_config().items(), f"{key} {layer.name}"


# --- Losses and labels ------------------------------------------------------------------------------

def tf1_losses(logits, labels, weights):
    """The TF1 losses of the programs, plus a weighted sparse one."""
    with tf.Graph().as_default():
        one_hot = tf.one_hot(labels, 10)
        losses = {
            "reduce_mean_softmax_cross_entropy_with_logits": tf.reduce_mean(
                tf.nn.softmax_cross_entropy_with_logits(labels=one_hot, logits=logits)),
            "reduce_mean_softmax_cross_entropy_with_logits_v2": tf.reduce_mean(
                tf.nn.softmax_cross_entropy_with_logits_v2(labels=one_hot, logits=logits)),
            "losses.sparse_softmax_cross_entropy": tf.losses.sparse_softmax_cross_entropy(labels, logits),
            "losses.softmax_cross_entropy": tf.losses.softmax_cross_entropy(one_hot, logits),
            "weighted": tf.losses.sparse_softmax_cross_entropy(labels, logits, weights=weights),
        }
        with tf.Session() as session:
            return session.run(losses)


def test_tf1_losses_equal_keras_losses():
    random = np.random.RandomState(0)
    logits = (random.randn(8, 10) * 3).astype(np.float32)
    labels = random.randint(0, 10, 8).astype(np.int32)
    weights = np.array([1, 0, 1, 1, 0, 1, 1, 1], np.float32)
    tf1 = tf1_losses(logits, labels, weights)
    one_hot = np.eye(10, dtype=np.float32)[labels]
    categorical = float(keras.losses.CategoricalCrossentropy(from_logits=True)(one_hot, logits))
    sparse = float(keras.losses.SparseCategoricalCrossentropy(from_logits=True)(labels, logits))
    assert abs(categorical - tf1["reduce_mean_softmax_cross_entropy_with_logits"]) <= 1e-6
    assert abs(categorical - tf1["reduce_mean_softmax_cross_entropy_with_logits_v2"]) <= 1e-6
    assert abs(categorical - tf1["losses.softmax_cross_entropy"]) <= 1e-6
    assert abs(sparse - tf1["losses.sparse_softmax_cross_entropy"]) <= 1e-6
    # Without from_logits Keras treats the logits as probabilities: a different number.
    assert abs(float(keras.losses.CategoricalCrossentropy()(one_hot, logits)) - categorical) > 0.1
    # SUM_BY_NONZERO_WEIGHTS divides by the 6 non-zero weights; Keras' default by all 8.
    def keras_weighted(**reduction):
        loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True, **reduction)
        return loss(labels, logits, sample_weight=weights)

    weighted_sum = float(np.sum(keras_weighted(reduction=None)))
    assert tf1["weighted"] == pytest.approx(weighted_sum / 6, rel=1e-6)
    assert float(keras_weighted()) == pytest.approx(weighted_sum / 8, rel=1e-6)
    weighted_mean = keras_weighted(reduction="mean_with_sample_weight")
    assert float(weighted_mean) == pytest.approx(tf1["weighted"], rel=1e-6)


@pytest.mark.parametrize("key, variant", [(key, variant) for key in recipes.MODEL_KEYS
                                          for variant in registry.legacy_variants(key)])
def test_label_format_picks_the_keras_loss(key, variant):
    recipe = recipes.get_recipe(key)
    with tf.Graph().as_default():
        labels = registry.legacy_module(key, variant).build_graph(recipe).labels
    one_hot = labels.shape.as_list() == [None, 10] and labels.dtype == tf.float32
    integer = labels.shape.as_list() == [None] and labels.dtype.is_integer
    assert one_hot != integer and recipe.one_hot_labels == one_hot
    expected = (keras.losses.CategoricalCrossentropy if one_hot
                else keras.losses.SparseCategoricalCrossentropy)
    loss = training.make_loss(recipe)
    assert type(loss) is expected and loss.from_logits


# --- Input: next_batch, tf.data, initializable iterators --------------------------------------------

def test_make_dataset_follows_next_batch_order():
    train = input_data.read_data_sets(None, one_hot=True, seed=3).train
    tf1_batches = [train.next_batch(50) for _ in range(3)]
    data = training_data.load_training_data(recipes.DEEP_CNN)
    order = batches.batch_order(len(data.train_images), 50, 3, seed=3)
    dataset = training.make_dataset(data.train_images, data.train_labels, order)
    for (tf1_images, tf1_labels), (keras_images, keras_labels) in zip(
            tf1_batches, dataset.as_numpy_iterator(), strict=True):
        np.testing.assert_array_equal(keras_labels, tf1_labels)
        np.testing.assert_allclose(keras_images, tf1_images, atol=1e-7)


def test_initializable_iterator_and_dataset_in_fit_train_alike():
    x, y = small_problem(count=10)
    one_hot = np.eye(CLASSES, dtype=np.float32)[y]
    with tf.Graph().as_default():  # core_convnet's pipeline: placeholders + initializable iterator
        x_data, y_data = tf.placeholder(tf.float32, x.shape), tf.placeholder(tf.float32, one_hot.shape)
        dataset = tf.data.Dataset.from_tensor_slices((x_data, y_data)).repeat().batch(4)
        iterator = dataset.make_initializable_iterator()
        next_batch = iterator.get_next()
        images = tf.placeholder(tf.float32, [None, FEATURES])
        labels = tf.placeholder(tf.float32, [None, CLASSES])
        weights, bias = tf.Variable(tf.zeros([FEATURES, CLASSES])), tf.Variable(tf.zeros([CLASSES]))
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(
            logits=tf.matmul(images, weights) + bias, labels=labels))
        train_op = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            session.run(iterator.initializer, feed_dict={x_data: x, y_data: one_hot})
            for _ in range(5):  # 20 examples: the batches cross the epoch boundary
                batch_x, batch_y = session.run(next_batch)
                session.run(train_op, {images: batch_x, labels: batch_y})
            tf1_weights = session.run([weights, bias])
    model = linear_keras_model()
    model.compile(optimizer=keras.optimizers.SGD(0.5), jit_compile=False,
                  loss=keras.losses.CategoricalCrossentropy(from_logits=True))
    dataset = tensorflow.data.Dataset.from_tensor_slices((x, one_hot)).repeat().batch(4)
    model.fit(dataset, steps_per_epoch=5, epochs=1, shuffle=False, verbose=0)
    assert int(model.optimizer.iterations) == 5
    assert largest_difference(model.get_weights(), tf1_weights) <= 1e-6


def test_interactive_session_run_equals_keras_sgd_steps():
    data = training_data.load_training_data(recipes.SOFTMAX_REGRESSION)
    with tf.Graph().as_default():
        endpoints = legacy_softmax_regression.build_graph()
        train_step = tf.train.GradientDescentOptimizer(0.5).minimize(endpoints.loss)
        session = tf.InteractiveSession()
        try:
            tf.global_variables_initializer().run()
            for step in range(3):
                batch = slice(100 * step, 100 * (step + 1))
                train_step.run(feed_dict={endpoints.images: data.train_images[batch],
                                          endpoints.labels: data.train_labels[batch]})
            tf1_weights = session.run(endpoints.variables["linear"])
        finally:
            session.close()
    model = training.compile_model(softmax_regression.build_model(), recipes.SOFTMAX_REGRESSION)
    for step in range(3):
        batch = slice(100 * step, 100 * (step + 1))
        model.train_on_batch(data.train_images[batch], data.train_labels[batch])
    assert largest_difference(model.get_weights(), tf1_weights) <= 1e-6
    assert np.max(np.abs(tf1_weights[0])) > 1e-3  # it trained


def test_optimize_loss_sgd_equals_keras_sgd():
    x, y = small_problem(count=8)
    with tf.Graph().as_default():
        features = tf.constant(x)
        weights = tf.get_variable("weights", [FEATURES, CLASSES], initializer=tf.zeros_initializer())
        bias = tf.get_variable("bias", [CLASSES], initializer=tf.zeros_initializer())
        loss = tf.losses.softmax_cross_entropy(tf.one_hot(y, CLASSES), tf.matmul(features, weights) + bias)
        global_step = tf.train.get_or_create_global_step()
        train_op = tf.contrib.layers.optimize_loss(loss, global_step, learning_rate=0.001, optimizer="SGD")
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            for _ in range(3):
                session.run(train_op)
            tf1_weights, tf1_step = session.run([[weights, bias], global_step])
    model = linear_keras_model(keras.optimizers.SGD(0.001))
    for _ in range(3):
        model.train_on_batch(x, y)
    assert tf1_step == int(model.optimizer.iterations) == 3
    assert largest_difference(model.get_weights(), tf1_weights) <= 1e-8
    assert np.max(np.abs(tf1_weights[0])) > 1e-4  # it trained


def test_fit_loss_log_is_a_running_mean_and_step_loss_is_per_step():
    x, y = small_problem(count=12)
    model = linear_keras_model()
    model.compile(optimizer=keras.optimizers.SGD(0.5), jit_compile=False,
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=[training.StepLoss(one_hot_labels=False)])
    logger = callbacks.LogEveryNSteps(every_n_steps=1, print_function=lambda line: None)
    model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0, callbacks=[logger])
    running = [record["loss"] for record in logger.records]
    per_step = [record["step_loss"] for record in logger.records]
    assert running[0] == pytest.approx(per_step[0], abs=1e-7)
    assert running[2] == pytest.approx(np.mean(per_step), abs=1e-6)  # equal batches: plain mean
    assert abs(running[2] - per_step[2]) > 1e-3


# --- Estimator: train, evaluate, predict; global step and checkpoints ---------------------------------

@pytest.fixture(scope="module")
def trained_lenet5(tmp_path_factory):
    """A lenet5 Estimator trained 3 steps of 100 (tf.estimator, as the program runs)."""
    data = training_data.load_training_data(recipes.LENET5)
    model = make_estimator(tmp_path_factory.mktemp("lenet5"), legacy_lenet5.lenet5_model_fn)
    model.train(estimator.inputs.numpy_input_fn({"x": data.train_images[:1000]}, data.train_labels[:1000],
                                                batch_size=100, num_epochs=None, shuffle=True), steps=3)
    return model, data.test_images[:200], data.test_labels[:200]


def lenet5_with_estimator_weights(model):
    """The Keras twin holding the Estimator's checkpoint, copied by layer name."""
    keras_model = lenet5.build_model()
    for name in ("conv2d", "conv2d_1", "dense", "dense_1", "dense_2"):
        keras_model.get_layer(name).set_weights(
            [model.get_variable_value(f"{name}/kernel"), model.get_variable_value(f"{name}/bias")])
    return keras_model


def test_estimator_predict_equals_keras_predict(trained_lenet5):
    model, images, _ = trained_lenet5
    predictions = list(model.predict(estimator.inputs.numpy_input_fn({"x": images}, shuffle=False)))
    keras_logits = lenet5_with_estimator_weights(model).predict(images, verbose=0)
    np.testing.assert_array_equal(np.argmax(keras_logits, axis=1), [p["classes"] for p in predictions])
    closeness.assert_close(np.asarray(keras.ops.softmax(keras_logits)),
                            np.stack([p["probabilities"] for p in predictions]),
                            name="lenet5 probabilities", atol=tolerances.FORWARD_ATOL)


def test_estimator_evaluate_equals_keras_evaluate_except_partial_batch_loss(trained_lenet5):
    model, images, labels = trained_lenet5
    # numpy_input_fn's default batch_size 128: batches of 128 and 72.
    tf1 = model.evaluate(estimator.inputs.numpy_input_fn({"x": images}, labels, shuffle=False))
    keras_model = lenet5_with_estimator_weights(model)
    keras_model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                        metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")],
                        jit_compile=False)
    keras_results = keras_model.evaluate(images, labels, batch_size=128, verbose=0, return_dict=True)
    assert keras_results["accuracy"] == pytest.approx(tf1["accuracy"], abs=1e-6)
    assert tf1["global_step"] == 3
    per_example = np.asarray(keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction=None)(
        labels, keras_model.predict(images, verbose=0)))
    # Estimator: mean of the per-batch means; Keras: mean over examples (weighted by batch size).
    assert tf1["loss"] == pytest.approx((per_example[:128].mean() + per_example[128:].mean()) / 2, rel=1e-5)
    assert keras_results["loss"] == pytest.approx(per_example.mean(), rel=1e-5)
    assert abs(tf1["loss"] - keras_results["loss"]) > 1e-5


def test_global_step_and_optimizer_iterations_count_and_resume(tmp_path):
    x, y = small_problem(count=12)
    model = make_estimator(tmp_path / "estimator")
    input_fn = estimator.inputs.numpy_input_fn({"x": x}, y, batch_size=4, num_epochs=None, shuffle=True)
    model.train(input_fn, steps=3)  # StopAtStepHook(num_steps=3) inside
    assert model.get_variable_value("global_step") == 3
    model.train(input_fn, steps=3)  # resumes from model_dir
    assert model.get_variable_value("global_step") == 6
    keras_model = linear_keras_model()
    dataset = tensorflow.data.Dataset.from_tensor_slices((x, y)).repeat().batch(4)
    keras_model.fit(dataset, steps_per_epoch=3, epochs=1, shuffle=False, verbose=0)
    assert int(keras_model.optimizer.iterations) == 3
    keras_model.save(tmp_path / "model.keras")  # Keras resumes only from what you save and load
    reloaded = keras.models.load_model(tmp_path / "model.keras")
    reloaded.fit(dataset, steps_per_epoch=3, epochs=1, shuffle=False, verbose=0)
    assert int(reloaded.optimizer.iterations) == 6


# --- Hooks and callbacks -----------------------------------------------------------------------------

def test_logging_tensor_hook_and_log_every_n_steps_log_the_same_steps(tmp_path):
    x, y = small_problem(count=600)
    counter, tf1_logs = IterationCounter(), []

    def record(values):  # LoggingTensorHook's formatter: called each time the hook logs
        tf1_logs.append((counter.iterations - 1, values["probabilities"]))
        return "probabilities logged"

    hook = tf.train.LoggingTensorHook({"probabilities": "softmax_tensor"}, every_n_iter=50,
                                      formatter=record)
    make_estimator(tmp_path).train(lambda: fixed_batches(x, y, 5), steps=120, hooks=[counter, hook])
    logger = callbacks.LogEveryNSteps(every_n_steps=50, batch_images=lambda step: x[5 * step:5 * step + 5],
                                      print_function=lambda line: None)
    linear_keras_model().fit(x, y, batch_size=5, shuffle=False, verbose=0, callbacks=[logger])
    assert counter.iterations == 120
    assert [step for step, _ in tf1_logs] == [record["step"] for record in logger.records] == [0, 50, 100]
    for (step, tf1_probabilities), keras_record in zip(tf1_logs, logger.records):
        closeness.assert_close(keras_record["probabilities"], tf1_probabilities,
                                name="logged probabilities", atol=1e-5, step=step)


def test_log_every_n_steps_rejects_a_zero_interval():
    with pytest.raises(ValueError, match="every_n_steps=0"):
        callbacks.LogEveryNSteps(every_n_steps=0)


def test_nan_tensor_hook_and_terminate_on_nan_stop_at_the_nan_step(tmp_path):
    x, y = small_problem(count=24)
    x[8:12] = np.nan  # the third batch of 4
    counter = IterationCounter()
    with pytest.raises(tf.train.NanLossDuringTrainingError):  # Estimator: NanTensorHook raises
        make_estimator(tmp_path).train(lambda: fixed_batches(x, y, 4), steps=6, hooks=[counter])
    assert counter.iterations == 3

    def keras_steps(extra_callbacks):
        logger = callbacks.LogEveryNSteps(every_n_steps=1, print_function=lambda line: None)
        linear_keras_model().fit(x, y, batch_size=4, shuffle=False, verbose=0,
                                 callbacks=[logger, *extra_callbacks])
        return [record["loss"] for record in logger.records]

    stopped = keras_steps([keras.callbacks.TerminateOnNaN()])  # Keras stops without raising
    assert len(stopped) == 3 and math.isnan(stopped[-1])
    assert len(keras_steps([])) == 6


# --- Metrics ---------------------------------------------------------------------------------------

def test_streaming_accuracy_equals_keras_accuracy_metrics():
    random = np.random.RandomState(1)
    batches_of_logits = [random.randn(size, 10).astype(np.float32) for size in (5, 7, 4)]
    batches_of_labels = [random.randint(0, 10, len(logits)) for logits in batches_of_logits]
    with tf.Graph().as_default():
        labels, logits = tf.placeholder(tf.int64, [None]), tf.placeholder(tf.float32, [None, 10])
        accuracy, update_op = tf.metrics.accuracy(labels=labels, predictions=tf.argmax(logits, 1))
        with tf.Session() as session:
            session.run(tf.local_variables_initializer())  # the metric's total and count
            for batch_logits, batch_labels in zip(batches_of_logits, batches_of_labels):
                session.run(update_op, {logits: batch_logits, labels: batch_labels})
            tf1_accuracy = session.run(accuracy)
            session.run(tf.local_variables_initializer())
            tf1_after_reset = session.run(accuracy)
    metrics = {"sparse": keras.metrics.SparseCategoricalAccuracy(),
               "one_hot": keras.metrics.CategoricalAccuracy(), "classes": keras.metrics.Accuracy()}
    for batch_logits, batch_labels in zip(batches_of_logits, batches_of_labels):
        metrics["sparse"].update_state(batch_labels, batch_logits)
        metrics["one_hot"].update_state(np.eye(10)[batch_labels], batch_logits)
        metrics["classes"].update_state(batch_labels, np.argmax(batch_logits, axis=1))
    correct = [np.argmax(batch_logits, 1) == batch_labels
               for batch_logits, batch_labels in zip(batches_of_logits, batches_of_labels)]
    assert tf1_accuracy == pytest.approx(np.concatenate(correct).mean(), abs=1e-7)  # over every example
    assert tf1_accuracy != pytest.approx(np.mean([batch.mean() for batch in correct]), abs=1e-3)
    for name, metric in metrics.items():
        assert float(metric.result()) == pytest.approx(tf1_accuracy, abs=1e-7), name
        metric.reset_state()  # the twin of re-running local_variables_initializer()
        assert float(metric.result()) == tf1_after_reset == 0.0, name


# --- Saving -------------------------------------------------------------------------------------------

def test_keras_3_save_paths_and_weights_round_trip(tmp_path):
    model = lenet5.build_model()
    with pytest.raises(ValueError, match=r"\.weights\.h5"):
        model.save_weights(tmp_path / "model.h5")
    with pytest.raises(ValueError, match=r"\.keras"):
        model.save(tmp_path / "model")
    model.save_weights(tmp_path / "model.weights.h5")
    fresh = lenet5.build_model()
    fresh.load_weights(tmp_path / "model.weights.h5")
    assert largest_difference(fresh.get_weights(), model.get_weights()) == 0.0


CORE_CONVNET_CHECKPOINT_NAMES = {"c1": "1", "c2": "2", "c3": "3", "c4": "4", "d1": "5", "out": "6"}


def test_saver_checkpoint_loads_into_the_keras_twin_by_name(tmp_path):
    images = training_data.load_training_data(recipes.CORE_CONVNET).test_images[:50]
    with tf.Graph().as_default():
        endpoints = legacy_core_convnet.build_graph(seed=0)
        saver = tf.train.Saver()
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            checkpoint = saver.save(session, str(tmp_path / "model.ckpt"))
            tf1_logits = session.run(endpoints.logits, endpoints.feed(images))
    model = core_convnet.build_model()
    for layer, number in CORE_CONVNET_CHECKPOINT_NAMES.items():
        model.get_layer(layer).set_weights([tf.train.load_variable(checkpoint, f"W{number}"),
                                            tf.train.load_variable(checkpoint, f"B{number}")])
    closeness.assert_close(model.predict(images, verbose=0), tf1_logits, name="core_convnet logits",
                            atol=tolerances.FORWARD_ATOL, rtol=tolerances.FORWARD_RTOL)


# --- Compilation and seeds ---------------------------------------------------------------------------

def test_jit_compile_auto_and_xla_changing_results():
    auto = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    auto.compile(loss="mse")  # jit_compile="auto": XLA where a GPU is present
    assert auto.jit_compile == bool(tensorflow.config.list_physical_devices("GPU"))
    images = training_data.load_training_data(recipes.LENET5).test_images[:200]
    with proof_checks.harness_models("lenet5") as (tf1, twin):
        proof_checks.load_tf1_weights(twin, tf1.variables(), tf1.variable_layers())
        model = training.compile_model(twin.model, recipes.LENET5)
        assert model.jit_compile is False  # training.compile_model sets it
        graph_kernels = training.predict_logits(model, images)
        closeness.assert_close(graph_kernels, tf1.predict(images), name="lenet5 logits",
                                atol=tolerances.FORWARD_ATOL, rtol=tolerances.FORWARD_RTOL)
        model.compile(loss="mse", jit_compile=True)
        assert closeness.max_abs_diff(training.predict_logits(model, images), graph_kernels) > 0.0


def test_seeds_repeat_within_a_framework_not_across():
    def tf1_kernels():
        with tf.Graph().as_default():
            tf.set_random_seed(0)  # op seeds derive from it: get_variable and tf.layers alike
            kernel = tf.get_variable("kernel", [20, 10], initializer=tf.glorot_uniform_initializer())
            layer = tf.layers.Dense(10)
            layer(tf.placeholder(tf.float32, [None, 20]))
            with tf.Session() as session:
                session.run(tf.global_variables_initializer())
                return session.run([kernel, layer.kernel])

    def keras_kernel():
        keras.utils.set_random_seed(0)
        layer = keras.layers.Dense(10)
        layer.build((None, 20))
        return layer.get_weights()[0]

    np.testing.assert_array_equal(tf1_kernels(), tf1_kernels())
    np.testing.assert_array_equal(keras_kernel(), keras_kernel())
    for tf1_kernel in tf1_kernels():
        assert not np.allclose(tf1_kernel, keras_kernel())  # so copy weights by name instead
