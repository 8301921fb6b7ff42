"""A team's own model code named on the command line as `FILE.py:FUNCTION` (`mnist-parity
verify` and `convert --tf1 ... --keras ...`): the spec checked, the file imported by path.

Each file is imported once per run with importlib, as a fresh module of its own (not as
`__main__`, so a program's `if __name__ == "__main__":` block does not run), with its
directory first on sys.path while it loads so that it can import the modules beside it.
It gets no TF1 stand-in switch: it imports `tensorflow.compat.v1` or `legacy_tf1.compat`
itself. Every mistake is a ValueError naming the flag and the file: a spec without `:`, a
file that is missing or not `.py`, a file that raises while it loads, a FUNCTION it lacks.
"""

import hashlib
import importlib.util
import os
import sys

HOOKS = ("tf1_optimizer", "keras_optimizer", "keras_loss")


class ModelFileError(ValueError):
    """A FILE.py:FUNCTION that cannot be used (bad input: exit status 2)."""


def parse_spec(spec, flag):
    """(absolute path, function name) of `FILE.py:FUNCTION`; the file must exist."""
    path, colon, function = str(spec).rpartition(":")
    if not colon or not path or not function.isidentifier():
        raise ModelFileError(f"{flag} {spec!r}; expected FILE.py:FUNCTION (e.g. my_model.py:build_graph)")
    if not path.endswith(".py"):
        raise ModelFileError(f"{flag} {spec!r}: {path} is not a .py file; expected FILE.py:FUNCTION")
    if not os.path.isfile(path):
        raise ModelFileError(f"{flag} {spec!r}: no such file {path}")
    return os.path.abspath(path), function


class ModelFiles:
    """The modules of one run, each file imported once."""

    def __init__(self):
        self.modules = {}

    def module(self, path, flag):
        """The module of `path` (absolute), importing it on first use."""
        if path not in self.modules:
            self.modules[path] = _import(path, flag)
        return self.modules[path]

    def function(self, spec, flag):
        """The function `FILE.py:FUNCTION` names."""
        path, name = parse_spec(spec, flag)
        function = getattr(self.module(path, flag), name, None)
        if not callable(function):
            found = "not callable" if function is not None else "not defined there"
            raise ModelFileError(f"{flag} {spec!r}: {name} is {found}; expected a function of {path}")
        return function

    def hook(self, name, specs):
        """The hook function `name` (one of HOOKS) from the first of `specs` ((spec, flag), ...)
        whose file defines it, or None."""
        for spec, flag in specs:
            hook = getattr(self.module(parse_spec(spec, flag)[0], flag), name, None)
            if hook is not None:
                if not callable(hook):
                    raise ModelFileError(f"{flag} {spec!r}: {name} is a {type(hook).__name__}; "
                                         "expected a function returning it")
                return hook
        return None


def _import(path, flag):
    """`path` imported as a fresh module named after its path (no clash with the kit's)."""
    digest = hashlib.sha256(path.encode()).hexdigest()[:12]
    name = f"mnist_parity_user_{os.path.basename(path)[:-3]}_{digest}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and pickling look their module up here
    sys.path.insert(0, os.path.dirname(path))
    try:
        spec.loader.exec_module(module)
    except Exception as error:  # a team's code: any failure while it loads is bad input, named
        del sys.modules[name]
        raise ModelFileError(f"{flag}: importing {path} raised {type(error).__name__}: {error}") from error
    finally:
        sys.path.remove(os.path.dirname(path))
    return module
