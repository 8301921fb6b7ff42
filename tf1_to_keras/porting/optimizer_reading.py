"""The program's optimizer, read from its update ops, and the Keras optimizer that steps like it.

    spec = optimizers.recognise_optimizer(graph)   # specs.OptimizerSpec, or None: no update op
    spec.tf1, spec.settings     # "AdamOptimizer", {"learning_rate": 0.001, "beta1": 0.9, ...}
    spec.keras                  # KerasObject("keras.optimizers.Adam", {...}), or None (see notes)

TF1 optimizers leave one update op per variable (`ApplyAdam`, `ResourceApplyAdam`, ...) whose
inputs hold the settings as constants. The Keras equivalent follows docs/MIGRATION.md:

* Adam: epsilon as the graph holds it (TF1's default 1e-8, Keras' 1e-7) and the betas rounded
  to float32, since TF1's kernel computes `1 - beta` in float32 (harness.keras_adam_like_tf1).
* Momentum: Keras `SGD(momentum=, nesterov=)` keeps `-learning_rate * accumulator` where TF1
  keeps the accumulator: the same steps while the learning rate is constant.
* Adagrad: `initial_accumulator_value` from the slot's initial value (TF1's default 0.1) and
  epsilon 0 (TF1's ApplyAdagrad adds none).
* Adam on an embedding's sparse gradient: AdamTF1 (tf1_optimizers.py), Keras' Adam on the dense
  gradient, since Keras 3 squares each IndexedSlices row where TF1 sums an id's rows first.
* RMSProp and Ftrl: TF1's rules (RMSProp's mean square starting at 1.0, Keras' at 0) are the
  twins RMSPropTF1 and FtrlTF1, which `port` writes beside model.py as tf1_optimizers.py
  (modern_keras/tf1_optimizers.py): KerasObject("tf1_optimizers.RMSPropTF1", ...).
* A learning-rate schedule (exponential_decay, piecewise_constant) and gradient clipping
  (clip_by_global_norm, clip_by_value) are read by schedule_reading: the Keras schedule as
  the learning rate, `global_clipnorm` / `clipvalue` on the optimizer.
* A learning rate held in a non-trainable variable that only its initializer assigns
  (contrib.layers.optimize_loss) is that constant, with a note.
* A learning rate that is not a constant nor a schedule read, gradients changed otherwise before
  the update, several optimizers, or an optimizer Keras lacks: keras None and a note.
"""

import numpy as np

from tf1_to_keras.porting import graph_values, schedule_reading, specs, training_run

# Update op (without "Resource"/"Sparse") -> (TF1 optimizer class, {setting: input index}).
UPDATE_OPS = {
    "ApplyGradientDescent": ("GradientDescentOptimizer", {"learning_rate": 1}),
    "ApplyMomentum": ("MomentumOptimizer", {"learning_rate": 2, "momentum": 4}),
    "ApplyAdam": ("AdamOptimizer", {"learning_rate": 5, "beta1": 6, "beta2": 7, "epsilon": 8}),
    "ApplyRMSProp": ("RMSPropOptimizer", {"learning_rate": 3, "decay": 4, "momentum": 5, "epsilon": 6}),
    "ApplyCenteredRMSProp": ("RMSPropOptimizer", {"learning_rate": 4, "decay": 5, "momentum": 6,
                                                  "epsilon": 7}),
    "ApplyAdagrad": ("AdagradOptimizer", {"learning_rate": 2}),
    "ApplyAdagradV2": ("AdagradOptimizer", {"learning_rate": 2, "epsilon": 3}),
    "ApplyAdadelta": ("AdadeltaOptimizer", {"learning_rate": 3, "rho": 4, "epsilon": 5}),
    "ApplyFtrl": ("FtrlOptimizer", {"learning_rate": 4, "l1_regularization_strength": 5,
                                    "l2_regularization_strength": 6, "learning_rate_power": 7}),
    "ApplyFtrlV2": ("FtrlOptimizer", {"learning_rate": 4, "l1_regularization_strength": 5,
                                      "l2_regularization_strength": 6,
                                      "l2_shrinkage_regularization_strength": 7, "learning_rate_power": 8}),
    "ApplyProximalAdagrad": ("ProximalAdagradOptimizer", {}),
    "ApplyProximalGradientDescent": ("ProximalGradientDescentOptimizer", {}),
    "ApplyAdagradDA": ("AdagradDAOptimizer", {}),
    "ApplyAdaMax": ("AdaMaxOptimizer", {}),
    "ApplyAddSign": ("AddSignOptimizer", {}),
    "ApplyPowerSign": ("PowerSignOptimizer", {}),
}
GRADIENT_INPUT = {"ApplyGradientDescent": 2, "ApplyMomentum": 3, "ApplyAdam": 9, "ApplyRMSProp": 7,
                  "ApplyCenteredRMSProp": 8, "ApplyAdagrad": 3, "ApplyAdagradV2": 4, "ApplyAdadelta": 6,
                  "ApplyFtrl": 3, "ApplyFtrlV2": 3}
# What may consume a variable without changing it (a Saver's save, initialisation checks).
VARIABLE_READERS = ("Identity", "ReadVariableOp", "IsVariableInitialized", "VarIsInitializedOp", "SaveV2")
TF1_ADAGRAD_INITIAL_ACCUMULATOR = 0.1
# The graph readers this module was first home to (graph_values).
_source, _float32_literal = graph_values.source, graph_values.float32_literal
constant_value, _variable = graph_values.constant_value, graph_values.variable_op



def _base_type(op_type):
    """"ResourceApplyAdam" -> "ApplyAdam"; "SparseApplyMomentum" and others -> themselves."""
    return op_type.removeprefix("Resource")


def update_ops(graph):
    """The graph's optimizer update ops (dense and sparse, ref and resource forms), in order."""
    return [op for op in graph.get_operations()
            if _base_type(op.type) in UPDATE_OPS or _base_type(op.type).removeprefix("Sparse") in UPDATE_OPS]


def _setting(op, index, name, feeds, notes):
    """A setting's value from update op input `index`; a note (and None) when it is not constant."""
    tensor = op.inputs[index]
    value = constant_value(tensor)
    if value is not None:
        return value
    source = _source(tensor)
    if source.op.type == "Placeholder" and source.name in feeds:
        value = _float32_literal(feeds[source.name])
        notes.append(f"{name} is the placeholder {source.name}, fed {value} at the captured run; a "
                     "program that feeds other values over training (a schedule) is not reproduced")
        return value
    value = unchanging_variable_value(source)
    if value is not None:
        notes.append(f"{name} is the variable {_variable(source).name}, initialised to {value} and never "
                     "assigned by the program's graph: a constant over training")
        return value
    schedule = schedule_reading.learning_rate_schedule(tensor) if name == "learning_rate" else None
    if schedule is not None:
        notes.append(schedule.note)
        return schedule.settings
    notes.append(f"{name} is not a constant: {source.op.type} {source.op.name} computes it (a "
                 "schedule, a placeholder or a variable); the Keras optimizer needs it translated by hand")
    return None


def unchanging_variable_value(tensor):
    """The constant a non-trainable variable holds over training (optimize_loss's learning rate):
    its initial value, when nothing but its initializer and Savers' restores assigns it; else None."""
    variable = _variable(tensor)
    if variable is None or variable.name in {trainable.op.name for trainable in
                                             variable.graph.get_collection("trainable_variables")}:
        return None
    writers = [op for op in variable.outputs[0].consumers() if op.type not in VARIABLE_READERS
               and op.name != variable.name + "/Assign"
               and not (op.type.startswith("Assign") and _source(op.inputs[1]).op.type == "RestoreV2")]
    return None if writers else _initial_value(variable.outputs[0])


def _initial_value(variable_tensor):
    """The constant a variable (ref or resource) is initialised to, else None."""
    variable = _source(variable_tensor).op
    for consumer in variable.outputs[0].consumers():
        if consumer.type in ("Assign", "AssignVariableOp") and consumer.name == variable.name + "/Assign":
            return constant_value(consumer.inputs[1])
    return None


def _gradient_note(op, settings, notes):
    """A note when the gradient reaching `op` was changed after tf.gradients (scaling, a clipping
    Keras has no setting for); a clipping read goes into settings["gradient_clipping"]."""
    index = GRADIENT_INPUT.get(_base_type(op.type))
    if index is None:
        return None
    gradient = op.inputs[index]
    clipping = schedule_reading.gradient_clipping(gradient)
    if clipping is not None:
        settings["gradient_clipping"] = clipping.settings
        notes.append(clipping.note)
        if clipping.keras is None:
            return clipping.note
        gradient = clipping.inner
    source = _source(gradient).op
    if any(part.startswith("gradients") for part in source.name.split("/")):
        return None
    if training_run.AGGREGATE_OP.match(source.type):
        return None  # SyncReplicasOptimizer's mean of the workers' tf.gradients: an all-reduce
    return (f"the gradient reaching {op.name} comes from {source.type} {source.name}, not straight from "
            "tf.gradients (clipping or scaling?): the Keras optimizer here would not do that")


def _read_update(op, feeds):
    """(TF1 optimizer, settings, notes, faithful) of one update op; faithful is False when
    something keeps Keras from stepping like it (a setting not constant, a changed gradient)."""
    base = _base_type(op.type)
    if base not in UPDATE_OPS:  # SparseApply*: the dense form's settings sit at other inputs
        return UPDATE_OPS[base.removeprefix("Sparse")][0], None, [f"{op.type} {op.name}: a sparse update"], False
    tf1, inputs = UPDATE_OPS[base]
    notes = []
    settings = {name: _setting(op, index, name, feeds, notes) for name, index in inputs.items()}
    if base == "ApplyMomentum":
        settings["use_nesterov"] = bool(op.get_attr("use_nesterov"))
    if base.startswith("ApplyRMSProp") or base == "ApplyCenteredRMSProp":
        settings["centered"] = base == "ApplyCenteredRMSProp"
    if base.startswith(("ApplyAdagrad", "ApplyFtrl")):
        settings["initial_accumulator_value"] = _initial_value(op.inputs[1])
    gradient = _gradient_note(op, settings, notes)
    faithful = None not in settings.values() and gradient is None
    return tf1, settings, notes + ([gradient] if gradient else []), faithful


def recognise_optimizer(graph, feeds=None):
    """specs.OptimizerSpec of the graph's optimizer, or None when it has no update op.

    `feeds` ({placeholder tensor name: value}, e.g. CapturedProgram.feeds) gives a learning
    rate fed through a placeholder its captured value (with a note).
    """
    ops = update_ops(graph)
    if not ops:
        return None
    readings = [_read_update(op, feeds or {}) for op in ops]
    notes = list(dict.fromkeys(note for _, _, op_notes, _ in readings for note in op_notes))
    kinds = list({(tf1, repr(settings)): (tf1, settings) for tf1, settings, _, _ in readings
                  if settings is not None}.values())  # settings may hold dicts (a schedule): by repr
    names = list(dict.fromkeys(tf1 for tf1, _, _, _ in readings))
    if len(kinds) != 1:
        return specs.OptimizerSpec(" + ".join(names), {}, None, notes + [(
            f"{len(kinds) or 'no'} different optimizer settings over {len(ops)} update ops (several "
            "optimizers, or only sparse updates): no one Keras optimizer stands for them")])
    tf1, settings = kinds[0][0], dict(kinds[0][1])
    if not all(faithful for _, _, _, faithful in readings):
        return specs.OptimizerSpec(tf1, settings, None, notes + [
            "no Keras optimizer is given: it would not step like the program's (see the notes above)"])
    keras_object, keras_notes = keras_equivalent(tf1, settings)
    sparse = sparse_adam_variables(graph) if tf1 == "AdamOptimizer" and keras_object is not None else []
    if sparse:
        keras_object = specs.KerasObject("tf1_optimizers.AdamTF1", keras_object.kwargs)
        keras_notes = keras_notes + [(
            f"Adam -> AdamTF1 (tf1_optimizers.py beside model.py): the gradient of {', '.join(sparse)} is sparse "
            "(embedding_lookup); TF1 sums the rows of an id repeated in a batch before Adam squares them, "
            "Keras 3's Adam squares each row, a different second moment; AdamTF1 steps on the dense gradient")]
    return specs.OptimizerSpec(tf1, settings, keras_object, notes + keras_notes)


def sparse_adam_variables(graph):
    """Variables TF1's AdamOptimizer updates from a sparse gradient: its `_apply_sparse` scatter-adds
    into the variable's `<var>/Adam` slot (no ApplyAdam op for it)."""
    slots = [op.inputs[0].op.name for op in graph.get_operations()
             if op.type in ("ScatterAdd", "ResourceScatterAdd") and op.inputs]
    return sorted({slot.rpartition("/")[0] for slot in slots if slot.rpartition("/")[2] == "Adam"})


# --- Keras equivalents ----------------------------------------------------------------------------

def _adam(settings):
    beta1, beta2 = float(np.float32(settings["beta1"])), float(np.float32(settings["beta2"]))
    return (specs.KerasObject("keras.optimizers.Adam", {
        "learning_rate": settings["learning_rate"], "beta_1": beta1, "beta_2": beta2,
        "epsilon": settings["epsilon"]}),
        [(f"Adam: epsilon={settings['epsilon']} as TF1's graph holds it (Keras' default is 1e-7); betas "
          f"{settings['beta1']}, {settings['beta2']} rounded to float32 ({beta1!r}, {beta2!r}) because TF1's "
          "kernel computes 1 - beta in float32 (docs/MIGRATION.md)")])


def _gradient_descent(settings):
    return specs.KerasObject("keras.optimizers.SGD", {"learning_rate": settings["learning_rate"]}), []


def _momentum(settings):
    if isinstance(settings["learning_rate"], specs.KerasObject):
        return None, ["Momentum with a learning-rate schedule: Keras' SGD keeps -learning_rate * TF1's "
                      "accumulator, which differs once the learning rate changes; not translated"]
    kwargs = {"learning_rate": settings["learning_rate"], "momentum": settings["momentum"]}
    if settings["use_nesterov"]:
        kwargs["nesterov"] = True
    return specs.KerasObject("keras.optimizers.SGD", kwargs), [(
        "Momentum -> SGD(momentum=...): Keras keeps -learning_rate * TF1's accumulator, the same steps "
        "while the learning rate is constant")]


def _adagrad(settings):
    accumulator = settings["initial_accumulator_value"]
    return specs.KerasObject("keras.optimizers.Adagrad", {
        "learning_rate": settings["learning_rate"], "initial_accumulator_value": accumulator,
        "epsilon": settings.get("epsilon", 0.0)}), [(
        f"Adagrad: initial_accumulator_value={accumulator} from the slot's initial value (TF1's default "
        f"{TF1_ADAGRAD_INITIAL_ACCUMULATOR}); epsilon {settings.get('epsilon', 0.0)} as TF1's update "
        "(Keras' default 1e-7)")]


def _adadelta(settings):
    return specs.KerasObject("keras.optimizers.Adadelta", {
        "learning_rate": settings["learning_rate"], "rho": settings["rho"],
        "epsilon": settings["epsilon"]}), [(
        "Adadelta: learning_rate, rho and epsilon as TF1's graph holds them (TF1's defaults 0.001, 0.95, "
        "1e-8; Keras' 0.001, 0.95, 1e-7)")]


def _rmsprop(settings):
    return specs.KerasObject("tf1_optimizers.RMSPropTF1", {
        key: settings[key] for key in ("learning_rate", "decay", "momentum", "epsilon", "centered")}), [(
        "RMSProp -> RMSPropTF1 (tf1_optimizers.py beside model.py): TF1 starts each mean-square slot "
        "at 1.0, Keras' RMSprop at 0.0 (no setting for it), so Keras' own would take other steps")]


def _ftrl(settings):
    keys = ("learning_rate", "learning_rate_power", "initial_accumulator_value", "l1_regularization_strength",
            "l2_regularization_strength", "l2_shrinkage_regularization_strength")
    return specs.KerasObject("tf1_optimizers.FtrlTF1", {key: settings.get(key, 0.0) for key in keys}), [(
        "Ftrl -> FtrlTF1 (tf1_optimizers.py beside model.py): TF1's FTRL-proximal kernel arithmetic")]


KERAS_EQUIVALENTS = {"AdamOptimizer": _adam, "GradientDescentOptimizer": _gradient_descent,
                     "MomentumOptimizer": _momentum, "AdagradOptimizer": _adagrad,
                     "AdadeltaOptimizer": _adadelta, "RMSPropOptimizer": _rmsprop, "FtrlOptimizer": _ftrl}


def keras_equivalent(tf1, settings):
    """(KerasObject or None, notes) of the Keras optimizer that steps like TF1's `tf1` with `settings`."""
    build = KERAS_EQUIVALENTS.get(tf1)
    if build is None:
        return None, [f"{tf1} has no Keras optimizer that steps like it: not translated"]
    plain = dict(settings)
    if isinstance(plain.get("learning_rate"), dict):  # a schedule read by schedule_reading
        plain["learning_rate"] = schedule_reading.keras_schedule(plain["learning_rate"])
    keras_object, notes = build(plain)
    clipping = settings.get("gradient_clipping")
    if keras_object is not None and clipping:
        keras_object = specs.KerasObject(keras_object.path, {**keras_object.kwargs, **(
            {"global_clipnorm": clipping["clip_by_global_norm"]} if "clip_by_global_norm" in clipping
            else {"clipvalue": clipping["clip_by_value"][1]})})
    return keras_object, notes

