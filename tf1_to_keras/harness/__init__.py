"""Hold your own TF1 -> Keras 3 port to the kit's four bars: any model, any data.

    import keras
    import legacy_tf1.compat as tf          # or tensorflow.compat.v1
    from tf1_to_keras import harness

    tf1 = harness.TF1Model.from_builder(build_tf1_graph, seed=0)   # or .from_checkpoint(...)
    keras_side = harness.KerasModel(build_keras_model, seed=0)
    harness.assert_structure(tf1, keras_side)
    harness.assert_forward(tf1, keras_side, x_test[:1000])
    batches = harness.make_batches(x_train, y_train, batch_size=32, steps=100, seed=0)
    harness.assert_training_steps(
        tf1, keras_side, batches,
        tf1_optimizer=lambda: tf.train.AdamOptimizer(1e-3),
        keras_optimizer=lambda: harness.keras_adam_like_tf1(1e-3),
        keras_loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))

The pieces, each documented in its module:

* `TF1Model` (tf1_models): the TF1 graph and session, from a builder function (returning
  `(inputs, outputs)` or a dict of endpoints) or a checkpoint + meta graph; `KerasModel` (keras_models): the Keras port, a model or a
  function returning one; `keras_adam_like_tf1`.
* `NameMap` (name_maps): TF1 variable -> Keras weight, automatic by scope and order,
  with `rules`, a `table` and `transforms` (`transpose`, `reshape`, `lstm_cell`,
  `gru_cell`, `simple_rnn_cell`), loadable from a JSON file; `resolve` gives a `Mapping`.
* `Tolerances` (policy): the kit's bars; an override carries its reason.
* `check_structure`, `check_forward`, `check_training_steps`, `check_metric` (checks):
  each returns a result (`StructureResult`, `ForwardResult`, `TrainingStepsResult`,
  `MetricResult`; results) with `passed`, `failures`, `to_json()`, `raise_if_failed()`;
  the `assert_*` forms raise `ParityError` (an AssertionError). `combine` merges results
  into one report entry. A failing forward check names its `first_divergent_layer`,
  through the builder's taps or, without them, the name map's pairs (localisation).
* `Pair` (pairs): a TF1 model and its Keras port held together with one name map,
  one policy and the training checks' optimizers; `pair.structure()`, `.forward(x)`,
  `.training_steps(batches)`, `.metric(...)`, and `.report()` for all of them. The
  pytest plugin (tf1_to_keras/pytest_plugin.py) and `tf1-to-keras verify` use it.
* `make_batches`, `check_examples` (data): batches in TF1 `next_batch` order, input checks.
* Errors (errors): `HarnessInputError` (a ValueError: bad input, exit status 2 in a
  command) and its `DataError`, `ModelError`, `NameMapError`; `ParityError`.

A TF1Model and a KerasModel keep their starting weights: every check starts from them,
so the checks run alone and in any order.
"""

# Public names load on first use: closeness, tolerances and structure are light modules of
# this package that commands and the pytest plugin import before TensorFlow is needed.
_HOMES = {
    'accuracy': 'checks',
    'assert_forward': 'checks',
    'assert_metric': 'checks',
    'assert_structure': 'checks',
    'assert_training_steps': 'checks',
    'check_forward': 'checks',
    'check_metric': 'checks',
    'check_structure': 'checks',
    'check_training_steps': 'checks',
    'check_examples': 'data',
    'make_batches': 'data',
    'DataError': 'errors',
    'HarnessInputError': 'errors',
    'ModelError': 'errors',
    'NameMapError': 'errors',
    'ParityError': 'errors',
    'KerasModel': 'keras_models',
    'keras_adam_like_tf1': 'keras_models',
    'Conversion': 'mappings',
    'Mapping': 'mappings',
    'NameMap': 'name_maps',
    'Pair': 'pairs',
    'Tolerances': 'policy',
    'CheckResult': 'results',
    'ForwardResult': 'results',
    'MetricResult': 'results',
    'StructureResult': 'results',
    'TrainingStepsResult': 'results',
    'combine': 'results',
    'TF1Model': 'tf1_models',
    'ArrayTransform': 'transforms',
    'CellTransform': 'transforms',
    'gru_cell': 'transforms',
    'lstm_cell': 'transforms',
    'reshape': 'transforms',
    'simple_rnn_cell': 'transforms',
    'transpose': 'transforms',
}


__all__ = [
    "TF1Model", "KerasModel", "keras_adam_like_tf1",
    "NameMap", "Mapping", "Conversion",
    "ArrayTransform", "CellTransform", "transpose", "reshape", "lstm_cell", "gru_cell", "simple_rnn_cell",
    "Tolerances", "Pair",
    "check_structure", "check_forward", "check_training_steps", "check_metric", "accuracy",
    "assert_structure", "assert_forward", "assert_training_steps", "assert_metric",
    "CheckResult", "StructureResult", "ForwardResult", "TrainingStepsResult", "MetricResult", "combine",
    "make_batches", "check_examples",
    "HarnessInputError", "DataError", "ModelError", "NameMapError", "ParityError",
]


def __getattr__(name):
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_HOMES))
