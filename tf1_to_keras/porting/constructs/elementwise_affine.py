"""Construct: per-feature (or scalar) weights, `x * W + b` with W of shape [n] or [1] -> ElementwiseAffine.

Raw-variable TF1 programs scale and shift a tensor by hand (a learned temperature, a gain per
channel). Keras has no such layer, so the generated model.py carries `ElementwiseAffine`, this
module's small registered layer (keras.ops only). Either operand order; `+ b` optional; W and
b each of shape [1] or [n] (n: the last axis of x), or scalars when x is one number per example
(a placeholder without a shape: `tf.add(tf.multiply(X, W), b)`).
"""

import keras

from tf1_to_keras.porting import graph_ops, specs
from tf1_to_keras.porting.constructs import pattern


@keras.saving.register_keras_serializable(package="tf1_to_keras")
class ElementwiseAffine(keras.layers.Layer):
    """`inputs * scale + offset` over the last axis: a weight per feature (shape (n,)) or one
    for all of them (shape (1,)); no offset when `offset_shape` is None."""

    def __init__(self, scale_shape, offset_shape=None, **kwargs):
        super().__init__(**kwargs)
        self.scale_shape = tuple(scale_shape)
        self.offset_shape = None if offset_shape is None else tuple(offset_shape)

    def build(self, input_shape):
        self.scale = self.add_weight(name="scale", shape=self.scale_shape, initializer="ones")
        self.offset = None
        if self.offset_shape is not None:
            self.offset = self.add_weight(name="offset", shape=self.offset_shape, initializer="zeros")

    def call(self, inputs):
        outputs = keras.ops.multiply(inputs, self.scale)
        return outputs if self.offset is None else keras.ops.add(outputs, self.offset)

    def get_config(self):
        return {**super().get_config(), "scale_shape": self.scale_shape, "offset_shape": self.offset_shape}


def _feature_variable(tensor, context, features):
    """The variable behind `tensor` when it is of shape [1] or [features], else None."""
    variable = context.variable_of(tensor)
    shape = context.variable_shapes.get(variable) if variable else None
    if shape == () and features is None:  # a number times a number per example (no feature axis)
        return variable
    return variable if shape is not None and len(shape) == 1 and shape[0] in (1, features) else None


def _scaled(tensor, context):
    """(x, scale variable) of `x * W` with x a model tensor, else None."""
    op = context.producer(tensor, "Mul")
    if op is None:
        return None
    for data, weight in ((0, 1), (1, 0)):
        x = op.inputs[data]
        features = x.shape[-1] if x.shape.rank else None
        variable = _feature_variable(op.inputs[weight], context, features)
        if variable and context.on_path(x):
            return x, variable
    return None


def _shifted(tensor, context):
    """(x * W, offset variable) of `x * W + b`, else (tensor, None)."""
    op = context.producer(tensor, *graph_ops.ADDS)
    if op is None:
        return tensor, None
    for data, weight in ((0, 1), (1, 0)):
        scaled = _scaled(op.inputs[data], context)
        features = scaled[0].shape[-1] if scaled and scaled[0].shape.rank else None
        variable = scaled and _feature_variable(op.inputs[weight], context, features)
        if variable:
            return op.inputs[data], variable
    return tensor, None


@pattern(55, "before merges: `x * W` joins a model tensor and a variable, not two model tensors")
def match_elementwise_affine(tensor, context):
    """`x * W (+ b)`, W and b variables of shape [1] or [n] -> ElementwiseAffine."""
    product, offset = _shifted(tensor, context)
    scaled = _scaled(product, context)
    if scaled is None:
        return None
    x, scale = scaled
    config = {"scale_shape": context.variable_shapes[scale],
              "offset_shape": context.variable_shapes[offset] if offset else None}
    sources = [specs.WeightSource("scale", scale)] + ([specs.WeightSource("offset", offset)] if offset else [])
    name = graph_ops.layer_name(context, scale) or graph_ops.op_layer_name(context, product.op)
    return specs.LayerSpec(name=name, keras_class="ElementwiseAffine", config=config, weights=sources,
                           tf1_output=tensor.name), x
