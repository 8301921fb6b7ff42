"""The Keras side's fused-kernel optimizers (modern_keras/optimizers.py).

They must be Keras' Adam and SGD in every way but the kernel: the same updates as
TF1's optimizers and as Keras' own, the same fallbacks, and the same `.keras` round
trip. That they are faster is a benchmark figure (`mnist-parity benchmark
--keras-optimizer keras`, docs/PERFORMANCE.md), not a test; here the graph is checked
for the fused kernel that makes it so.
"""

import keras
import numpy as np
import pytest
import tensorflow

import legacy_tf1.compat as tf
from mnist_core import batches, recipes, training_data
from mnist_parity import sides
from modern_keras import keras_files, optimizers, training
from optimizer_runs import keras_weights_per_step, tf1_weights_per_step

LEARNING_RATE = 0.01
STEPS = 5


def dense_problem(seed=0):
    """STEPS batches of a 20 -> 5 softmax regression and its initial weights."""
    random = np.random.RandomState(seed)
    images = random.rand(STEPS, 32, 20).astype(np.float32)
    labels = np.eye(5, dtype=np.float32)[random.randint(0, 5, (STEPS, 32))]
    initial = [(random.randn(20, 5) * 0.1).astype(np.float32), np.zeros(5, np.float32)]
    return images, labels, initial


def largest_difference(first_steps, second_steps):
    """max |a - b| over every step's weights."""
    return max(float(np.max(np.abs(a - b)))
               for first, second in zip(first_steps, second_steps) for a, b in zip(first, second))


def adam(optimizer_class, **arguments):
    return optimizer_class(LEARNING_RATE, beta_1=training.TF1_ADAM_BETA_1,
                           beta_2=training.TF1_ADAM_BETA_2, epsilon=1e-8, **arguments)


def test_fused_sgd_is_tf1_gradient_descent_and_keras_sgd_bitwise():
    problem = dense_problem()
    fused = keras_weights_per_step(optimizers.FusedSGD(LEARNING_RATE), *problem)
    own = keras_weights_per_step(keras.optimizers.SGD(LEARNING_RATE), *problem)
    tf1 = tf1_weights_per_step(lambda: tf.train.GradientDescentOptimizer(LEARNING_RATE), *problem)
    assert largest_difference(fused, tf1) == 0.0
    assert largest_difference(fused, own) == 0.0
    assert largest_difference(fused, [problem[2]] * STEPS) > 0.0  # it trained


def test_fused_adam_is_keras_adam_and_tf1_adam():
    problem = dense_problem()
    fused = keras_weights_per_step(adam(optimizers.FusedAdam), *problem)
    own = keras_weights_per_step(adam(keras.optimizers.Adam), *problem)
    tf1 = tf1_weights_per_step(lambda: tf.train.AdamOptimizer(LEARNING_RATE), *problem)
    # Keras' Adam with float32 betas and the fused kernel do the same float32 arithmetic.
    assert largest_difference(fused, own) == 0.0
    # TF1 keeps beta^t as a running product, Keras calls pow(): an ulp apart from t = 3
    # (docs/MIGRATION.md, "Adam betas"); the first two updates are bitwise equal.
    assert largest_difference(fused[:2], tf1[:2]) == 0.0
    assert largest_difference(fused, tf1) < 1e-6


@pytest.mark.parametrize("fused, own", [
    (lambda: adam(optimizers.FusedAdam, amsgrad=True), lambda: adam(keras.optimizers.Adam, amsgrad=True)),
    (lambda: optimizers.FusedSGD(LEARNING_RATE, momentum=0.9),
     lambda: keras.optimizers.SGD(LEARNING_RATE, momentum=0.9)),
], ids=["adam-amsgrad", "sgd-momentum"])
def test_what_the_kernels_do_not_cover_falls_back_to_keras(fused, own):
    problem = dense_problem()
    assert largest_difference(keras_weights_per_step(fused(), *problem),
                              keras_weights_per_step(own(), *problem)) == 0.0


@pytest.mark.parametrize("optimizer_class", [optimizers.FusedAdam, optimizers.FusedSGD])
def test_sparse_gradients_fall_back_to_keras(optimizer_class):
    """An Embedding's gradient is IndexedSlices, which the dense kernels cannot take."""
    embedding = keras.layers.Embedding(10, 4)
    embedding.build((None,))
    fused = optimizer_class(LEARNING_RATE)
    with tensorflow.GradientTape() as tape:
        loss = tensorflow.reduce_sum(embedding(tensorflow.constant([1, 3])) ** 2)
    gradient = tape.gradient(loss, embedding.trainable_variables)
    assert isinstance(gradient[0], tensorflow.IndexedSlices)
    before = embedding.get_weights()[0]
    fused.apply(gradient, embedding.trainable_variables)
    after = embedding.get_weights()[0]
    changed_rows = np.flatnonzero(np.any(after != before, axis=1)).tolist()
    assert changed_rows == [1, 3]


@pytest.mark.parametrize("optimizer_class, fused_kernel, unfused_op", [
    (optimizers.FusedAdam, "ResourceApplyAdam", "Sqrt"),
    (optimizers.FusedSGD, "ResourceApplyGradientDescent", "AssignSubVariableOp"),
])
def test_the_update_is_one_fused_kernel_per_variable(optimizer_class, fused_kernel, unfused_op):
    variables = [tensorflow.Variable(tensorflow.ones([3, 2])), tensorflow.Variable(tensorflow.ones([2]))]
    optimizer = optimizer_class(LEARNING_RATE)
    optimizer.build(variables)
    update = tensorflow.function(lambda: optimizer.apply([tensorflow.ones([3, 2]), tensorflow.ones([2])],
                                                         variables))
    op_types = [op.type for op in update.get_concrete_function().graph.get_operations()]
    assert op_types.count(fused_kernel) == 2, op_types
    assert unfused_op not in op_types, op_types


def test_the_kits_keras_optimizers_are_the_fused_ones_unless_asked():
    for key, fused_class, own_class in [("deep_cnn", optimizers.FusedAdam, keras.optimizers.Adam),
                                        ("layers_cnn", optimizers.FusedSGD, keras.optimizers.SGD)]:
        recipe = recipes.get_recipe(key)
        assert type(training.make_optimizer(recipe)) is fused_class
        assert type(training.make_optimizer(recipe, fused=False)) is own_class


def test_a_keras_file_keeps_the_fused_optimizer_and_its_state(tmp_path):
    problem = dense_problem()
    model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(5)])
    model.compile(optimizer=adam(optimizers.FusedAdam),
                  loss=keras.losses.CategoricalCrossentropy(from_logits=True), jit_compile=False)
    model.train_on_batch(problem[0][0], problem[1][0])
    path = tmp_path / "model.keras"
    model.save(path)
    reloaded = keras_files.load_keras_model(path)
    assert type(reloaded.optimizer) is optimizers.FusedAdam
    assert reloaded.optimizer.get_config() == model.optimizer.get_config()
    for saved, loaded in zip(model.optimizer.variables, reloaded.optimizer.variables):
        np.testing.assert_array_equal(np.asarray(loaded), np.asarray(saved))


def test_each_update_waits_for_the_gradient_before_it():
    """Ordering only (optimizers.after_previous_gradient): values pass through unchanged."""
    captured = {}

    @tensorflow.function
    def order(first, second, third):
        gradients = [first * 2.0, second * 3.0, third * 4.0]
        ordered = optimizers.after_previous_gradient(gradients)
        captured["pairs"] = [(previous.op, gradient.op) for previous, gradient
                             in zip(gradients, ordered[1:])]
        return ordered

    values = order(tensorflow.constant(1.0), tensorflow.constant(1.0), tensorflow.constant(1.0))
    assert [float(value) for value in values] == [2.0, 3.0, 4.0]
    for previous, waiting in captured["pairs"]:
        assert waiting.type == "Identity" and previous in waiting.control_inputs


def test_fused_and_keras_adam_train_deep_cnn_bitwise_alike():
    """On a real model and real batches the fused kernel changes no number, so figures
    measured with Keras' own Adam (results/reproduce) hold for the kit's default."""
    recipe = recipes.DEEP_CNN
    data = training_data.load_training_data(recipe)
    order = batches.batch_order(len(data.train_images), recipe.batch_size, 10, seed=0)
    runs = {}
    for fused in (True, False):
        with sides.KerasSide("deep_cnn", seed=0, dropout=False, steps_per_execution=1,
                             fused_optimizer=fused) as side:
            history = side.train(data.train_images, data.train_labels, order)
            runs[fused] = history.losses, side.weights()
    assert runs[True][0] == runs[False][0]
    for name, arrays in runs[True][1].items():
        for fused_array, keras_array in zip(arrays, runs[False][1][name]):
            np.testing.assert_array_equal(fused_array, keras_array, err_msg=name)
