"""A resolved name map: which TF1 variables become which Keras weights, and how.

`NameMap.resolve` returns a `Mapping`. `mapping.convert(tf1_values)` turns any set of
the TF1 model's variable values (its start, or after training) into {Keras path:
array} for `KerasModel.assign`; `mapping.invert(keras_values, tf1_shapes)` runs it
backwards (tf1_to_keras/harness/inverses.py); `mapping.as_dict()` is its JSON form for reports.
"""

import dataclasses

import numpy as np

from tf1_to_keras.harness import errors, inverses, transforms


@dataclasses.dataclass(frozen=True)
class Conversion:
    """TF1 variable(s) -> Keras weight(s): one to one (optionally through an array
    transform), one to several (a TF1 name in the table with several paths: one
    Conversion each) or a whole cell (`transform` a CellTransform).

    `how` says what matched them: "name", "rule", "table", "order" or "transform".
    """

    tf1_names: tuple
    keras_paths: tuple
    transform: object = None
    how: str = "name"

    def apply(self, tf1_values):
        """The Keras arrays, in `keras_paths` order, from {TF1 name: array}."""
        if isinstance(self.transform, transforms.CellTransform):
            return self.transform({name: tf1_values[name] for name in self.tf1_names})
        array = np.asarray(tf1_values[self.tf1_names[0]])
        return [self.transform(array) if self.transform is not None else array.copy()]

    def to_json(self):
        transform = None
        if self.transform is not None:
            transform = (self.transform.to_json() if self.transform.name in transforms.NAMED
                         else {"transform": self.transform.name})
        return {"tf1": list(self.tf1_names), "keras": list(self.keras_paths), "how": self.how,
                "transform": transform}


@dataclasses.dataclass(frozen=True)
class Mapping:
    """Every Conversion, and the TF1 training state set aside: ((name, shape), ...)."""

    conversions: tuple
    skipped: tuple = ()

    def pairs(self):
        """[(TF1 name, Keras path), ...] for every source and target of every conversion."""
        return [(name, path) for conversion in self.conversions
                for name in conversion.tf1_names for path in conversion.keras_paths]

    def sources(self):
        """{Keras path: (TF1 names it is computed from)}."""
        return {path: conversion.tf1_names for conversion in self.conversions
                for path in conversion.keras_paths}

    def convert(self, tf1_values):
        """{Keras path: array} from {TF1 name: array}; ModelError naming any missing variable."""
        tf1_values = {name.removesuffix(":0"): value for name, value in tf1_values.items()}
        missing = sorted({name for name, _ in self.pairs()} - set(tf1_values))
        if missing:
            raise errors.ModelError(f"TF1 values lack mapped variable(s) {missing}")
        converted = {}
        for conversion in self.conversions:
            converted.update(zip(conversion.keras_paths, conversion.apply(tf1_values)))
        return converted

    def invert(self, keras_values, tf1_shapes):
        """{TF1 name: array} from {Keras path: array}, each conversion's transform inverted;
        NameMapError for one that has no inverse (a Python function)."""
        return inverses.invert(self, keras_values, tf1_shapes)

    def as_dict(self):
        """JSON-ready: {"conversions": [...], "skipped": [[name, shape], ...]}."""
        return {"conversions": [conversion.to_json() for conversion in self.conversions],
                "skipped": [[name, list(shape)] for name, shape in self.skipped]}
