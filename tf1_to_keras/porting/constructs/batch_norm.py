"""Construct: batch normalization (tf.layers, contrib, tf.nn.batch_normalization) -> BatchNormalization.

Graph forms: `FusedBatchNorm(V2/V3)` (tf.layers / contrib on 4-D inputs), alone or as the two
branches of a v1 `tf.cond` on a training switch (`training=` a tensor); either between two Reshapes (contrib's batch_norm on 2-D inputs, seen as [N, 1, 1, C]); and
`tf.nn.batch_normalization`'s arithmetic, `x * (rsqrt(var + eps) * gamma) + (beta - mean * ...)`
(tf.layers on 2-D inputs). Training graphs hold the batch moments; the moving averages and
the momentum are read from the update that assigns them (`assign_sub(var, (var - x) * decay)`).

A fused batch norm that trains (its batch moments feed those updates) becomes
`BatchNormalizationTF1`, this module's small registered layer: TF1's fused kernel moves the moving
variance towards the batch variance times n / (n - 1) (Bessel's correction, n the values per
channel), Keras' BatchNormalization towards the uncorrected one. The arithmetic form (unfused:
slim's `fused=False`, `tf.nn.moments` by hand) moves it uncorrected, as Keras: plain
BatchNormalization.
"""

import keras
import numpy as np

from tf1_to_keras.porting import specs
from tf1_to_keras.porting.constructs import pattern
from tf1_to_keras.porting.recognition_context import clean_float

_FUSED_BATCH_NORMS = ("FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3")
_ASSIGNS = ("Assign", "AssignSub", "AssignSubVariableOp", "AssignVariableOp")
_UPDATE_DEPTH = 6  # batch moment -> (Merge, Switch,) Sub, Mul -> AssignSub
BATCH_NORM_CLASSES = ("BatchNormalization", "BatchNormalizationTF1")
FUSED_NOTE = ("BatchNormalizationTF1: TF1's fused batch norm updates its moving variance with the "
              "batch variance times n / (n - 1), Keras' BatchNormalization without it.")


@keras.saving.register_keras_serializable(package="tf1_to_keras")
class BatchNormalizationTF1(keras.layers.BatchNormalization):
    """BatchNormalization whose training steps move `moving_variance` towards the batch variance
    times n / (n - 1) (n: the values per channel), as TF1's fused batch norm does; normalizing
    and inference are Keras'. A mask or renorm (neither from TF1) falls back to Keras' update."""

    def call(self, inputs, training=None, mask=None):
        if not (training and self.trainable) or mask is not None or self.renorm:
            return super().call(inputs, training=training, mask=mask)
        inputs = keras.ops.cast(inputs, keras.backend.result_type(inputs.dtype, "float32"))
        axes = [axis for axis in range(len(inputs.shape)) if axis != self.axis % len(inputs.shape)]
        mean, variance = keras.ops.moments(inputs, axes, synchronized=self.synchronized)
        count = keras.ops.cast(keras.ops.size(inputs) // inputs.shape[self.axis], variance.dtype)
        corrected = variance * count / keras.ops.maximum(count - 1.0, 1.0)  # TF1: n / max(n - 1, 1)
        for moving, batch in ((self.moving_mean, mean), (self.moving_variance, corrected)):
            batch = keras.ops.cast(batch, moving.dtype)
            moving.assign(moving * self.momentum + batch * (1.0 - self.momentum))
        outputs = keras.ops.batch_normalization(
            inputs, mean, variance, axis=self.axis, offset=self.beta if self.center else None,
            scale=self.gamma if self.scale else None, epsilon=self.epsilon)
        return keras.ops.cast(outputs, self.compute_dtype)


def is_batch_norm(layer):
    """Whether a LayerSpec is a batch norm (BatchNormalization or BatchNormalizationTF1)."""
    return layer.keras_class in BATCH_NORM_CLASSES


def model_notes(layers):
    """[FUSED_NOTE] when a layer is BatchNormalizationTF1 (port.json and model.py's docstring say
    why, once), else []."""
    return [FUSED_NOTE] if any(layer.keras_class == "BatchNormalizationTF1" for layer in layers) else []


def _moving_update(tensor, context):
    """(variable, momentum) of the moving-average assign fed by `tensor`, or (None, None)."""
    pending, seen = [(tensor, 0)], set()
    while pending:
        current, depth = pending.pop()
        for consumer in current.consumers():
            if consumer.name in seen or depth > _UPDATE_DEPTH:
                continue
            seen.add(consumer.name)
            if consumer.type in _ASSIGNS:
                return context.variable_of(consumer.inputs[0]), _momentum(consumer, context)
            pending.extend((output, depth + 1) for output in consumer.outputs)
    return None, None


def _momentum(assign, context):
    """1 - decay of `assign_sub(var, (var - value) * decay)`; None when not that form."""
    if assign.type not in ("AssignSub", "AssignSubVariableOp"):
        return None
    mul = context.producer(assign.inputs[1], "Mul")
    if mul is None:
        return None
    for side in mul.inputs:
        decay = context.constant_value(side)
        if decay is not None and decay.size == 1:
            return clean_float(np.float32(1.0) - np.float32(decay.flat[0]))
        momentum = _switched_momentum(side, context)
        if momentum is not None:
            return momentum
    return None


def _switched_momentum(decay, context):
    """The momentum in `1 - cond(training, momentum, 1.0)` (a tf_keras layer given a training
    tensor: no update outside training), else None."""
    sub = context.producer(decay, "Sub")
    merge = sub is not None and context.producer(sub.inputs[1], "Merge")
    one = sub is not None and context.constant_value(sub.inputs[0])
    if not merge or one is None or one is False or float(one) != 1.0:
        return None
    values = [context.constant_value(branch) for branch in merge.inputs]
    momenta = {float(value) for value in values if value is not None and float(value) != 1.0}
    return clean_float(momenta.pop()) if len(momenta) == 1 else None


def _moving(mean, variance, context):
    """(moving mean variable, moving variance variable, momentum): variables read directly
    (inference graphs) or the targets of the batch moments' updates (training graphs)."""
    if context.variable_of(mean) and context.variable_of(variance):
        return context.variable_of(mean), context.variable_of(variance), None
    (moving_mean, momentum), (moving_variance, _) = (_moving_update(mean, context),
                                                      _moving_update(variance, context))
    return moving_mean, moving_variance, momentum


def _name(context, variable):
    """The scope of its variables; contrib's and slim's "conv1/BatchNorm/..." -> "conv1_BatchNorm"
    (Keras 3 refuses "/" in a layer name: the scope's last two parts joined by "_")."""
    parent, _, last = context.scope_of(variable).rpartition("/")
    if last == "BatchNorm" and parent:
        return parent.rpartition("/")[2] + "_BatchNorm"
    return last


def _spec(tensor, context, variables, epsilon, momentum, keras_class="BatchNormalization"):
    """The batch norm LayerSpec from its (gamma, beta, mean, variance) variables."""
    gamma, beta, mean, _ = variables
    config, notes = {"epsilon": clean_float(epsilon)}, []
    if momentum is None:
        notes.append("momentum not found in the graph: Keras' default 0.99")
    else:
        config["momentum"] = momentum
    if gamma is None:
        config["scale"] = False
    if beta is None:
        config["center"] = False
    weights = [specs.WeightSource(slot, variable) for slot, variable in zip(
        ("gamma", "beta", "moving_mean", "moving_variance"), variables) if variable is not None]
    return specs.LayerSpec(name=_name(context, mean), keras_class=keras_class,
                           config=config, weights=weights, tf1_output=tensor.name, notes=notes)


@pattern(60, "before Dense/Conv2D and merges: nothing else reads FusedBatchNorm")
def match_fused_batch_norm(tensor, context):
    """FusedBatchNorm(x, gamma, beta, mean, variance) -> BatchNormalization; one in training mode
    (its moments update the moving averages) -> BatchNormalizationTF1."""
    op = context.producer(tensor, *_FUSED_BATCH_NORMS)
    if op is None or tensor.value_index != 0 or op.get_attr("data_format") not in (b"NHWC", "NHWC"):
        return None
    training = bool(op.get_attr("is_training"))
    if training:
        mean, variance, momentum = _moving(op.outputs[1], op.outputs[2], context)
    else:
        mean, variance, momentum = _moving(op.inputs[3], op.inputs[4], context)
    if mean is None or variance is None:
        return None
    variables = (context.variable_of(op.inputs[1]), context.variable_of(op.inputs[2]), mean, variance)
    keras_class = "BatchNormalizationTF1" if training else "BatchNormalization"
    return _spec(tensor, context, variables, op.get_attr("epsilon"), momentum, keras_class), op.inputs[0]


def _unswitched(tensor):
    """The tensor a v1 tf.cond's Switch takes in, or `tensor` when it is no Switch output."""
    return tensor.op.inputs[0] if tensor.op.type == "Switch" else tensor


@pattern(65, "before cond dropout: a Merge of two FusedBatchNorms")
def match_cond_fused_batch_norm(tensor, context):
    """Merge of an inference and a training FusedBatchNorm of one x (`training=` a tensor)."""
    merge = context.producer(tensor, "Merge")
    if merge is None or len(merge.inputs) != 2 or any(t.value_index for t in merge.inputs):
        return None
    branches = {bool(op.get_attr("is_training")): op for op in (
        context.producer(t, *_FUSED_BATCH_NORMS) for t in merge.inputs) if op is not None}
    if len(branches) != 2 or _unswitched(branches[True].inputs[0]).name != _unswitched(
            branches[False].inputs[0]).name:
        return None
    found = match_fused_batch_norm(branches[False].outputs[0], context)
    if found is None:
        return None
    layer, switched = found
    _, updated, momentum = _moving(branches[True].outputs[1], branches[True].outputs[2], context)
    if updated is not None:  # the training branch's fused moments update the moving variance
        layer.keras_class = "BatchNormalizationTF1"
    if momentum is not None:
        layer.config["momentum"] = momentum
        layer.notes = []
    layer.notes.append("inside tf.cond on the training switch: batch statistics in training, "
                       "moving averages otherwise, as Keras' BatchNormalization does")
    layer.tf1_output = tensor.name
    return layer, _unswitched(switched)


def _any_fused(tensor, context):
    return match_cond_fused_batch_norm(tensor, context) or match_fused_batch_norm(tensor, context)


@pattern(70, "before Reshape/Flatten: the outer Reshape belongs to contrib's 2-D batch norm")
def match_reshaped_fused_batch_norm(tensor, context):
    """Reshape(FusedBatchNorm(Reshape(x, [N, 1, 1, C]))) of a 2-D x -> BatchNormalization."""
    outer = context.producer(tensor, "Reshape")
    if outer is None:
        return None
    found = _any_fused(outer.inputs[0], context)
    inner = found and context.producer(found[1], "Reshape")
    if inner is None or inner.inputs[0].shape.rank != 2 or tensor.shape.rank != 2:
        return None
    layer, _ = found
    layer.tf1_output = tensor.name
    return layer, inner.inputs[0]


@pattern(60, "before Dense (its bias Add) and merges: the Add of x * scale and the shift")
def match_batch_norm_arithmetic(tensor, context):
    """`x * scale + (beta - mean * scale)`, scale = rsqrt(variance + eps) (* gamma)."""
    add = context.producer(tensor, "Add", "AddV2")
    scaled = add is not None and context.producer(add.inputs[0], "Mul")
    shift = add is not None and context.producer(add.inputs[1], "Sub", "Neg")
    if not scaled or not shift:
        return None
    scale = scaled.inputs[1]
    gamma_mul = context.producer(scale, "Mul")
    rsqrt = context.producer(gamma_mul.inputs[0] if gamma_mul is not None else scale, "Rsqrt")
    shifted_mean = context.producer(shift.inputs[-1], "Mul")
    if rsqrt is None or shifted_mean is None or shifted_mean.inputs[1].name != scale.name:
        return None
    plus_epsilon = context.producer(rsqrt.inputs[0], "Add", "AddV2")
    epsilon = plus_epsilon is not None and context.constant_value(plus_epsilon.inputs[1])
    if epsilon is None or epsilon is False:
        return None
    mean, variance, momentum = _moving(shifted_mean.inputs[0], plus_epsilon.inputs[0], context)
    if mean is None or variance is None:
        return None
    gamma = context.variable_of(gamma_mul.inputs[1]) if gamma_mul is not None else None
    beta = context.variable_of(shift.inputs[0]) if shift.type == "Sub" else None
    layer = _spec(tensor, context, (gamma, beta, mean, variance), float(epsilon), momentum)
    return layer, scaled.inputs[0]

