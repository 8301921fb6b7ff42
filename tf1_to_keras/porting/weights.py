"""The generated model's weights, from the captured checkpoint through the recognised layers.

    values, skipped = weights.checkpoint_values(captured.checkpoint)
    mapping = weights.assign(recognised, keras_side, values, skipped)   # keras_side: KerasModel

Each LayerSpec's WeightSources become entries of a harness NameMap: its `table` (TF1
variable -> the layer's Keras weight path) and `transforms` (an array transform keyed by
that path, a cell transform by the layer's name), so the harness's own resolution checks
apply, with its messages: every Keras weight filled, every TF1 model variable used,
shapes equal after the transform. A weight the harness would have matched by itself
(by name or order) is refused too: the specs must account for every one. Optimizer
slots and step counters are skipped and listed (`mapping.skipped`).

`differences(mapping, values, keras_weights)` is the check of a written weights file:
every Keras weight, as loaded, bitwise equal to its TF1 variable converted.
"""

import re

import numpy as np

import legacy_tf1.compat as tf
from tf1_to_keras import harness
from tf1_to_keras.harness import training_state

SPECIFIED = ("table", "transform")  # how a conversion the specs asked for is matched


def checkpoint_values(checkpoint):
    """({model variable: array}, [(training-state name, shape)]) of a Saver checkpoint prefix."""
    reader = tf.train.load_checkpoint(checkpoint)
    shapes = reader.get_variable_to_shape_map()
    model, state = training_state.split_training_state(sorted(shapes))
    return ({name: reader.get_tensor(name) for name in model},
            [(name, tuple(shapes[name])) for name in state])


def whole_partitions(recognised, values):
    """Re-keys, in place, the checkpoint `values` of a partitioned variable in one part (a canned
    Estimator's "dnn/hiddenlayer_0/kernel", which a Saver writes whole) under the name the graph
    and the recognised layers give that part ("dnn/hiddenlayer_0/kernel/part_0"). Of a variable
    in several parts, part_0's shape is not the whole's: the name map's shape check refuses it."""
    for layer in recognised.layers:
        for source in layer.weights:
            whole, found = re.subn(r"/part_0$", "", source.tf1_variable)
            if found and source.tf1_variable not in values and whole in values:
                values[source.tf1_variable] = values.pop(whole)


def unread_variables(recognised, values):
    """(the `values` the recognised layers read, [(name, shape, reason)] of the others): a
    counter like `last_epoch`, another model's weights (a GAN's generator) are left out."""
    read = read_variables(recognised, values)
    unread = [(name, tuple(np.shape(value)), "not read by the model (" +
               ("a counter or other scalar state)" if np.ndim(value) == 0 else
                "another model's or an unused weight)")) for name, value in values.items() if name not in read]
    return {name: value for name, value in values.items() if name in read}, unread


def read_variables(recognised, names):
    """Those of `names` (TF1 variables) the recognised layers' weights come from: named by a
    WeightSource, or under the scope of a cell transform (a GRU's gates/ and candidate/)."""
    scopes = tuple(source.transform.scope + "/" for layer in recognised.layers for source in layer.weights
                   if isinstance(source.transform, harness.CellTransform))
    named = {source.tf1_variable for layer in recognised.layers for source in layer.weights}
    return {name for name in names if name in named or name.startswith(scopes)}


def weights_by_layer(weight_layers):
    """{layer name: [Keras paths]} of {Keras path: layer name}: one pass, so that finding each
    source's path is not a scan of every weight (quadratic on a ResNet's 300 weights)."""
    by_layer = {}
    for path, layer in weight_layers.items():
        by_layer.setdefault(layer, []).append(path)
    return by_layer


def weight_path(weight_layers, layer_name, keras_weight, by_layer=None):
    """The Keras path of `layer_name`'s weight `keras_weight` (lstm/lstm_cell/kernel for an
    LSTM's kernel); ValueError naming the layer's weights when it has none or several.
    `by_layer`: weights_by_layer(weight_layers), when the caller looks up many."""
    held = (by_layer if by_layer is not None else weights_by_layer(weight_layers)).get(layer_name, [])
    paths = [path for path in held if path.rpartition("/")[2] == keras_weight]
    if len(paths) != 1:
        raise ValueError(f"layer {layer_name!r}: {len(paths)} weights named {keras_weight!r}; "
                         f"it has {held}")
    return paths[0]


def name_map(recognised, weight_layers):
    """The harness NameMap the specs' WeightSources spell out, over the built model's
    `weight_layers` ({Keras path: layer name}, KerasModel.weight_layers())."""
    table, transforms, by_layer = {}, {}, weights_by_layer(weight_layers)
    for layer in recognised.layers:
        for source in layer.weights:
            if isinstance(source.transform, harness.CellTransform):
                inner = source.keras_weight.rpartition("/")[0]  # a wrapper's layer: "forward_lstm/kernel"
                transforms[f"{layer.name}/{inner}" if inner else layer.name] = source.transform  # the whole cell
                continue
            path = weight_path(weight_layers, layer.name, source.keras_weight, by_layer)
            table.setdefault(source.tf1_variable, []).append(path)
            if source.transform is not None:
                transforms[re.escape(path)] = source.transform
    return harness.NameMap(table=table, transforms=transforms, source="the recognised layers' weights")


def resolve(recognised, keras_side, values, skipped=()):
    """The harness Mapping of `values` onto the Keras model; NameMapError (a ValueError) when
    the specs leave a weight or variable out, or name one the other side lacks."""
    mapping = name_map(recognised, keras_side.weight_layers()).resolve(
        values, keras_side.weights(), skipped=skipped)
    guessed = [f"{', '.join(conversion.tf1_names)} -> {', '.join(conversion.keras_paths)}: matched "
               f"by {conversion.how}, not named by the recognised layers" for conversion in mapping.conversions
               if conversion.how not in SPECIFIED]
    if guessed:
        raise harness.NameMapError(guessed, conversions=mapping.conversions)
    return mapping


def assign(recognised, keras_side, values, skipped=()):
    """Sets the Keras model's weights from the TF1 `values` through the specs; the Mapping."""
    mapping = resolve(recognised, keras_side, values, skipped)
    keras_side.assign(mapping.convert(values))
    return mapping


def differences(mapping, values, keras_weights):
    """["weights: PATH ..."] for each Keras weight (as loaded) not bitwise equal to its
    converted TF1 variable(s); [] when the written weights are the TF1 ones."""
    problems = []
    sources = mapping.sources()
    for path, expected in mapping.convert(values).items():
        actual = keras_weights[path]
        if actual.shape != expected.shape or not np.array_equal(actual, expected):
            difference = (f"{float(np.max(np.abs(actual - expected))):.3g}" if actual.shape == expected.shape
                          else f"shape {actual.shape} vs {expected.shape}")
            problems.append(f"weights: {path} as written differs from TF1 "
                            f"{', '.join(sources[path])} (max |diff| {difference})")
    return problems


def layer_parameters(recognised, shapes):
    """{layer name: parameters of the TF1 variables its WeightSources name} (each variable
    counted once per layer), given {TF1 variable: shape}."""
    return {layer.name: sum(int(np.prod(shapes[name], dtype=np.int64))
                            for name in dict.fromkeys(source.tf1_variable for source in layer.weights)
                            if name in shapes)
            for layer in recognised.layers}
