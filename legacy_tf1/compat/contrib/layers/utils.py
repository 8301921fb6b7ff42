"""Helpers shared by the contrib layers, after TF 1.x's `contrib/layers/python/layers/utils.py`.

* `collect_named_outputs`: adds a layer's output to `outputs_collections`, with
  the layer's scope name appended to the tensor's `aliases` (TF1's convention).
* `get_variable_collections` / `add_variable_to_collections`: `variables_collections`
  is a list for every variable or a dict {"weights": [...], "biases": [...], ...}.
* `model_variable_getter`: the variable-scope custom getter TF1 gave the core
  layers: renames `kernel`/`bias` to `weights`/`biases` and puts the variables
  in MODEL_VARIABLES as well as GLOBAL_VARIABLES (what `model_variable` did).
* `smart_cond` / `constant_value`: a Python bool (or a constant tensor) picks a
  branch at graph-building time; any other tensor becomes a `tf.cond`.
"""

import numpy as np
import tensorflow as _tensorflow
from tensorflow.python.ops import variables as _variables  # PartitionedVariable is not public

_V1 = _tensorflow.compat.v1


def append_tensor_alias(tensor, alias):
    """Appends `alias` (without a trailing '/') to `tensor.aliases`."""
    alias = alias[:-1] if alias.endswith("/") else alias
    if hasattr(tensor, "aliases"):
        tensor.aliases.append(alias)
    else:
        tensor.aliases = [alias]
    return tensor


def collect_named_outputs(collections, alias, outputs):
    """Adds `outputs` to each of `collections` (if any), aliased `alias`; returns it."""
    if collections:
        append_tensor_alias(outputs, alias)
        _V1.add_to_collections(collections, outputs)
    return outputs


def get_variable_collections(variables_collections, name):
    """The collections for the variable `name`: a dict's entry, or the list itself."""
    if isinstance(variables_collections, dict):
        return variables_collections.get(name)
    return variables_collections


def add_variable_to_collections(variable, variables_collections, name):
    """Adds `variable` (each part of a partitioned one) to its collections, once."""
    collections = get_variable_collections(variables_collections, name) or []
    parts = list(variable) if isinstance(variable, _variables.PartitionedVariable) else [variable]
    for collection in collections:
        for part in parts:
            if part not in _V1.get_collection(collection):
                _V1.add_to_collection(collection, part)


def model_variable_getter(rename=None):
    """A custom getter creating model variables, renamed by `rename` {layer name: TF1 name}."""
    rename = rename or {}

    def custom_getter(getter, name, *args, **kwargs):
        prefix, _, short_name = name.rpartition("/")
        if short_name in rename:
            name = f"{prefix}/{rename[short_name]}" if prefix else rename[short_name]
        collections = list(kwargs.get("collections") or [])
        collections += [_V1.GraphKeys.GLOBAL_VARIABLES, _V1.GraphKeys.MODEL_VARIABLES]
        kwargs["collections"] = list(dict.fromkeys(collections))  # TF1 removed duplicates
        return getter(name, *args, **kwargs)

    return custom_getter


def constant_value(predicate):
    """The Python bool of `predicate` when known while building the graph, else None."""
    if isinstance(predicate, _V1.Variable):
        return None
    if _tensorflow.is_tensor(predicate):
        value = _tensorflow.get_static_value(predicate)
        return None if value is None else bool(value)
    if isinstance(predicate, (bool, int, np.bool_, np.integer)) and predicate in (0, 1):
        return bool(predicate)
    raise TypeError(f"predicate {predicate!r}; expected a Tensor, a Python bool, or 1 or 0")


def smart_cond(predicate, true_function, false_function):
    """`true_function()` or `false_function()` when `predicate` is known, else a tf.cond."""
    value = constant_value(predicate)
    if value is None:
        return _V1.cond(predicate, true_function, false_function)
    return true_function() if value else false_function()
