"""The name map: which TF1 variable becomes which Keras weight.

    name_map = harness.NameMap(
        rules=[(r"model/(.*)", r"\\1")],                      # ordered regexes, first match wins
        table={"Variable_3": "dense_1/bias",                 # explicit entries, checked by name
               "proj/w": ["head/kernel", "aux/kernel"]},     # one TF1 variable, two Keras weights
        transforms={"dense_2/kernel": harness.transpose([1, 0]),
                    "lstm": harness.lstm_cell("rnn/basic_lstm_cell")})
    mapping = name_map.resolve(tf1_model.variables(), keras_model.weights())

Overrides come first: cell transforms, then the table (it wins over any rule for its
TF1 names), then the rules in order (the first that matches a TF1 name decides), then
the automatic match for what is left. Most ports need no overrides (`NameMap()`):
names match by scope (`dense/kernel` on both sides; TF1 contrib's `weights`/`biases`
read as `kernel`/`bias`; BatchNorm's `gamma`, `beta`, `moving_mean`,
`moving_variance`), and raw `tf.Variable`s match by order where their shapes leave no
doubt (tf1_to_keras/harness/matching.py says exactly how). A TF1 variable is named
without its ":0"; a Keras weight by its path in the model (`dense/kernel`,
`lstm/lstm_cell/recurrent_kernel`), see KerasModel.weights. `transforms` keys are
regular expressions over Keras paths (a plain path matches itself), or, for a cell
transform, a Keras layer name.

`resolve` returns a `Mapping`, or raises `NameMapError` listing every unmapped TF1
variable and every unfilled Keras weight with its shape, every shape mismatch after a
transform, any ambiguity, and every rule, table entry or transform that names a
variable or weight that does not exist. Optimizer slots and step counters are skipped
and listed in `mapping.skipped`.

A name-map file (`NameMap.from_file`) is JSON with up to three keys:

    {"rules": [["model/(.*)", "\\\\1"]],
     "table": {"Variable_3": "dense_1/bias", "proj/w": ["head/kernel", "aux/kernel"]},
     "transforms": {"dense_2/kernel": {"transform": "transpose", "axes": [1, 0]},
                    "lstm": {"transform": "lstm_cell", "scope": "rnn/basic_lstm_cell"}}}
"""

import json
import re

from tf1_to_keras.harness import matching
from tf1_to_keras.harness import transforms as transforms_lib

FILE_KEYS = ("rules", "table", "transforms")


class NameMap:
    """Overrides for the automatic TF1 -> Keras match: `rules`, `table`, `transforms`."""

    def __init__(self, rules=(), table=None, transforms=None, source="name map"):
        self.rules = tuple(_rule(rule, f"{source}: rules[{index}]") for index, rule in enumerate(rules))
        self.table = {_text(name, f"{source}: table key {name!r}"):
                      _paths(paths, f"{source}: table[{name!r}]") for name, paths in (table or {}).items()}
        self.transforms = {_pattern(key, f"{source}: transforms key {key!r}"):
                           transforms_lib.as_transform(value, f"{source}: transforms[{key!r}]")
                           for key, value in (transforms or {}).items()}

    def resolve(self, tf1_variables, keras_weights, tf1_layers=None, skipped=()):
        """The Mapping of {TF1 name: array} onto {Keras path: array}; NameMapError otherwise.

        `tf1_layers` ({TF1 name: layer}, optional) groups TF1 variables by layer where
        their scopes do not (TF1Model.variable_layers); `skipped` ((name, shape), ...)
        is training state already set aside, listed with the Mapping's own.
        """
        return matching.Resolver(self, tf1_variables, keras_weights, tf1_layers, skipped).resolve()

    def to_json(self):
        """The file form; ValueError when a transform is a Python function."""
        return {"rules": [list(rule) for rule in self.rules],
                "table": {name: paths[0] if len(paths) == 1 else list(paths)
                          for name, paths in self.table.items()},
                "transforms": {key: value.to_json() for key, value in self.transforms.items()}}

    @classmethod
    def from_json(cls, document, source="name map"):
        """A NameMap from the file form; ValueError naming `source` and the bad key."""
        if not isinstance(document, dict):
            raise ValueError(f"{source}: a {type(document).__name__}; expected a JSON object with "
                             f"keys {list(FILE_KEYS)}")
        unknown = sorted(set(document) - set(FILE_KEYS))
        if unknown:
            raise ValueError(f"{source}: unknown key(s) {unknown}; expected some of {list(FILE_KEYS)}")
        for key, kind in (("rules", list), ("table", dict), ("transforms", dict)):
            if not isinstance(document.get(key, kind()), kind):
                raise ValueError(f"{source}: key {key!r} is a {type(document[key]).__name__}; "
                                 f"expected a JSON {'array' if kind is list else 'object'}")
        return cls(document.get("rules", ()), document.get("table"),
                   {key: transforms_lib.from_json(spec, f"{source}: transforms[{key!r}]")
                    for key, spec in document.get("transforms", {}).items()}, source=source)

    @classmethod
    def from_file(cls, path):
        """A NameMap from a JSON file; ValueError naming the file (and the key) when it is bad."""
        try:
            with open(path, encoding="utf-8") as stream:
                document = json.load(stream)
        except OSError as error:
            raise ValueError(f"name map {path}: cannot read it: {error.strerror}") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise ValueError(f"name map {path}: not JSON: {error}") from None
        return cls.from_json(document, source=f"name map {path}")


def _text(value, where):
    if not isinstance(value, str) or not value:
        raise ValueError(f"{where}: {value!r}; expected a non-empty string")
    return value


def _pattern(value, where):
    try:
        re.compile(_text(value, where))
    except re.error as error:
        raise ValueError(f"{where}: not a regular expression: {error}") from None
    return value


def _rule(rule, where):
    if not isinstance(rule, (list, tuple)) or len(rule) != 2:
        raise ValueError(f"{where}: {rule!r}; expected a pair [TF1 pattern, Keras replacement]")
    return _pattern(rule[0], where), _text(rule[1], where)


def _paths(value, where):
    paths = [value] if isinstance(value, str) else value
    if not isinstance(paths, (list, tuple)) or not paths:
        raise ValueError(f"{where}: {value!r}; expected a Keras weight path or a list of them")
    return tuple(_text(path, where) for path in paths)
