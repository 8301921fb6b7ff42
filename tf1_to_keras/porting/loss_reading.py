"""The program's loss as a Keras loss (specs.LossSpec), whatever the TF1 form it was written in.

    spec, batch = loss_reading.read_loss(graph, captured, recognised)  # in the captured graph
    loss_reading.measure_scale(spec, batch)                              # eagerly, after it

1. The kind, from the ops between the model's output and the minimised loss (loss_finding):
   a softmax/sigmoid cross-entropy kernel (from_logits=True), a `log` of the model's own
   Softmax/Sigmoid (a cross-entropy written by hand: from_logits=False), a square/pow/
   squared difference of output and target (MeanSquaredError, also for an autoencoder).
2. Weight penalties: each `factor * tf.nn.l2_loss(w)` term -> (layer of w, "l2", factor / 2),
   since l2_loss is sum(w**2) / 2 and keras.regularizers.L2(f) adds f * sum(w**2).
3. Reduction and scale, measured on the batch the program fed at the captured run and on
   its first half (the run's own feed, restored weights): TF1's loss less its penalties
   divided by the Keras loss of TF1's output. A mean ("sum_over_batch_size") scale of 1
   is taken first, then a "sum" reduction of 1 (`-tf.reduce_sum(y * log(p))` over the
   batch), else the reduction whose scale is the same on both batches:
   `reduce_sum(pow(pred - y, 2)) / (2 * n)`, n a constant, is "sum" times 1 / (2n).
No Keras loss matches (a GAN's discriminator loss, a loss the feed cannot evaluate): the spec
says so in `user_must_write` and the model is ported anyway.
"""

import keras
import numpy as np

import legacy_tf1.compat as tf
from tf1_to_keras.porting import loss_finding, model_finding, specs, training_run

KERNELS = {"SoftmaxCrossEntropyWithLogits": "CategoricalCrossentropy",
           "SparseSoftmaxCrossEntropyWithLogits": "SparseCategoricalCrossentropy",
           "Log1p": "BinaryCrossentropy"}  # sigmoid_cross_entropy_with_logits' arithmetic
SQUARES = ("SquaredDifference", "Square", "Pow")
PROBABILITY_LOSS = {"Softmax": "CategoricalCrossentropy", "Sigmoid": "BinaryCrossentropy"}
SCALE_RTOL = 1e-4  # Keras clips probabilities at 1e-7; TF1's hand-written log does not


def loss_kind(region, ends):
    """(Keras class or None, arguments, TF1 form in words) from the ops of the loss' region."""
    types = {op.type.removesuffix("V2") for op in region.values()}
    sampled = sorted({loss_finding.sampled_loss(op) for op in region.values()} - {None})
    if sampled:
        return None, {}, (f"tf.nn.{sampled[0]} on the model's output (sampled classes, with output "
                          "weights and biases of its own that the model does not read): Keras has no "
                          f"sampled loss; train with tf.nn.{sampled[0]} in a custom train_step")
    for kernel, keras_class in KERNELS.items():
        if kernel in types:
            return keras_class, {"from_logits": True}, f"tf.nn {kernel} on the model's logits"
    if ends.labels is None and not ends.target_is_input:
        return None, {}, "a loss of the model's output alone (no labels, not the input)"
    if types & set(SQUARES):
        target = "the input (an autoencoder)" if ends.target_is_input else "the labels"
        return "MeanSquaredError", {}, f"squared error of the output and {target}, written by hand"
    if "Log" in types and ends.activation in PROBABILITY_LOSS:
        return (PROBABILITY_LOSS[ends.activation], {"from_logits": False},
                f"a cross-entropy written by hand on the model's {ends.activation}")
    return None, {}, f"a loss written by hand from ops {sorted(types)[:8]}"


def penalties(region, layer_of):
    """[(layer name, "l2", factor / 2, l2_loss tensor, factor)] of `factor * l2_loss(w)` terms."""
    found = []
    for op in region.values():
        if op.type != "L2Loss":
            continue
        variable = sorted(loss_finding.variables_read(op))
        factor = penalty_factor(op.outputs[0], region)
        layer = layer_of.get(variable[0], variable[0]) if len(variable) == 1 else None
        found.append((layer, "l2", float(f"{factor / 2:.6g}"), op.outputs[0], factor))
    return found


def penalty_factor(tensor, region):
    """The constant an l2_loss term is multiplied by on its way into the loss: the product of
    the constants of the Mul (and 1 / those of the RealDiv) it passes, through sums."""
    factor = 1.0
    while True:
        consumers = [op for op in tensor.consumers() if op.name in region]
        if len(consumers) != 1:
            return factor
        op = consumers[0]
        constants = [float(tf.make_ndarray(each.op.get_attr("value"))) for each in op.inputs
                     if each.op.type == "Const" and each is not tensor]
        if op.type == "Mul" and constants:
            factor *= constants[0]
        elif op.type in ("RealDiv", "Div") and constants and op.inputs[0] is tensor:
            factor /= constants[0]
        elif op.type not in ("Add", "AddV2", "AddN", "Identity"):
            return factor
        tensor = op.outputs[0]


def read_loss(graph, captured, recognised):
    """(the LossSpec of the loss the captured run minimises or None, the fed batch's values
    for `measure_scale` or None: no Keras loss, nothing fed to evaluate it on)."""
    run = [graph.get_operation_by_name(captured.training_op)] if captured.training_op else []
    loss = training_run.minimised_loss(graph, run) if run else None
    if run and loss is None:  # a gradient written by hand: the program's own cost
        loss = training_run.descended_loss(graph, run)
    if loss is None:
        return None, None
    ends = model_finding.find_model(graph, captured.fetches, captured.feeds, captured.training_op)
    region = training_run.ancestor_ops([loss.op], control=False)
    model = training_run.ancestor_ops([ends.output.op], control=False)
    region = {name: op for name, op in region.items()
              if name not in model and not training_run.GRADIENT_OP.search(name)}
    keras_class, arguments, description = loss_kind(region, ends)
    layer_of = {source.tf1_variable: layer.name for layer in recognised.layers for source in layer.weights}
    terms = penalties(region, layer_of)
    spec = specs.LossSpec(keras_class, arguments, 1.0, sorted((term[:3] for term in terms), key=str), description)
    if keras_class is None:
        spec.user_must_write = (f"a Keras loss computing {loss.name}: {description}; "
                                "compile_model(model) is left without one")
        return spec, None
    try:
        return spec, fed_batch(graph, captured, loss, ends, terms)
    except (ValueError, tf.errors.OpError) as error:  # an iterator input, a feed not saved
        spec.description += f" (scale not measured on the fed batch: {str(error).splitlines()[0]})"
        return spec, None


def fed_batch(graph, captured, loss, ends, terms):
    """[(TF1's loss less its penalties, the model's output, its target)] on the run's feed,
    and on its first half too where the feed can be cut (a sum and a mean then differ)."""
    fed = captured.fed()
    if not fed:
        raise ValueError("the capture saved no fed arrays")
    target = ends.inputs[0] if ends.target_is_input else ends.labels
    sizes = {len(value) for value in fed.values() if np.ndim(value)}
    cuts = [None] + ([min(sizes) // 2] if len(sizes) == 1 and min(sizes) >= 2 else [])
    batches = []
    with tf.Session(graph=graph) as session:
        tf.train.Saver(tf.global_variables()).restore(session, captured.checkpoint)
        for cut in cuts:
            feed = {graph.get_tensor_by_name(name): value[:cut] if np.ndim(value) else value
                    for name, value in fed.items()}
            feed.update({graph.get_tensor_by_name(name): value for name, value in captured.feeds.items()})
            try:
                values = session.run([loss, ends.output, target, *(term[3] for term in terms)], feed)
            except (ValueError, tf.errors.OpError):
                if cut is None:
                    raise
                continue  # a placeholder of a fixed batch size takes only the whole batch
            penalty = sum(term[4] * value for term, value in zip(terms, values[3:]))
            batches.append((float(values[0]) - float(penalty), values[1], values[2]))
    return batches


def measure_scale(spec, batches):
    """Sets spec's reduction and scale from the fed batches (module docstring, 3); eagerly."""
    if spec is None or not batches:
        return
    _, output, target = batches[0]
    if spec.keras_class == "CategoricalCrossentropy" and np.ndim(target) == np.ndim(output) - 1:
        spec.keras_class = "SparseCategoricalCrossentropy"  # the loss one-hots the class ids fed
        spec.description += " (on class ids the program one-hots)"
    try:
        scales = reduction_scales(spec, batches)
    except ValueError as error:  # shapes the Keras loss does not take as fed
        spec.description += f" (scale not measured: {str(error).splitlines()[0]})"
        return
    chosen = (first(scales, lambda each: all(close(scale, 1.0) for scale in each))
              or first(scales, lambda each: all(close(scale, each[0]) for scale in each)))
    if chosen is None:
        spec.description += " (no reduction and scale reproduce it on the fed batches)"
        spec.user_must_write = f"{spec.description}: a loss of its own"
        return
    if chosen == "sum":
        spec.arguments = {**spec.arguments, "reduction": "sum"}
    scale = scales[chosen][0]
    spec.scale = 1.0 if close(scale, 1.0) else float(f"{scale:.6g}")
    if len(batches) == 1 and spec.scale != 1.0:
        spec.description += " (scale measured at the fed batch size only)"


def reduction_scales(spec, batches):
    """{Keras reduction: [TF1's loss / the Keras loss, per batch]}."""
    scales = {}
    for reduction in ("sum_over_batch_size", "sum"):
        loss_object = getattr(keras.losses, spec.keras_class)(reduction=reduction, **spec.arguments)
        values = [float(loss_object(np.atleast_1d(target), np.atleast_1d(output)))  # a number fed: one example
                  for _, output, target in batches]
        scales[reduction] = [tf1 / value if value else float("nan") for (tf1, _, _), value in zip(batches, values)]
    return scales


def first(scales, holds):
    """The first reduction whose scales satisfy `holds`, or None."""
    return next((reduction for reduction, each in scales.items()
                 if all(np.isfinite(each)) and holds(each)), None)


def close(value, expected):
    return abs(value - expected) <= SCALE_RTOL * max(1.0, abs(expected))
