"""Construct: `tf.nn.local_response_normalization` (op `LRN`, CifarNet's and AlexNet's norm1/norm2)
-> LocalResponseNormalization.

TF1: `x / (bias + alpha * sum(x[..., c - r : c + r + 1] ** 2)) ** beta` over the channel axis,
the window cut at the edges. Keras has no such layer, so the generated model.py carries
`LocalResponseNormalization`, this module's small registered layer (keras.ops only, no
weights).
"""

import re

import keras

from tf1_to_keras.porting import graph_ops, specs
from tf1_to_keras.porting.constructs import pattern
from tf1_to_keras.porting.recognition_context import clean_float


@keras.saving.register_keras_serializable(package="tf1_to_keras")
class LocalResponseNormalization(keras.layers.Layer):
    """Each channel divided by `(bias + alpha * the sum of squares of the 2 * depth_radius + 1
    channels around it) ** beta`, as TF1's tf.nn.local_response_normalization (last axis)."""

    def __init__(self, depth_radius=5, bias=1.0, alpha=1.0, beta=0.5, **kwargs):
        super().__init__(**kwargs)
        self.depth_radius, self.bias, self.alpha, self.beta = int(depth_radius), bias, alpha, beta

    def call(self, inputs):
        radius = self.depth_radius
        squares = keras.ops.square(inputs)
        padded = keras.ops.pad(squares, [[0, 0]] * (len(inputs.shape) - 1) + [[radius, radius]])
        channels = inputs.shape[-1]
        window = sum(padded[..., offset:offset + channels] for offset in range(2 * radius + 1))
        return inputs / keras.ops.power(self.bias + self.alpha * window, self.beta)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "depth_radius": self.depth_radius, "bias": self.bias,
                "alpha": self.alpha, "beta": self.beta}


def _name(context, op):
    """The op's own name when the program gave one (`tf.nn.lrn(..., name="norm1")`), else its scope's."""
    last = op.name.rpartition("/")[2]
    return graph_ops.short_scope(context, op.name) if re.fullmatch(r"LRN(_\d+)?", last) else last


@pattern(40, "its own op type: no other construct reads LRN")
def match_local_response_normalization(tensor, context):
    """LRN(x, depth_radius, bias, alpha, beta) -> LocalResponseNormalization(...)."""
    op = context.producer(tensor, "LRN")
    if op is None:
        return None
    config = {"depth_radius": int(op.get_attr("depth_radius"))}
    config.update({key: clean_float(op.get_attr(key)) for key in ("bias", "alpha", "beta")})
    return specs.LayerSpec(name=_name(context, op), keras_class="LocalResponseNormalization",
                           config=config, tf1_output=tensor.name), op.inputs[0]
