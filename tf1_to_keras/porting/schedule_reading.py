"""A TF1 optimizer's learning-rate schedule and gradient clipping, read from its update ops.

    schedule = schedule_reading.learning_rate_schedule(update_op.inputs[lr_index])
    schedule.settings   # {"schedule": "exponential_decay", "learning_rate": 0.1, "decay_steps": 100, ...}
    schedule.keras      # KerasObject("keras.optimizers.schedules.ExponentialDecay", {...})
    clipping = schedule_reading.gradient_clipping(update_op.inputs[gradient_index])

* `tf.train.exponential_decay(lr, step, decay_steps, decay_rate, staircase)` leaves
  `lr * decay_rate ** [Floor](step / decay_steps)`: read from that arithmetic ->
  keras ExponentialDecay (Keras counts the optimizer's iterations as TF1's global step,
  which `minimize(global_step=...)` increments once per step alike).
* `tf.train.piecewise_constant(step, boundaries, values)` leaves a `case` of comparisons of
  the step with the boundaries: the boundaries are the constants compared, the values what
  the learning rate evaluates to (a session over the graph) on each side -> PiecewiseConstantDecay.
* Other schedules (polynomial, cosine, inverse time...) are not translated (None).
* `tf.clip_by_global_norm(gradients, n)` -> `global_clipnorm=n`; `tf.clip_by_value(g, -v, v)`
  -> `clipvalue=v`. The gradient under the clipping is returned, for the "straight from
  tf.gradients" test the caller makes.
"""

import dataclasses

import numpy as np

import legacy_tf1.compat as tf
from tf1_to_keras.porting import graph_values, specs

COMPARISONS = ("Less", "LessEqual", "Greater", "GreaterEqual")


@dataclasses.dataclass
class Reading:
    """What was read: port.json's `settings`, the Keras object or keyword arguments, the
    tensor under it (clipping), a note for the reader."""

    settings: dict
    keras: object
    inner: object = None
    note: str = ""


def _constant(tensor):
    return graph_values.constant_value(tensor)


def _exponential_decay(op):
    """Mul(initial, Pow(rate, [Floor](RealDiv(step, decay_steps)))) -> Reading, else None."""
    if op.type != "Mul" or op.inputs[1].op.type != "Pow":
        return None
    initial, power = _constant(op.inputs[0]), op.inputs[1].op
    rate, exponent = _constant(power.inputs[0]), graph_values.source(power.inputs[1]).op
    staircase = exponent.type == "Floor"
    division = graph_values.source(exponent.inputs[0]).op if staircase else exponent
    if None in (initial, rate) or division.type != "RealDiv":
        return None
    decay_steps = _constant(division.inputs[1])
    if decay_steps is None or graph_values.variable_op(division.inputs[0]) is None:
        return None
    settings = {"schedule": "exponential_decay", "learning_rate": initial, "decay_steps": int(decay_steps),
                "decay_rate": rate, "staircase": staircase}
    return Reading(settings, keras_schedule(settings), note=(
        f"learning rate: tf.train.exponential_decay({initial}, global_step, {int(decay_steps)}, {rate}, "
        f"staircase={staircase}) -> keras ExponentialDecay over the optimizer's iterations"))


def _scope_ops(op, scope):
    prefix = op.name[:op.name.index(scope) + len(scope)] + "/"
    return [other for other in op.graph.get_operations() if other.name.startswith(prefix)]


def _piecewise_constant(op, tensor):
    """The case PiecewiseConstant builds -> Reading: boundaries compared, `tensor` evaluated."""
    if "PiecewiseConstant" not in op.name or op.type not in ("If", "StatelessIf", "Merge", "Case"):
        return None
    comparisons = [other for other in _scope_ops(op, "PiecewiseConstant") if other.type in COMPARISONS
                   and graph_values.variable_op(other.inputs[0]) is not None]
    boundaries = sorted({_constant(other.inputs[1]) for other in comparisons} - {None})
    if not comparisons or not boundaries:
        return None
    step = comparisons[0].inputs[0]
    integral = step.dtype.is_integer
    boundaries = [int(value) if integral else value for value in boundaries]
    with tf.Session(graph=op.graph) as session:  # the schedule needs no variable but the step (fed)
        values = [graph_values.float32_literal(session.run(tensor, {step: value}))
                  for value in [*boundaries, boundaries[-1] + 1]]
    settings = {"schedule": "piecewise_constant", "boundaries": boundaries, "values": values}
    return Reading(settings, keras_schedule(settings), note=(
        f"learning rate: tf.train.piecewise_constant(global_step, {boundaries}, {values}) -> keras "
        "PiecewiseConstantDecay over the optimizer's iterations"))


def keras_schedule(settings):
    """The Keras schedule for a schedule's port.json settings (learning_rate_schedule's)."""
    if settings["schedule"] == "exponential_decay":
        return specs.KerasObject("keras.optimizers.schedules.ExponentialDecay", {
            "initial_learning_rate": settings["learning_rate"], "decay_steps": settings["decay_steps"],
            "decay_rate": settings["decay_rate"], "staircase": settings["staircase"]})
    return specs.KerasObject("keras.optimizers.schedules.PiecewiseConstantDecay",
                             {"boundaries": settings["boundaries"], "values": settings["values"]})


def learning_rate_schedule(tensor):
    """Reading of the schedule computing `tensor` (exponential_decay, piecewise_constant), else None."""
    op = graph_values.source(tensor).op
    if op.type in ("If", "StatelessIf") or "PiecewiseConstant" in op.name:
        return _piecewise_constant(op, tensor)
    return _exponential_decay(op)


def _clip_by_value(op):
    """Maximum(Minimum(g, hi), lo) with lo == -hi -> Reading(clipvalue=hi), else None."""
    if op.type != "Maximum" or graph_values.source(op.inputs[0]).op.type != "Minimum":
        return None
    minimum = graph_values.source(op.inputs[0]).op
    high, low = _constant(minimum.inputs[1]), _constant(op.inputs[1])
    if high is None or low is None:
        return None
    if not np.isclose(low, -high, rtol=0, atol=0):
        return Reading({"clip_by_value": [low, high]}, None, minimum.inputs[0], (
            f"gradients clipped to [{low}, {high}]: Keras' clipvalue clips to [-v, v] only; not translated"))
    return Reading({"clip_by_value": [low, high]}, {"clipvalue": high}, minimum.inputs[0],
                   f"gradients: tf.clip_by_value(g, {low}, {high}) -> clipvalue={high}")


def _clip_by_global_norm(op):
    """g * (clip_norm * min(1/global_norm, 1/clip_norm) + ...) in a clip_by_global_norm scope."""
    if op.type != "Mul" or "clip_by_global_norm" not in op.name:
        return None
    stack, seen = [op.inputs[1].op], set()
    while stack:  # the scale's `clip_norm * Minimum(...)`
        other = stack.pop()
        if other.name in seen or "clip_by_global_norm" not in other.name:
            continue
        seen.add(other.name)
        if other.type == "Mul" and other.inputs[1].op.type == "Minimum":
            norm = _constant(other.inputs[0])
            if norm is not None:
                return Reading({"clip_by_global_norm": norm}, {"global_clipnorm": norm}, op.inputs[0],
                               f"gradients: tf.clip_by_global_norm(gradients, {norm}) -> global_clipnorm={norm}")
        stack.extend(tensor.op for tensor in other.inputs)
    return None


def gradient_clipping(tensor):
    """Reading of the clipping between tf.gradients and an update op's `tensor`, else None."""
    op = graph_values.source(tensor).op
    return _clip_by_global_norm(op) or _clip_by_value(op)
