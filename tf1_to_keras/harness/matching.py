"""How a name map is resolved against the two models' weights (NameMap.resolve's engine).

In this order, each step taking only what the steps before left open:
1. cell transforms (a TF1 cell scope -> a Keras layer's weights);
2. the explicit `table` {TF1 name: Keras path or [paths]};
3. the ordered regex `rules` [(TF1 pattern, Keras replacement)], first match wins;
4. by name: TF1 `scope/kernel` <-> Keras `scope/kernel` (contrib `weights`/`biases` read
   as `kernel`/`bias`), exactly or as the unique tail of the other's name;
5. by order within a layer: TF1 variables grouped by scope (or by the builder's
   `variables` groups) against the Keras layer of that name, when their shapes agree
   position by position;
6. by order over what is left (TF1 creation order vs Keras weight order), when the
   shapes agree position by position; otherwise only where a shape is unique on both
   sides. Anything else open is ambiguous and needs a rule or a table entry.
Shapes are compared after the Keras weight's array transform.
"""

import difflib
import re

import numpy as np

from tf1_to_keras.harness import errors, mappings, training_state, transforms

CONTRIB_NAMES = {"weights": "kernel", "biases": "bias"}


def _shape(array):
    return tuple(int(size) for size in np.shape(array))


def _normalized(name):
    scope, _, last = name.rpartition("/")
    last = CONTRIB_NAMES.get(last, last)
    return f"{scope}/{last}" if scope else last


def _hint(name, known):
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


class Resolver:
    """One resolution: open TF1 names and Keras paths, the conversions made, the problems."""

    def __init__(self, name_map, tf1_variables, keras_weights, tf1_layers=None, skipped=()):
        self.map = name_map
        self.tf1 = {name.removesuffix(":0"): value for name, value in tf1_variables.items()}
        self.keras = dict(keras_weights)
        model_names, state = training_state.split_training_state(self.tf1)
        self.skipped = tuple(skipped) + tuple((name, _shape(self.tf1[name])) for name in state)
        self.layers = dict(tf1_layers or {})
        self.open_tf1 = list(model_names)
        self.open_keras = list(self.keras)
        self.conversions, self.filled_by = [], {}
        self.problems, self.unknown, self.mismatched = [], [], []

    def resolve(self):
        """The Mapping; NameMapError listing every problem."""
        for step in (self._cells, self._table, self._rules, self._by_name, self._by_layer_order,
                     self._by_order):
            step()
        unmapped = [(name, _shape(self.tf1[name])) for name in self.open_tf1]
        unfilled = [(path, _shape(self.keras[path])) for path in self.open_keras]
        problems = (self.problems + [f"unmapped TF1 variable {name} {shape}" for name, shape in unmapped]
                    + [f"unfilled Keras weight {path} {shape}" for path, shape in unfilled])
        if problems:
            raise errors.NameMapError(problems, unmapped, unfilled, self.mismatched, self.unknown,
                                      self.conversions)
        return mappings.Mapping(tuple(self.conversions), self.skipped)

    # --- bookkeeping ---------------------------------------------------------------------------

    def _unknown(self, line):
        self.unknown.append(line)
        self.problems.append(line)

    def _array_transform(self, path):
        for key, transform in self.map.transforms.items():
            if not isinstance(transform, transforms.CellTransform) and re.fullmatch(key, path):
                return transform
        return None

    def _converted_shape(self, name, path):
        transform = self._array_transform(path)
        try:
            return _shape(transform(self.tf1[name]) if transform else self.tf1[name])
        except (ValueError, IndexError) as error:
            return f"(transform {transform!r} failed: {error})"

    def _fits(self, name, path):
        return self._converted_shape(name, path) == _shape(self.keras[path])

    def _add(self, names, paths, how, transform=None, arrays=None):
        """Records a conversion; a shape mismatch or a weight filled twice is a problem."""
        for name in names:
            if name in self.open_tf1:
                self.open_tf1.remove(name)
        for index, path in enumerate(paths):
            if path in self.filled_by:
                self.problems.append(f"Keras weight {path} filled twice: from {self.filled_by[path]} "
                                     f"and from {list(names)} ({how})")
            self.filled_by[path] = list(names)
            if path in self.open_keras:
                self.open_keras.remove(path)
            shape = _shape(arrays[index]) if arrays is not None else self._converted_shape(names[0], path)
            if shape != _shape(self.keras[path]):
                line = (f"shape mismatch ({how}): TF1 {', '.join(names)} {_shape(self.tf1[names[0]])} "
                        f"-> {shape} vs Keras {path} {_shape(self.keras[path])}")
                self.mismatched.append(line)
                self.problems.append(line)
        transform = transform if transform is not None else self._array_transform(paths[0])
        self.conversions.append(mappings.Conversion(tuple(names), tuple(paths), transform, how))

    # --- the six steps -------------------------------------------------------------------------

    def _cells(self):
        for key, transform in self.map.transforms.items():
            if isinstance(transform, transforms.CellTransform):
                self._cell(key, transform)

    def _cell(self, key, transform):
        # key: a layer's name, or "layer/inner" for a wrapper's inner layer (Bidirectional's forward_lstm)
        paths = [path for path in self.open_keras if re.fullmatch(key, path.split("/")[0])
                 or ("/" in key and re.fullmatch(key, "/".join(path.split("/")[:2])))]
        names = [name for name in self.open_tf1 if name.startswith(transform.scope + "/")]
        if not paths:
            self._unknown(f"transform {key!r} ({transform!r}): no Keras layer {key!r} with open "
                          f"weights{_hint(key, {path.split('/')[0] for path in self.keras})}")
        if not names:
            self._unknown(f"transform {key!r} ({transform!r}): no TF1 variable under scope "
                          f"{transform.scope!r}{_hint(transform.scope, self.tf1)}")
        if not paths or not names:
            return
        try:
            arrays = transform({name: self.tf1[name] for name in names})
        except ValueError as error:  # rnn_weights.RNNConversionError names the variable and shapes
            self.problems.append(f"transform {key!r}: {error}")
            return
        if len(arrays) != len(paths):
            self.problems.append(f"transform {key!r} ({transform!r}) gives {len(arrays)} arrays for "
                                 f"the {len(paths)} weights of Keras layer {key!r}: {paths}")
            return
        self._add(names, paths, "transform", transform, arrays)

    def _table(self):
        for name, paths in self.map.table.items():
            if name not in self.tf1:
                self._unknown(f"table entry {name!r}: no TF1 variable of that name{_hint(name, self.tf1)}")
                continue
            if any(name == skipped for skipped, _ in self.skipped):
                self._unknown(f"table entry {name!r}: TF1 training state (optimizer slot or step "
                              "counter), which never maps to a Keras weight")
                continue
            for path in paths:
                if path not in self.keras:
                    self._unknown(f"table entry {name!r} -> {path!r}: no Keras weight of that "
                                  f"name{_hint(path, self.keras)}")
                else:
                    self._add([name], [path], "table")

    def _rules(self):
        for name in list(self.open_tf1):
            for pattern, replacement in self.map.rules:
                match = re.fullmatch(pattern, name)
                if match is None:
                    continue
                path = match.expand(replacement)
                if path in self.keras:
                    self._add([name], [path], "rule")
                else:
                    self._unknown(f"rule {pattern!r} -> {replacement!r} maps TF1 {name} to {path!r}: "
                                  f"no Keras weight of that name{_hint(path, self.keras)}")
                break

    def _by_name(self):
        for name in list(self.open_tf1):
            if _normalized(name) in self.open_keras:
                self._add([name], [_normalized(name)], "name")
        candidates = {name: [path for path in self.open_keras if _tails_match(_normalized(name), path)]
                      for name in self.open_tf1}
        claims = {}
        for name, paths in candidates.items():
            for path in paths:
                claims.setdefault(path, []).append(name)
        for name, paths in candidates.items():
            if len(paths) == 1 and len(claims[paths[0]]) == 1:
                self._add([name], paths, "name")

    def _by_layer_order(self):
        for layer in dict.fromkeys(path.split("/")[0] for path in self.open_keras):
            paths = [path for path in self.open_keras if path.split("/")[0] == layer]
            names = [name for name in self.open_tf1 if same_layer(self._tf1_layer(name), layer)]
            if names and len(names) == len(paths) and all(map(self._fits, names, paths)):
                for name, path in zip(names, paths):
                    self._add([name], [path], "order")

    def _tf1_layer(self, name):
        return self.layers.get(name, name.rpartition("/")[0])

    def _by_order(self):
        names, paths = list(self.open_tf1), list(self.open_keras)
        if names and len(names) == len(paths) and all(map(self._fits, names, paths)):
            for name, path in zip(names, paths):
                self._add([name], [path], "order")
            return
        fits = {path: [name for name in names if self._fits(name, path)] for path in paths}
        takers = {name: [path for path in paths if name in fits[path]] for name in names}
        ambiguous = {}
        for path in paths:
            if len(fits[path]) == 1 and len(takers[fits[path][0]]) == 1:
                self._add(fits[path], [path], "order")
            elif len(fits[path]) > 1:
                ambiguous.setdefault(tuple(fits[path]), []).append(path)
        for names_group, paths_group in ambiguous.items():
            self.problems.append(
                f"ambiguous: TF1 {list(names_group)} and Keras {paths_group} have the same shapes but "
                "their orders differ; add a rule or a table entry saying which goes where")


def _tails_match(tf1_name, path):
    return tf1_name.endswith("/" + path) or path.endswith("/" + tf1_name)


def same_layer(tf1_layer, keras_layer):
    return bool(tf1_layer) and (tf1_layer == keras_layer or tf1_layer.endswith("/" + keras_layer))
