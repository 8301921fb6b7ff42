"""constructs/elementwise_affine: `x * W + b` over raw variables of shape [n] or [1] ->
the generated model's own ElementwiseAffine layer (registered, serialisable, no Lambda)."""

import keras
import pytest

import legacy_tf1.compat as tf

from .construct_checks import (
    assert_forward_parity,
    generated_build,
    layer_classes,
    model_ends,
    normal,
    recognised_graph,
)


def _affine(scale_shape, offset_shape):
    def build():
        x = tf.placeholder(tf.float32, [None, 5], name="x")
        with tf.variable_scope("gain"):
            scale = tf.get_variable("W", scale_shape, initializer=tf.random_normal_initializer(seed=1))
            outputs = x * scale
            if offset_shape:
                outputs = tf.get_variable("b", offset_shape, initializer=tf.random_normal_initializer(seed=2)) + outputs
        return model_ends(x, outputs)
    return build


@pytest.mark.parametrize("scale_shape, offset_shape", [([5], [5]), ([1], None), ([1], [5])],
                         ids=["per-feature", "scalar-no-offset", "scalar-scale-per-feature-offset"])
def test_elementwise_weights_port_to_a_named_layer_class(scale_shape, offset_shape):
    tf1, recognised = recognised_graph(_affine(scale_shape, offset_shape))
    with tf1:
        assert layer_classes(recognised) == [("gain", "ElementwiseAffine"), ("head", "Dense")]
        assert recognised.layers[0].config == {"scale_shape": tuple(scale_shape),
                                               "offset_shape": offset_shape and tuple(offset_shape)}
        source = assert_forward_parity(tf1, recognised, normal(32, 5))
    assert "class ElementwiseAffine(keras.layers.Layer):" in source and "Lambda" not in source
    assert "@keras.saving.register_keras_serializable" in source


def test_the_generated_layer_round_trips_through_keras_serialisation(tmp_path):
    tf1, recognised = recognised_graph(_affine([5], [5]))
    with tf1:
        _, build = generated_build(recognised)
    model = build()
    model.save(tmp_path / "model.keras")
    loaded = keras.models.load_model(tmp_path / "model.keras")
    assert type(loaded.get_layer("gain")).__name__ == "ElementwiseAffine"
    x = normal(4, 5)
    assert (loaded.predict(x, verbose=0) == model.predict(x, verbose=0)).all()


def test_a_matrix_of_weights_is_not_elementwise():
    def build():
        x = tf.placeholder(tf.float32, [None, 5], name="x")
        return model_ends(x, x * tf.get_variable("W", [3, 5])[0:1])
    tf1, recognised = recognised_graph(build)
    with tf1:
        assert "ElementwiseAffine" not in [cls for _, cls in layer_classes(recognised)]
