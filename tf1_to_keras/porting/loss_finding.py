"""The model a training run trains, found from the loss it minimises, whatever the loss is
written as: `tf.reduce_mean(tf.square(h - y))`, `-tf.reduce_sum(y_ * tf.log(y))` on a
softmax, a hand-written sigmoid cross-entropy, `sequence_loss`, an autoencoder's
`tf.pow(x - decoded, 2)`, with `beta * tf.nn.l2_loss(w)` terms added or not.

    found = loss_finding.model_of_loss(loss, feeds)   # loss: training_run.minimised_loss(...)

Within the ops the loss is computed from (data inputs only):
* inputs: the placeholders / iterator outputs (not scalars, not fed a number) from which a
  path reaches an op that reads a variable (a MatMul of `w`, a Conv2D, an embedding lookup);
* labels: the other ones (they meet the model's output only in the loss' arithmetic);
* the output: the last op reading a variable on the inputs' paths (a penalty term reads one
  too, but depends on no input), carried on through the activations and reshapes that are
  still the model's (a Softmax, a Sigmoid; not a reshape in the loss' own name scope).
"""

import dataclasses
import re

from tf1_to_keras.porting import recognition_context, training_run

INPUT_TYPES = ("Placeholder", "PlaceholderWithDefault", "PlaceholderV2", "IteratorGetNext",
               "IteratorGetNextSync")
# Ops a model's last layer output passes through that are still the model.
FOLLOWED = ("Softmax", "Sigmoid", "Tanh", "Relu", "Relu6", "Elu", "Selu", "Softplus", "Identity",
            "Reshape", "Squeeze")
PROBABILITIES = ("Softmax", "Sigmoid")
# Loss kernels: reshapes in their name scope (TF's own plumbing around them) are the loss'.
LOSS_KERNELS = ("SoftmaxCrossEntropyWithLogits", "SparseSoftmaxCrossEntropyWithLogits",
                "SquaredDifference")
# Sampled losses (word2vec's tf.nn.nce_loss, sampled_softmax_loss) look up their own output
# weights by the labels: those lookups are the loss', not a model's output.
SAMPLED_LOSS_SCOPE = re.compile(r"(?:^|/)(?P<loss>nce_loss|sampled_softmax_loss)(?:_\d+)?/")


def sampled_loss(op):
    """"nce_loss" / "sampled_softmax_loss" when `op` is inside one's name scope, else None."""
    found = SAMPLED_LOSS_SCOPE.search(op.name)
    return found["loss"] if found else None


@dataclasses.dataclass
class FoundModel:
    """The model of a loss: output tensor, inputs, labels tensor (or None), the output's
    activation when it is probabilities ("Softmax", "Sigmoid"), whether the target is the input."""

    output: object
    inputs: list
    labels: object = None
    activation: object = None
    target_is_input: bool = False


def model_of_loss(loss, feeds, trained=None):
    """The FoundModel `loss` (a scalar tensor) is computed from; ValueError when no input
    reaches a variable, or the loss reads several model outputs (say which). With `trained`
    (the names of the variables the run updates), of several outputs the one computed only
    from those is the model (a GAN's discriminator on real images, not on generated ones)."""
    region = {name: op for name, op in training_run.ancestor_ops([loss.op], control=False).items()
              if not training_run.GRADIENT_OP.search(name)}
    reading = {name for name, op in region.items() if reads_variable(op) and not sampled_loss(op)}
    candidates = [tensor for op in region.values() if op.type in INPUT_TYPES for tensor in op.outputs
                  if any(consumer.name in region for consumer in tensor.consumers())
                  and (tensor.shape.rank not in (0, None) and tensor.name not in feeds
                       or tensor.shape.rank is None and shapeless_data(tensor, region, reading))]
    reached = {tensor.name: downstream(tensor, region) for tensor in candidates}
    inputs = [tensor for tensor in candidates if reached[tensor.name] & reading]
    if not inputs:
        raise ValueError(no_input_message(loss, region, reading))
    model_ops = set().union(*(reached[tensor.name] for tensor in inputs))
    last = last_layer_ops(loss.op, model_ops & reading, model_ops)
    if len(last) > 1 and trained:
        last = [op for op in last if variables_read(op) <= set(trained)] or last
    if len(last) != 1:
        raise ValueError(f"the loss {loss.name} reads {len(last)} model outputs "
                         f"({', '.join(op.name for op in last)}); a port has one: pick another "
                         "training op with --train-op")
    output = carried_on(last[0].outputs[0], region)
    upstream = training_run.ancestor_ops([output.op], control=False)
    inputs = sorted((tensor for tensor in inputs if tensor.op.name in upstream), key=lambda t: t.name)
    labels = sorted((tensor for tensor in candidates if not reached[tensor.name] & reading),
                    key=lambda tensor: tensor.name)
    target_is_input = not labels and any(
        consumer.name in region and consumer.name not in upstream
        for tensor in inputs for consumer in tensor.consumers())
    activation = output.op.type if output.op.type in PROBABILITIES else None
    return FoundModel(output, inputs, labels[0] if labels else None, activation, target_is_input)


def shapeless_data(tensor, region, reading):
    """True for a placeholder without a shape (`tf.placeholder("float")`) that is data: read by
    an op that reads a variable (`X * W`: an input, one number per example), or reaching none
    (`pred - Y`: labels). keep_prob-like ones scale a tensor that reaches the variables later."""
    consumers = [op for op in tensor.consumers() if op.name in region]
    return any(op.name in reading for op in consumers) or not downstream(tensor, region) & reading


def no_input_message(loss, region, reading):
    """Why the loss has no model input: placeholders without a shape (`tf.placeholder("float")`,
    their rank unknown: a Keras Input needs one) that reach a variable are named, with the fix."""
    shapeless = sorted(tensor.name for op in region.values() if op.type in INPUT_TYPES
                       for tensor in op.outputs if tensor.shape.rank is None
                       and downstream(tensor, region) & reading)
    if shapeless:
        return (f"the loss {loss.name} reads the model through placeholder(s) of unknown shape "
                f"({', '.join(shapeless)}: tf.placeholder without a shape); a Keras model's input "
                "needs its rank: give the placeholder a shape (e.g. shape=[None] for one number per "
                "example)")
    return (f"the loss {loss.name} depends on no placeholder or input iterator that reaches a "
            "trainable variable, so there is no model input")


def reads_variable(op):
    """True when one of `op`'s inputs is a variable's value (through Identity/Enter/Switch)."""
    for tensor in op.inputs:
        source = tensor.op
        while source.type in recognition_context.PASS_THROUGH_TYPES and source.inputs:
            source = source.inputs[0].op
        if source.type in recognition_context.VARIABLE_TYPES:
            return True
    return False


def variables_read(op):
    """Names of the variables `op` and the ops it is computed from read."""
    found = set()
    for each in training_run.ancestor_ops([op], control=False).values():
        if each.type in recognition_context.VARIABLE_TYPES:
            found.add(each.name)
    return found


def downstream(tensor, region):
    """Names of the ops in `region` computed from `tensor`."""
    found, pending = set(), [consumer for consumer in tensor.consumers() if consumer.name in region]
    while pending:
        op = pending.pop()
        if op.name not in found:
            found.add(op.name)
            pending.extend(consumer for each in op.outputs for consumer in each.consumers()
                           if consumer.name in region)
    return found


def last_layer_ops(loss_op, frontier_ops, model_ops):
    """The ops of `frontier_ops` (model ops reading a variable) met first walking back from the
    loss through model ops, less those another of them is computed from."""
    found, seen, pending = {}, set(), [loss_op]
    while pending:
        op = pending.pop()
        if op.name in seen:
            continue
        seen.add(op.name)
        if op.name in frontier_ops:
            found[op.name] = op
        elif op.name in model_ops or op is loss_op:
            pending.extend(tensor.op for tensor in op.inputs)
    upstream = {name: training_run.ancestor_ops([tensor.op for tensor in op.inputs], control=False)
                for name, op in found.items()}
    return [op for name, op in sorted(found.items())
            if not any(name in upstream[other] for other in found if other != name)]


def carried_on(tensor, region):
    """`tensor` carried on through the single-consumer activations and reshapes that are the
    model's (FOLLOWED), up to the op where the loss begins."""
    scopes = {op.name.partition("/")[0] for op in region.values() if op.type in LOSS_KERNELS}
    while True:
        consumers = [op for op in tensor.consumers() if op.name in region]
        if len(consumers) != 1 or consumers[0].type not in FOLLOWED or consumers[0].inputs[0] is not tensor:
            return tensor
        if consumers[0].type != "Identity" and consumers[0].name.partition("/")[0] in scopes:
            return tensor
        tensor = consumers[0].outputs[0]
