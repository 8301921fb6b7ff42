"""Where the harness's models and data come from, and what it refuses: a TF1 model
restored from a Saver checkpoint, the kit's GraphEndpoints taken as they are, and bad
input (a builder that raises or returns the wrong things, a Keras model that is not one
or does not take the data, NaN or non-numeric data) as a ValueError naming it."""

import keras
import numpy as np
import pytest

import harness_twins as twins
import legacy_tf1.compat as tf
from mnist_core import recipes
from tf1_to_keras import harness
from mnist_parity import registry
from tf1_to_keras.harness import data, errors


@pytest.fixture(scope="module")
def classifier_tf1():
    with harness.TF1Model.from_builder(twins.build_classifier, seed=0) as model:
        yield model


def save_trained_classifier(directory, steps=3):
    """Trains build_classifier a few steps with Adam and a global_step, saves it; the prefix."""
    x, y = twins.classification_data()
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(0)
        endpoints = twins.build_classifier()
        step = tf.train.get_or_create_global_step()
        train_op = tf.train.AdamOptimizer(0.01).minimize(endpoints["loss"], global_step=step)
        saver = tf.train.Saver()
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            for _ in range(steps):
                session.run(train_op, {endpoints["inputs"]: x[:32], endpoints["labels"]: y[:32]})
            return saver.save(session, str(directory / "model.ckpt"), global_step=step)


def test_a_checkpoint_and_its_meta_graph_forward_check_against_keras(tmp_path):
    prefix = save_trained_classifier(tmp_path)
    names = {"inputs": "x:0", "outputs": "logits/BiasAdd:0", "labels": "y", "layers": {"hidden": "hidden/Relu:0"}}
    with harness.TF1Model.from_checkpoint(prefix, **names) as tf1:
        assert list(tf1.variables()) == ["hidden/kernel", "hidden/bias", "logits/kernel", "logits/bias"]
        assert {name for name, _ in tf1.skipped()} == {
            "global_step", "beta1_power", "beta2_power", "hidden/kernel/Adam", "hidden/kernel/Adam_1",
            "hidden/bias/Adam", "hidden/bias/Adam_1", "logits/kernel/Adam", "logits/kernel/Adam_1",
            "logits/bias/Adam", "logits/bias/Adam_1"}
        keras_side = harness.KerasModel(twins.keras_classifier, seed=0)
        result = harness.assert_forward(tf1, keras_side, twins.classification_data()[0])
        assert set(result.to_json()["forward_layers"]) == {"hidden"}
        assert len(result.mapping.skipped) == 11
    # An Estimator-style model_dir: its latest checkpoint.
    with harness.TF1Model.from_checkpoint(tmp_path, **names) as restored:
        assert restored.description.startswith(f"checkpoint {prefix}")


def test_checkpoint_mistakes_are_model_errors_naming_them(tmp_path):
    with pytest.raises(errors.ModelError, match="no .*model.index"):
        harness.TF1Model.from_checkpoint(tmp_path / "model", inputs="x:0", outputs="y:0")
    with pytest.raises(errors.ModelError, match="no checkpoint in it"):
        harness.TF1Model.from_checkpoint(tmp_path, inputs="x:0", outputs="y:0")
    prefix = save_trained_classifier(tmp_path, steps=1)
    with pytest.raises(errors.ModelError, match=r"outputs 'logits:0' is not a tensor of the meta graph "
                                                r"\(its placeholders: \['x:0', 'y:0'\]\)"):
        harness.TF1Model.from_checkpoint(prefix, inputs="x:0", outputs="logits")
    (tmp_path / "broken.meta").write_bytes(b"not a meta graph")
    with pytest.raises(errors.ModelError, match="cannot restore it"):
        harness.TF1Model.from_checkpoint(prefix, inputs="x:0", outputs="y:0", meta_graph=tmp_path / "broken.meta")


@pytest.mark.parametrize("key, variant", [("softmax_regression", "softmax_regression"),
                                          ("deep_cnn", "deep_cnn"), ("lenet5", "lenet5")])
def test_the_kits_graph_endpoints_are_taken_as_they_are(key, variant):
    recipe = recipes.get_recipe(key)
    build = registry.legacy_module(key, variant).build_graph
    with harness.TF1Model.from_builder(lambda: build(recipe, seed=0)) as tf1:
        keras_side = harness.KerasModel(lambda: registry.keras_module(key).build_model(recipe), seed=0)
        images = np.random.RandomState(0).uniform(size=(8, *tf1.input_shape())).astype(np.float32)
        harness.assert_structure(tf1, keras_side)
        result = harness.assert_forward(tf1, keras_side, images)
    assert len(result.layers) >= 1 and result.forward_max_abs_diff <= 1e-5


class SubclassedClassifier(keras.Model):
    """The classifier as a subclassed model: no symbolic graph, so no per-layer taps."""

    def __init__(self):
        super().__init__(name="subclassed")
        self.hidden = keras.layers.Dense(16, activation="relu", name="hidden")
        self.logits = keras.layers.Dense(twins.CLASSES, name="logits")

    def call(self, inputs):
        return self.logits(self.hidden(inputs))


def test_a_subclassed_keras_model_is_compared_on_its_outputs(classifier_tf1):
    model = SubclassedClassifier()
    model(np.zeros((1, twins.FEATURES), np.float32))  # builds it
    keras_side = harness.KerasModel(model)
    assert list(keras_side.weights()) == ["hidden/kernel", "hidden/bias", "logits/kernel", "logits/bias"]
    harness.assert_structure(classifier_tf1, keras_side)
    result = harness.assert_forward(classifier_tf1, keras_side, twins.classification_data()[0])
    assert result.layers == {} and result.outputs.passed


# --- bad input ------------------------------------------------------------------------------------

def builder_returning(value_of):
    def build():
        x = tf.placeholder(tf.float32, [None, 2], name="x")
        return value_of(x, tf.layers.dense(x, 1, name="dense"))
    return build


def raising_builder():
    raise KeyError("hidden_units")


@pytest.mark.parametrize("build, expected", [
    (raising_builder, "TF1 builder 'raising_builder' raised KeyError: 'hidden_units'"),
    (builder_returning(lambda x, y: {"inputs": x}), "'outputs' is missing; expected a tf.Tensor"),
    (builder_returning(lambda x, y: {"inputs": x, "outputs": np.zeros(2)}), "'outputs' is ndarray"),
    (builder_returning(lambda x, y: [x, y]), "returned a list; expected a tuple (inputs, outputs) of tf.Tensors, "
                                             "or a dict with 'inputs' and 'outputs'"),
    (builder_returning(lambda x, y: (x, y, y)), "TF1 builder 'build' returned a tuple of 3 "),
    (builder_returning(lambda x, y: (x, np.zeros(2))), "ndarray); expected a tuple (inputs, outputs)"),
    (builder_returning(lambda x, y: ({"x": x, "n": 1}, y)), "returned a tuple of 2 (dict, "),
    (builder_returning(lambda x, y: {"inputs": x, "outputs": y, "logits": y}), "unknown key(s) ['logits']"),
    (builder_returning(lambda x, y: {"inputs": x, "outputs": y, "loss": y}),
     "'loss' (dense/BiasAdd:0) has shape (None, 1); expected a scalar"),
    (builder_returning(lambda x, y: {"inputs": x, "outputs": y, "layers": [y]}), "'layers' is a list"),
], ids=["raises", "missing-outputs", "not-a-tensor", "a-list", "tuple-of-3", "tuple-not-tensors",
        "tuple-inputs-not-tensors", "unknown-key", "loss-not-scalar", "layers-list"])
def test_a_builder_that_raises_or_returns_the_wrong_things_is_a_model_error(build, expected):
    with pytest.raises(errors.ModelError) as caught:
        harness.TF1Model.from_builder(build)
    assert isinstance(caught.value, ValueError) and expected in str(caught.value)


@pytest.mark.parametrize("model, expected", [
    (lambda: 1 / 0, "Keras model function '<lambda>' raised ZeroDivisionError"),
    (lambda: "a model", "returned a str; expected a keras.Model"),
    (lambda: keras.Sequential([keras.layers.Dense(2)]), "is not built; start it with keras.Input(shape)"),
    (42, "Keras side 42; expected a keras.Model"),
], ids=["raises", "not-a-model", "not-built", "not-callable"])
def test_a_keras_side_that_is_not_a_built_model_is_a_model_error(model, expected):
    with pytest.raises(errors.ModelError) as caught:
        harness.KerasModel(model)
    assert expected in str(caught.value)


@pytest.mark.parametrize("x, expected", [
    (np.zeros((4, 7), np.float32), "examples of shape (7,) (x shape (4, 7), dtype float32); the model takes (N, 5)"),
    (np.full((4, 5), np.nan, np.float32), "holds 20 NaN and 0 infinite value(s); expected finite numbers"),
    (np.array([["a"] * 5] * 4), "dtype <U1; expected floating point or integer numbers"),
    (np.zeros((0, 5), np.float32), "expected a non-empty batch"),
], ids=["input-shape", "nan", "strings", "empty"])
def test_data_the_models_cannot_take_is_a_data_error_naming_it(classifier_tf1, x, expected):
    keras_side = harness.KerasModel(twins.keras_classifier, seed=0)
    with pytest.raises(errors.DataError) as caught:
        harness.check_forward(classifier_tf1, keras_side, x)
    assert expected in str(caught.value)


def test_data_of_different_lengths_and_bad_batches_are_data_errors():
    x, y = twins.classification_data()
    with pytest.raises(errors.DataError, match="x has 300 examples but y has 299"):
        harness.make_batches(x, y[:-1], batch_size=8, steps=2)
    with pytest.raises(errors.DataError, match=r"batches\[1\]: a ndarray; expected an \(x, y\) pair"):
        data.check_batches([(x, y), x])


def test_a_name_map_naming_a_missing_weight_is_raised_even_by_the_structure_check(classifier_tf1):
    keras_side = harness.KerasModel(twins.keras_classifier, seed=0)
    name_map = harness.NameMap(table={"hidden/kernel": "hiden/kernel"})
    for check in (harness.check_structure, harness.check_forward):
        with pytest.raises(harness.NameMapError, match="did you mean 'hidden/kernel'"):
            check(classifier_tf1, keras_side, *([twins.classification_data()[0]] if check is harness.check_forward
                                                else []), name_map=name_map)


def test_training_needs_a_loss_and_fresh_optimizers(classifier_tf1):
    x, y = twins.classification_data()
    batches = harness.make_batches(x, y, 16, 1)
    no_loss = harness.TF1Model.from_builder(builder_returning(lambda x, y: {"inputs": x, "outputs": y}))
    with no_loss, pytest.raises(errors.ModelError, match="training needs the builder's 'loss' and 'labels'"):
        no_loss.train_steps(batches, tf.train.GradientDescentOptimizer(0.1))
    keras_side = harness.KerasModel(twins.keras_classifier, seed=0)
    used = keras.optimizers.SGD(0.1)
    keras_side.train_steps(batches, used, "sparse_categorical_crossentropy")
    with pytest.raises(errors.ModelError, match="already took 1 steps; pass a function"):
        keras_side.train_steps(batches, used, "sparse_categorical_crossentropy")
    with pytest.raises(errors.ModelError, match="expected a tf.compat.v1.train.Optimizer"):
        classifier_tf1.train_steps(batches, lambda: keras.optimizers.SGD(0.1))
