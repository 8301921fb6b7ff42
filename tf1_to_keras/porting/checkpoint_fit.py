"""`port --checkpoint`: the checkpoint must hold every variable the ported model reads.

    checkpoint_fit.check(checkpoint, program_shapes, model_variables, averages=False)

The capture restores the checkpoint's variables into the program's session by name and
shape (restore); a model variable the checkpoint lacks, or holds
with another shape, would silently keep the program's initial value. This check refuses
that: a ValueError naming the variable, the checkpoint and both shapes, before anything is
written. With `averages` (`--checkpoint-averages`), a variable is read from its
tf.train.ExponentialMovingAverage shadow (`NAME/ExponentialMovingAverage`) where the
checkpoint has one, as `ema.variables_to_restore()` maps them; variables without a shadow
(batch norm's moving statistics) are read as themselves.
"""

import os

import tensorflow

import legacy_tf1.compat as tf

_V1 = tensorflow.compat.v1  # the capture worker's live graph and session

AVERAGE_SUFFIX = "/ExponentialMovingAverage"


def prefix_of(checkpoint):
    """The Saver prefix of `checkpoint` (a prefix, or a directory: its latest checkpoint)."""
    checkpoint = os.fspath(checkpoint)
    prefix = tf.train.latest_checkpoint(checkpoint) if os.path.isdir(checkpoint) else checkpoint
    if not prefix or not os.path.exists(prefix + ".index"):
        raise ValueError(f"checkpoint {checkpoint!r} not found; expected a Saver prefix (PREFIX.index "
                         "exists) or a directory of checkpoints")
    return prefix


def source_names(names, checkpoint_names, averages):
    """{variable: the checkpoint key it is read from}: itself, or with `averages` its shadow
    where the checkpoint holds one."""
    if not averages:
        return {name: name for name in names}
    return {name: name + AVERAGE_SUFFIX if name + AVERAGE_SUFFIX in checkpoint_names else name
            for name in names}


def check(checkpoint, program_shapes, model_variables, averages=False):
    """ValueError unless the checkpoint holds each of `model_variables` (names of the program's
    variables the port reads, `program_shapes` {name: shape}) with the program's shape; with
    `averages`, also unless it holds at least one moving-average shadow. Returns the prefix."""
    prefix = prefix_of(checkpoint)
    held = {name: tuple(shape) for name, shape in tf.train.list_variables(prefix)}
    if averages and not any(name.endswith(AVERAGE_SUFFIX) for name in held):
        raise ValueError(f"--checkpoint-averages: checkpoint {prefix!r} holds no "
                         f"tf.train.ExponentialMovingAverage shadows (no variable ends in {AVERAGE_SUFFIX})")
    problems = []
    for name, key in sorted(source_names(model_variables, held, averages).items()):
        wanted = tuple(program_shapes[name])
        if key not in held:
            problems.append(f"{key} (shape {wanted}) is missing")
        elif held[key] != wanted:
            problems.append(f"{key} has shape {held[key]} there, the program's {name} {wanted}")
    if problems:
        raise ValueError(f"checkpoint {prefix!r} does not fit the ported model: " + "; ".join(problems))
    return prefix


def restore(session, checkpoint, averages=False):
    """Restores the variables `checkpoint` holds (same name and shape), with `averages` from
    their moving-average shadows where it has them (source_names; the graph's
    own shadows are then left as they are); returns the origin. Whether every variable the
    model reads was there is checked once the model is known (check)."""
    prefix = prefix_of(checkpoint)
    shapes = dict(_V1.train.list_variables(prefix))
    variables = [variable for variable in _V1.global_variables()
                 if not (averages and variable.op.name.endswith(AVERAGE_SUFFIX))]
    keys = source_names([variable.op.name for variable in variables], shapes, averages)
    matching = {keys[variable.op.name]: variable for variable in variables
                if list(shapes.get(keys[variable.op.name], ())) == variable.shape.as_list()
                and keys[variable.op.name] in shapes}
    if not any(variable in matching.values() for variable in _V1.trainable_variables()):
        raise ValueError(f"checkpoint {checkpoint!r} holds none of the program's trainable "
                         "variables (by name and shape)")
    _V1.train.Saver(var_list=matching, name="port_checkpoint_restorer").restore(session, prefix)
    averaged = sum(key != variable.op.name for key, variable in matching.items())
    return f"checkpoint {prefix}" + (f" (moving averages of {averaged} variables)" if averages else "")
