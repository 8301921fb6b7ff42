"""The four checks, each callable alone, each starting from both models as they were
built (`reset()`), each returning a result (tf1_to_keras/harness/results.py):

    harness.check_structure(tf1, keras_side)                            # names, shapes, params
    harness.check_forward(tf1, keras_side, x)                           # same weights, same outputs
    harness.check_training_steps(tf1, keras_side, batches, tf1_optimizer,
                                 keras_optimizer, keras_loss)           # same steps, same losses
    harness.check_metric(tf1, keras_side, train_batches, x_test, y_test, tf1_optimizer,
                         keras_optimizer, keras_loss)                   # same budget, same metric

`assert_structure`, `assert_forward`, `assert_training_steps` and `assert_metric` take
the same arguments and raise ParityError (an AssertionError) when the check fails.

Forward and training checks copy TF1's weights into the Keras model through the name
map (NameMapError, a ValueError, when it does not fit). Taps are compared in the Keras
model's layer order, so the first failure names the first layer where the two sides
part; outputs are compared last. Without taps, a forward failure compares the layers
the name map pairs (localisation.py), to the same end.
"""

import functools

import numpy as np

from tf1_to_keras.harness import closeness
from tf1_to_keras.harness import data, errors, localisation, matching, name_maps, policy, results
from tf1_to_keras.harness import moving_statistics, reference_spread


def _resolve(tf1, keras_side, name_map):
    return (name_map or name_maps.NameMap()).resolve(
        tf1.variables(), keras_side.weights(), tf1.variable_layers(), tf1.skipped())


def _start(tf1, keras_side, name_map, tolerances):
    """Both sides reset, TF1's weights copied into Keras; (mapping, tolerances)."""
    tf1.reset()
    keras_side.reset()
    mapping = _resolve(tf1, keras_side, name_map)
    keras_side.assign(mapping.convert(tf1.variables()))
    return mapping, tolerances or policy.Tolerances.default()


# --- structure ------------------------------------------------------------------------------------

def _tf1_parameters_by_layer(tf1, keras_side, conversions):
    """{layer: TF1 parameter count}: by the Keras layer each variable maps to, else by scope."""
    shapes = tf1.variable_shapes()
    layer_of = keras_side.weight_layers()
    owners = {name: layer_of[conversion.keras_paths[0]]
              for conversion in conversions for name in conversion.tf1_names}
    keras_layers = [summary.name for summary in keras_side.layer_summaries()]
    hints = tf1.variable_layers()
    for name in [name for name in shapes if name not in owners]:
        scope = hints.get(name, name.rpartition("/")[0])
        owners[name] = next((layer for layer in keras_layers if matching.same_layer(scope, layer)),
                            scope or name)
    counts = {}
    for name, shape in shapes.items():
        counts[owners[name]] = counts.get(owners[name], 0) + int(np.prod(shape, dtype=np.int64))
    return counts


def _shapes_agree(tf1_shape, keras_shape):
    """Same rank and sizes, the batch axis and unknown (None) sizes aside."""
    return len(tf1_shape) == len(keras_shape) and all(
        a is None or b is None or a == b for a, b in zip(tf1_shape[1:], keras_shape[1:]))


def _layer_row(summary, tf1_taps, tf1_counts, failures):
    """One Keras layer's row; takes its TF1 count out of `tf1_counts`, adds any failure."""
    tap = tf1_taps.get(summary.name)
    tf1_shape = None if tap is None or tap.shape.ndims is None else tuple(tap.shape.as_list())
    tf1_params = tf1_counts.pop(summary.name, 0)
    if tf1_shape is not None and summary.output_shape is not None and not _shapes_agree(
            tf1_shape, summary.output_shape):
        failures.append(f"structure: layer {summary.name!r}: output shape TF1 {tf1_shape} vs Keras "
                        f"{summary.output_shape}")
    if tf1_params != summary.parameter_count:
        failures.append(f"structure: layer {summary.name!r}: parameters TF1 {tf1_params} vs Keras "
                        f"{summary.parameter_count}")
    return {"name": summary.name, "tf1": {"output_shape": tf1_shape, "params": tf1_params},
            "keras": {"output_shape": summary.output_shape, "params": summary.parameter_count}}


def check_structure(tf1, keras_side, name_map=None, tolerances=None):
    """Per-layer output shapes (where TF1 has a tap of the layer's name) and parameter
    counts (TF1 variables counted under the Keras layer they map to), and the totals.

    A name map that does not fit is a structure failure (its problems listed), unless it
    names weights that do not exist: that NameMapError is raised (bad input).
    """
    failures = []
    try:
        conversions = _resolve(tf1, keras_side, name_map).conversions
    except errors.NameMapError as error:
        if error.unknown:
            raise
        failures += [f"structure: {problem}" for problem in error.problems]
        conversions = error.conversions
    tf1_counts = _tf1_parameters_by_layer(tf1, keras_side, conversions)
    rows = [_layer_row(summary, tf1.endpoints.layers, tf1_counts, failures)
            for summary in keras_side.layer_summaries()]
    for layer, count in tf1_counts.items():
        failures.append(f"structure: TF1 {layer!r} holds {count} parameters that no Keras layer has")
        rows.append({"name": layer, "tf1": {"output_shape": None, "params": count}, "keras": None})
    params = {"tf1": sum(int(np.prod(shape, dtype=np.int64)) for shape in tf1.variable_shapes().values()),
              "keras": int(keras_side.model.count_params())}
    if params["tf1"] != params["keras"]:
        failures.append(f"structure: total parameters TF1 {params['tf1']} vs Keras {params['keras']}")
    return results.StructureResult(failures, tolerances or policy.Tolerances.default(), rows, params)


# --- forward --------------------------------------------------------------------------------------

def check_forward(tf1, keras_side, x, name_map=None, tolerances=None, batch_size=1000):
    """TF1's weights copied into Keras, then each layer both sides tap (Keras order) and the
    outputs compared on `x` in inference mode, within the forward bar (closeness.forward_compare).
    When the outputs part and the builder gave no taps of the Keras layers' names, the layers
    the name map pairs are compared instead (harness/localisation.py), to name the first
    divergent layer."""
    mapping, tolerances = _start(tf1, keras_side, name_map, tolerances)
    names = [name for name in keras_side.tappable_layers() if name in tf1.endpoints.layers]
    tf1_taps, keras_taps = tf1.tap(x, names, batch_size), keras_side.tap(x, names, batch_size)
    layers = {name: closeness.forward_compare(keras_taps[name], tf1_taps[name], bars=tolerances,
                                              name=f"forward: layer {name!r} output") for name in names}
    outputs = closeness.forward_compare(keras_side.predict(x, batch_size), tf1.predict(x, batch_size),
                                        name="forward: outputs", bars=tolerances)
    localised_by, note = ("taps" if names else None), None
    if not names and not outputs.passed:
        layers, note = localisation.localise(tf1, keras_side, mapping, x, tolerances, batch_size)
        localised_by = "name map" if layers else None
    failures, note = _forward_failures(layers, outputs, note)
    return results.ForwardResult(failures, tolerances, layers, outputs, mapping, localised_by, note)


def _forward_failures(layers, outputs, note):
    """(failures: the first failing layer's, the outputs', and the note; the note): when
    every compared layer matched but the outputs part, the note says after which layer."""
    failing = [comparison.message for comparison in layers.values() if not comparison.passed][:1]
    if outputs.passed:
        return failing, note
    if layers and not failing:
        note = f"every compared layer matched ({', '.join(layers)}); the outputs part after {list(layers)[-1]!r}"
    return failing + [outputs.message] + ([f"forward: {note}"] if note else []), note


# --- training steps -------------------------------------------------------------------------------

def _weight_differences(mapping, tf1, keras_side, tolerances):
    """({Keras path: max |Keras - converted TF1|}, failures against final_weight_atol)."""
    expected, actual = mapping.convert(tf1.variables()), keras_side.weights()
    differences, failures = {}, []
    for path, array in expected.items():
        name = f"training steps: final weight {path} (from TF1 {', '.join(mapping.sources()[path])})"
        comparison = closeness.compare(actual[path], array, name=name,
                                       atol=tolerances.final_weight_atol or 0.0)
        differences[path] = comparison.max_abs_diff
        if tolerances.final_weight_atol is not None and not comparison.passed:
            failures.append(comparison.message)
    return differences, failures


def check_training_steps(tf1, keras_side, batches, tf1_optimizer, keras_optimizer, keras_loss,
                         name_map=None, tolerances=None, tf1_feed=None):
    """Both sides from TF1's weights train the same batches; each step's loss compared
    (early_loss_atol + early_loss_rtol for the first early_steps, late_loss_rtol after), and every weight
    after the last step (judged only when final_weight_atol is set); batch norm's moving statistics
    (the non-trainable weights) are judged after step 1, taken first (harness/moving_statistics.py).
    When a step fails that bar, TF1 is rerun from inputs float32 cannot tell apart: if TF1 does
    not reproduce itself within it either, the steps are held to a multiple of TF1's own spread
    instead; else, with training-mode fused batch norms, to TF1's graph with them in float64
    (reference_spread.py; the result's `reference_spread` says which bar held and why).

    `tf1_feed` replaces TF1's training feed (e.g. {keep_prob: 1.0}: dropout is random on
    both sides, so compare without it). Optimizers: functions returning fresh ones.
    """
    mapping, tolerances = _start(tf1, keras_side, name_map, tolerances)
    batches = data.check_batches(batches)
    first_step = moving_statistics.FirstStep(mapping, tf1, keras_side)
    tf1_losses = tf1.train_steps(batches, tf1_optimizer, feed=tf1_feed, after_first=first_step.tf1_hook)
    keras_losses = keras_side.train_steps(batches, keras_optimizer, keras_loss, after_first=first_step.keras_hook)
    steps = closeness.loss_curve_comparisons(
        tf1_losses, keras_losses, name="training steps: loss", early_steps=tolerances.early_steps,
        early_atol=tolerances.early_loss_atol, early_rtol=tolerances.early_loss_rtol,
        late_rtol=tolerances.late_loss_rtol)
    differences, weight_failures = _weight_differences(mapping, tf1, keras_side, tolerances)  # before a rerun
    spread = None
    if not all(comparison.passed for comparison in steps):  # is the strict bar meaningful here?
        steps, spread = reference_spread.judge(tf1, batches, tf1_feed, tf1_losses, keras_losses, steps,
                                               name="training steps: loss", optimizer=tf1_optimizer)
    failing = [comparison for comparison in steps if not comparison.passed]
    failures = [failing[0].message + (f" (and {len(failing) - 1} later step(s) beyond the bar)"
                                      if len(failing) > 1 else "")
                + (f"; {spread.note.removeprefix('training steps: ')}" if spread else "")] if failing else []
    weight_failures += moving_statistics.failures(first_step.comparisons())  # judged always: the losses miss them
    return results.TrainingStepsResult(failures + weight_failures, tolerances, tf1_losses, keras_losses,
                                       steps, differences, moving_statistics=first_step.comparisons(),
                                       reference_spread=spread)


# --- metric ---------------------------------------------------------------------------------------

def accuracy(y_true, y_pred):
    """Share of examples whose argmax of `y_pred` is the class in `y_true` (class indices,
    or one-hot / probabilities of the same shape as y_pred)."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_pred.ndim < 2 or y_pred.shape[-1] < 2:
        raise errors.DataError(f"accuracy: predictions of shape {y_pred.shape}; expected one score per "
                               "class (N, classes); pass metric= for other outputs")
    one_hot = y_true.shape == y_pred.shape
    classes = np.argmax(y_true, axis=-1) if one_hot else y_true.reshape(y_pred.shape[:-1])
    return float(np.mean(np.argmax(y_pred, axis=-1) == classes))


def check_metric(tf1, keras_side, train_batches, x_test, y_test, tf1_optimizer, keras_optimizer,
                 keras_loss, metric=accuracy, init="own", name_map=None, tolerances=None,
                 tf1_feed=None):
    """Both sides train `train_batches` (the budget) from their own inits (`init="own"`) or
    both from TF1's (`"shared"`); |metric(y_test, TF1 predictions) - metric(y_test, Keras
    predictions)| must be within metric_gap. `metric` defaults to accuracy."""
    if init not in ("own", "shared"):
        raise ValueError(f"init={init!r}; expected 'own' or 'shared'")
    x_test, y_test = data.check_examples(x_test, y_test, where="test data")
    tolerances = tolerances or policy.Tolerances.default()
    tf1.reset()
    keras_side.reset()
    if init == "shared":
        keras_side.assign(_resolve(tf1, keras_side, name_map).convert(tf1.variables()))
    batches = data.check_batches(train_batches)
    tf1.train_steps(batches, tf1_optimizer, feed=tf1_feed)
    keras_side.train_steps(batches, keras_optimizer, keras_loss)
    name = getattr(metric, "__name__", type(metric).__name__)
    tf1_value = float(metric(y_test, tf1.predict(x_test)))
    keras_value = float(metric(y_test, keras_side.predict(x_test)))
    result = results.MetricResult([], tolerances, name, tf1_value, keras_value, len(batches), init)
    if not result.gap <= tolerances.metric_gap:  # also fails on NaN
        result.failures.append(
            f"metric {name}: TF1 {tf1_value:.6g} vs Keras {keras_value:.6g} after {len(batches)} steps "
            f"({init} init): gap {result.gap:.4g} exceeds metric_gap={tolerances.metric_gap:g}; would pass "
            f"with metric_gap={closeness.round_up(result.gap):.2g}")
    return result


# --- raising forms --------------------------------------------------------------------------------

def _raising_form(check):
    """`check(...).raise_if_failed()` under the name assert_*, with check's signature."""
    @functools.wraps(check)
    def raising(*args, **kwargs):
        return check(*args, **kwargs).raise_if_failed()
    raising.__name__ = raising.__qualname__ = check.__name__.replace("check_", "assert_")
    raising.__doc__ = (f"{check.__name__}(...).raise_if_failed(): the result when it passed, else "
                       "ParityError (an AssertionError) listing the failures.")
    return raising


assert_structure = _raising_form(check_structure)
assert_forward = _raising_form(check_forward)
assert_training_steps = _raising_form(check_training_steps)
assert_metric = _raising_form(check_metric)
