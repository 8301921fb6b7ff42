"""Training parity of a port: the program's optimizer and loss on the TF1 side, their Keras
equivalents on the ported model, the harness's training-steps check between them.

    result = training_parity.check_ported_training(tf1, keras_side, recognised, x, y, steps=10)

`recognised.optimizer` (optimizers.recognise_optimizer) is rebuilt on the TF1 side from its
settings (`tf1_optimizer`) and instantiated on the Keras side from its KerasObject
(`keras_optimizer`). The loss is read from the graph (`recognise_loss`): sparse softmax
cross-entropy -> SparseCategoricalCrossentropy(from_logits=True), softmax cross-entropy with
one-hot labels -> CategoricalCrossentropy(from_logits=True), sigmoid cross-entropy ->
BinaryCrossentropy(from_logits=True), squared difference -> MeanSquaredError; and checked on
the data: the Keras loss of TF1's logits must equal TF1's loss (a sum instead of a mean, or
a regularization term, fails there). Dropout is off on both sides: TF1 runs its inference
feed (keep_prob 1.0), the Keras Dropout layers run at rate 0 during the check. With
BatchNormalization, TF1's bool feeds (is_training) take their training values, as Keras
normalizes by the batch while it trains; dropout driven by that same flag stays on in TF1,
and the check then fails, saying so step by step.
"""

import contextlib
import functools
import re

import keras
import numpy as np

import legacy_tf1.compat as tf
from modern_keras import tf1_optimizers
from tf1_to_keras import harness
from tf1_to_keras.harness import closeness, tolerances
from tf1_to_keras.porting import rnn_loops, specs
from tf1_to_keras.porting.constructs import batch_norm

# Loss op in the graph -> the Keras loss for the logits that feed it.
LOSS_OPS = {
    "SparseSoftmaxCrossEntropyWithLogits": specs.KerasObject(
        "keras.losses.SparseCategoricalCrossentropy", {"from_logits": True}),
    "SoftmaxCrossEntropyWithLogits": specs.KerasObject(
        "keras.losses.CategoricalCrossentropy", {"from_logits": True}),
    "SquaredDifference": specs.KerasObject("keras.losses.MeanSquaredError"),
    "Log1p": specs.KerasObject("keras.losses.BinaryCrossentropy", {"from_logits": True}),
}
TF1_OPTIMIZERS = {
    "AdamOptimizer": ("AdamOptimizer", ("learning_rate", "beta1", "beta2", "epsilon")),
    "GradientDescentOptimizer": ("GradientDescentOptimizer", ("learning_rate",)),
    "MomentumOptimizer": ("MomentumOptimizer", ("learning_rate", "momentum", "use_nesterov")),
    "AdagradOptimizer": ("AdagradOptimizer", ("learning_rate", "initial_accumulator_value")),
    "AdadeltaOptimizer": ("AdadeltaOptimizer", ("learning_rate", "rho", "epsilon")),
    "RMSPropOptimizer": ("RMSPropOptimizer", ("learning_rate", "decay", "momentum", "epsilon", "centered")),
    "FtrlOptimizer": ("FtrlOptimizer", ("learning_rate", "learning_rate_power", "initial_accumulator_value",
                                        "l1_regularization_strength", "l2_regularization_strength",
                                        "l2_shrinkage_regularization_strength")),
}
# Settings an update op leaves out when they are off (ApplyFtrl: no shrinkage): TF1's default.
TF1_DEFAULTS = {"l2_shrinkage_regularization_strength": 0.0}


def instantiate(keras_object):
    """The object a KerasObject("keras.optimizers.Adam", {...}) describes, built with its kwargs
    (KerasObjects among them built too: a schedule); "tf1_optimizers.X" is modern_keras's twin."""
    parts = keras_object.path.split(".")
    if parts[0] not in ("keras", "tf1_optimizers"):
        raise ValueError(f"{keras_object.path!r}: expected a path inside keras (keras.optimizers.Adam)")
    target = keras if parts[0] == "keras" else tf1_optimizers
    for part in parts[1:]:
        target = getattr(target, part)
    return target(**{key: instantiate(value) if isinstance(value, specs.KerasObject) else value
                     for key, value in keras_object.kwargs.items()})


def tf1_optimizer(spec):
    """A function returning a fresh TF1 optimizer with the recognised settings (for train_steps)."""
    if spec is None or spec.tf1 not in TF1_OPTIMIZERS:
        raise ValueError(f"optimizer {getattr(spec, 'tf1', None)!r}: expected one of {sorted(TF1_OPTIMIZERS)}")
    name, arguments = TF1_OPTIMIZERS[spec.tf1]
    settings = {**TF1_DEFAULTS, **spec.settings}
    missing = [argument for argument in arguments if settings.get(argument) is None]
    if missing:
        raise ValueError(f"{spec.tf1}: settings {missing} are not known ({spec.settings}); notes: {spec.notes}")
    kwargs = {argument: settings[argument] for argument in arguments}

    def build():
        # A name of its own: the captured graph already holds the program's slots (`w/Adam`).
        graph = tf.get_default_graph()
        unique = graph.unique_name(f"port_parity_{name}")
        step = tf.Variable(0, dtype=tf.int64, trainable=False, name=f"{unique}_step")
        learning_rate = tf1_learning_rate(kwargs["learning_rate"], step)
        optimizer = getattr(tf.train, name)(**{**kwargs, "learning_rate": learning_rate}, name=unique)
        if any(op.type == "Exit" for op in graph.get_operations()):
            optimizer.compute_gradients = functools.partial(_with_v1_control_flow, optimizer.compute_gradients)
        optimizer.apply_gradients = functools.partial(
            _clipped_apply, optimizer.apply_gradients, settings.get("gradient_clipping"), step)
        return optimizer
    return build


def tf1_learning_rate(learning_rate, step):
    """TF1's learning rate: a constant, or the schedule port.json's settings describe over `step`."""
    if not isinstance(learning_rate, dict):
        return learning_rate
    if learning_rate["schedule"] == "exponential_decay":
        return tf.train.exponential_decay(learning_rate["learning_rate"], step, learning_rate["decay_steps"],
                                          learning_rate["decay_rate"], staircase=learning_rate["staircase"])
    return tf.train.piecewise_constant(step, [np.int64(value) for value in learning_rate["boundaries"]],
                                       learning_rate["values"])


def _clipped_apply(apply_gradients, clipping, step, pairs, global_step=None, name=None):
    """apply_gradients after TF1's clipping of the gradients, counting `step` (the schedule's)."""
    gradients, variables = zip(*pairs)
    if clipping and "clip_by_global_norm" in clipping:
        gradients, _ = tf.clip_by_global_norm(gradients, clipping["clip_by_global_norm"])
    elif clipping:
        gradients = [tf.clip_by_value(gradient, *clipping["clip_by_value"]) for gradient in gradients]
    return apply_gradients(list(zip(gradients, variables)), global_step=step, name=name)


def _with_v1_control_flow(function, *arguments, **keywords):
    """function() with TF1's control flow: the gradient of a captured v1 while loop (dynamic_rnn's
    TensorArrays) must be a v1 loop too, and this process builds v2 ones by default."""
    with rnn_loops.v1_control_flow():
        return function(*arguments, **keywords)


def keras_optimizer(spec):
    """A function returning a fresh Keras optimizer from spec.keras; ValueError when it is None."""
    if spec is None or spec.keras is None:
        notes = "; ".join(spec.notes) if spec is not None else "no optimizer was recognised"
        raise ValueError(f"no Keras equivalent of the program's optimizer to train with: {notes}")
    return lambda: instantiate(spec.keras)


def minimised_loss(graph):
    """The scalar tensor the program's optimizer minimises, or None when the graph has none or
    several: tf.gradients seeds it with `gradients/grad_ys_0`, which its op's gradient
    (`gradients/<loss op>_grad/...`) reads."""
    losses = set()
    for seed in graph.get_operations():
        if not re.fullmatch(r"(.*/)?gradients(_\d+)?/grad_ys_0", seed.name):
            continue
        for consumer in seed.outputs[0].consumers():
            found = re.fullmatch(re.escape(seed.name.rpartition("/")[0]) + r"/(.+)_grad/[^/]+", consumer.name)
            if found:
                losses.add(found.group(1))
    tensors = [graph.get_operation_by_name(name).outputs[0] for name in sorted(losses)]
    tensors = [tensor for tensor in tensors if tensor.shape.ndims == 0]
    return tensors[0] if len(tensors) == 1 else None


def recognise_loss(graph, loss_name):
    """The KerasObject of the Keras loss matching the TF1 loss tensor's cross-entropy / squared
    error op (the first found walking back from the loss), else None."""
    seen, stack = set(), [graph.get_tensor_by_name(loss_name).op]
    while stack:
        op = stack.pop(0)
        if op.name in seen:
            continue
        seen.add(op.name)
        base = op.type.removesuffix("V2")
        if base in LOSS_OPS:
            return LOSS_OPS[base]
        stack.extend(tensor.op for tensor in op.inputs)
    return None


def spec_loss(spec):
    """(KerasObject, scale) of a LossSpec (loss_reading) the check can train with: a Keras
    class; else None. Its weight penalty is the model's own (kernel_regularizer), added by
    _checked_loss."""
    if spec is None or spec.keras_class is None:
        return None
    return specs.KerasObject(f"keras.losses.{spec.keras_class}", dict(spec.arguments)), spec.scale


def scaled(loss, scale):
    """`loss` times `scale` (TF1's `reduce_sum(...) / (2 * n)` is 0.5 * MeanSquaredError)."""
    if scale == 1.0:
        return loss
    return lambda y_true, y_pred: scale * loss(y_true, y_pred)


def _checked_loss(tf1_model, keras_loss, x, y, model):
    """The Keras loss, after checking it, plus the model's weight regularization (the port holds
    TF1's weights here), gives TF1's loss value on (x, y) from TF1's logits."""
    tf1_value = float(tf1_model.session.run(tf1_model.endpoints.loss, tf1_model.feed(x, y)))
    keras_value = float(keras_loss(y, tf1_model.predict(x))) + regularization(model)
    if not closeness.compare(keras_value, tf1_value, name="loss function", atol=tolerances.LOSS_FUNCTION_ATOL,
                             rtol=tolerances.LOSS_FUNCTION_RTOL).passed:
        raise ValueError(f"the program's loss is {tf1_value:.6g} on the data, {_loss_text(keras_loss)} "
                         f"of its logits {keras_value:.6g}: not the same loss (a sum rather than a mean, a "
                         "regularization term, weights?)")
    return keras_loss


def regularization(model):
    """The weight penalties the model's layers add to its loss (kernel_regularizer), summed."""
    return sum(float(layer.kernel_regularizer(layer.kernel)) for layer in model.layers
               if getattr(layer, "kernel_regularizer", None) is not None)


def _loss_text(keras_loss):
    return getattr(keras_loss, "name", None) or type(keras_loss).__name__


def keras_object_text(keras_object):
    """`keras.losses.X(a=1)`, as code reads."""
    arguments = ", ".join(f"{key}={value!r}" for key, value in keras_object.kwargs.items())
    return f"{keras_object.path}({arguments})"


@contextlib.contextmanager
def _without_dropout(model):
    """The model's Dropout layers at rate 0 and GaussianNoise at stddev 0 inside the block (TF1
    runs keep_prob 1.0 and its noise's factors fed 0 alike)."""
    settings = [(layer, "rate") for layer in model.layers if isinstance(layer, keras.layers.Dropout)]
    settings += [(layer, "stddev") for layer in model.layers if isinstance(layer, keras.layers.GaussianNoise)]
    values = [getattr(layer, name) for layer, name in settings]
    try:
        for layer, name in settings:
            setattr(layer, name, 0.0)
        yield
    finally:
        for (layer, name), value in zip(settings, values):
            setattr(layer, name, value)


def check_ported_training(tf1_model, keras_model, recognised, x, y, steps=10, batch_size=32, seed=0,
                          name_map=None, tolerances=None, keras_optimizer_function=None, keras_loss=None):
    """harness.check_training_steps between the captured TF1 model and its port, with the program's
    optimizer (rebuilt) and its Keras equivalent (or `keras_optimizer_function`, e.g. to show a
    naive one fails), the recognised loss (or `keras_loss`: the generated training_setup's),
    `steps` batches of `batch_size` drawn with `seed`.

    `tf1_model`: a harness.TF1Model with `labels` and `loss`; `keras_model`: a harness.KerasModel
    (or a keras.Model). ValueError when the optimizer or loss has no Keras equivalent.
    """
    if tf1_model.endpoints.loss is None or tf1_model.endpoints.labels is None:
        raise ValueError(f"{tf1_model.description}: training parity needs its labels and loss tensors")
    keras_side = keras_model if isinstance(keras_model, harness.KerasModel) else harness.KerasModel(keras_model)
    optimizer_pair = (keras_optimizer_function or keras_optimizer(recognised.optimizer),
                      tf1_optimizer(recognised.optimizer))
    if keras_loss is None:
        loss_object, scale = (spec_loss(getattr(recognised, "loss_spec", None))
                              or (recognise_loss(tf1_model.graph, tf1_model.endpoints.loss.name), 1.0))
        if loss_object is None:
            raise ValueError(f"the loss {tf1_model.endpoints.loss.name} is none of {sorted(LOSS_OPS)}: no "
                             "Keras loss to train the port with")
        keras_loss = scaled(instantiate(loss_object), scale)
    x = x if isinstance(x, dict) else np.asarray(x)  # a dict: {input name: array} of a model of several inputs
    batches = harness.make_batches(x, np.asarray(y), batch_size=batch_size, steps=steps, seed=seed)
    tf1_model.reset()
    keras_side.reset()  # its penalty below reads its weights: those of the start, as TF1's
    keras_loss = _checked_loss(tf1_model, keras_loss, *batches[0], keras_side.model)
    with _without_dropout(keras_side.model):
        return harness.check_training_steps(
            tf1_model, keras_side, batches, optimizer_pair[1], optimizer_pair[0], keras_loss,
            name_map=name_map, tolerances=tolerances, tf1_feed=_tf1_feed(tf1_model, recognised))


def _tf1_feed(tf1_model, recognised):
    """TF1's feed for the steps: the inference one (keep_prob 1.0), but with BatchNormalization the
    training flags (bools) as in training, since Keras' training steps normalize by batch statistics:
    the captured run's value, or, for a flag the program never fed (slim's
    `placeholder_with_default(True, [])`), its default, so no value is fed at all."""
    feed = dict(tf1_model.endpoints.inference_feed)
    if any(map(batch_norm.is_batch_norm, recognised.layers)):
        feed = {tensor: value for tensor, value in feed.items() if not isinstance(value, (bool, np.bool_))}
        feed.update({tensor: value for tensor, value in tf1_model.endpoints.training_feed.items()
                     if isinstance(value, (bool, np.bool_))})
    return feed
