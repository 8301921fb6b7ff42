"""Construct: Gaussian noise added to a model tensor, `x + factor * tf.random_normal(tf.shape(x))`
(a denoising autoencoder's corrupted input) -> GaussianNoise(stddev = factor * the normal's stddev).

TF1's program adds the noise on every run it makes; Keras' GaussianNoise adds it in training
only. The forward check compares inference: the TF1 side runs with the noise's constant factors
fed 0 (`certification.noise_off_feed`), and the training-step check turns it off on both sides.
Only zero-mean noise of exactly x's shape is matched: a shifted or uniform noise is no GaussianNoise.
"""

from tf1_to_keras.porting import graph_ops, specs
from tf1_to_keras.porting.constructs import pattern
from tf1_to_keras.porting.recognition_context import clean_float


def _factor_and_noise(tensor, context):
    """(product of the constant factors, the tensor they scale) of `c1 * (c2 * ... noise)`."""
    factor = 1.0
    while (mul := context.producer(tensor, "Mul")) is not None:
        constants = [context.constant_value(each) for each in mul.inputs]
        sides = [(value, other) for value, other in zip(constants, reversed(mul.inputs))
                 if value is not None and value.size == 1]
        if len(sides) != 1:
            break
        factor *= float(sides[0][0].flat[0])
        tensor = sides[0][1]
    return factor, tensor


def _normal_of_shape(tensor, x, context):
    """The stddev of `tensor` when it is tf.random_normal(tf.shape(x), 0, stddev), else None."""
    shifted = context.producer(tensor, "Add", "AddV2")
    if shifted is not None:  # random_normal's `* stddev + mean`
        means = [context.constant_value(each) for each in shifted.inputs]
        if means[1] is None or means[1].size != 1 or float(means[1].flat[0]) != 0.0:
            return None
        tensor = shifted.inputs[0]
    stddev, normal = _factor_and_noise(tensor, context)
    draw = context.producer(normal, "RandomStandardNormal")
    shape = draw is not None and context.producer(draw.inputs[0], "Shape")
    return stddev if shape and shape.inputs[0].name == x.name else None


@pattern(45, "before merge's Add: x plus noise drawn in x's shape is one layer, not two inputs")
def match_gaussian_noise(tensor, context):
    """x + c * random_normal(shape(x)) -> GaussianNoise(c * stddev)."""
    add = context.producer(tensor, "Add", "AddV2")
    if add is None:
        return None
    for x, noise in ((add.inputs[0], add.inputs[1]), (add.inputs[1], add.inputs[0])):
        factor, scaled = _factor_and_noise(noise, context)
        stddev = context.on_path(x) and _normal_of_shape(scaled, x, context)
        if stddev:
            config = {"stddev": clean_float(abs(factor * stddev))}
            return specs.LayerSpec(name=graph_ops.short_scope(context, add.name), keras_class="GaussianNoise",
                                   config=config, tf1_output=tensor.name, notes=[
                                       "TF1 adds the noise on every run, Keras' GaussianNoise in training only: "
                                       "the forward check compares inference (the noise's factors fed 0)"]), x
    return None
