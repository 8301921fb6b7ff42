"""The registry of constructs: one module per TF1 construct recognition knows, collected here.

A construct module (this package, any name) holds its patterns, each declared with
`@pattern(priority, why)`: a matcher `match(tensor, context) -> (LayerSpec, input tensor(s)) |
None` (recognition_context) and its place among the others. Recognition asks the patterns of
every module, highest priority first, which layer produces a tensor; the first that answers
wins. A pattern that must see a tensor before another one could claim part of it (a dropout's
Mul before a merge, a cell's MatMul before Dense) declares a higher priority, and says why.
Equal priorities are tried in (module, function) name order: a stable tie-break, meant for
patterns that never match the same op.

A construct whose Keras layer does not exist in `keras.layers` defines a small registered,
serialisable layer class in its module (`keras.layers.Layer` subclass, keras.ops only):
`custom_layers()` lists them, and code generation copies each used one into model.py.
"""

import dataclasses
import functools
import importlib
import inspect
import pkgutil

import keras


@dataclasses.dataclass(eq=False)
class Pattern:
    """A matcher with its declared precedence: `priority` (higher is tried first), `why`."""

    match: object
    priority: int
    why: str

    @property
    def name(self):
        return f"{self.match.__module__.rpartition('.')[2]}.{self.match.__name__}"

    def __call__(self, tensor, context):
        return self.match(tensor, context)


def pattern(priority, why):
    """Declares a construct's matcher and its priority: `@pattern(60, "before merges: ...")`."""
    if not isinstance(priority, int) or not why:
        raise ValueError(f"pattern priority {priority!r}: expected an int and a reason")
    return lambda match: functools.update_wrapper(Pattern(match, priority, why), match)


def construct_modules():
    """Every module of this package, imported (pkgutil: a new file is a new construct)."""
    return [importlib.import_module(f"{__name__}.{info.name}")
            for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name)
            if not info.name.startswith("_")]


def ordered(patterns):
    """`patterns` in the order recognition tries them: priority, then name."""
    return sorted(patterns, key=lambda found: (-found.priority, found.name))


@functools.cache
def patterns():
    """Every construct's patterns, in the order recognition tries them."""
    found = [value for module in construct_modules() for value in vars(module).values()
             if isinstance(value, Pattern)]
    return tuple(ordered(found))


@functools.cache
def custom_layers():
    """{class name: class} of the layer classes the construct modules define (not keras')."""
    found = {}
    for module in construct_modules():
        for name, value in vars(module).items():
            if (inspect.isclass(value) and issubclass(value, keras.layers.Layer)
                    and value.__module__ == module.__name__):
                found[name] = value
    return found
