"""TF 1.x `tf.contrib.framework`: the global-step helpers and `arg_scope`.

TF 1.x moved the global-step helpers to `tf.train` (where `tf.compat.v1` still
has them) and kept `tf.contrib.framework.get_global_step` as an alias; so does
this module.

`arg_scope`, `add_arg_scope`, `has_arg_scope`, `arg_scoped_arguments` and
`current_arg_scope` behave as TF 1.x's `contrib/framework/python/ops/arg_scope.py`:
one process-wide stack of {function key: {argument: value}}; inside
`with arg_scope([f, g], name=value)`, a call of a function decorated with
`add_arg_scope` gets the scope's values for the keyword arguments it does not
pass itself; nested scopes add to (and override) the outer ones; `with
arg_scope(saved_scope)` re-enters a scope yielded earlier. A function not
decorated is a ValueError, anything but a list, tuple or dict a TypeError.
Any other `tf.contrib.framework.<name>` raises an AttributeError naming it.
"""

import contextlib
import functools

import tensorflow as _tensorflow

from legacy_tf1.compat._not_provided import module_getattr

_TRAIN = _tensorflow.compat.v1.train


def get_global_step(graph=None):
    """The graph's global step variable, or None when it has not been created."""
    return _TRAIN.get_global_step(graph)


def get_or_create_global_step(graph=None):
    """The graph's global step variable, created (int64, zero) when missing."""
    return _TRAIN.get_or_create_global_step(graph)


def create_global_step(graph=None):
    """Creates the graph's global step; ValueError when it already exists."""
    return _TRAIN.create_global_step(graph)


def assert_global_step(global_step_tensor):
    """Raises TypeError unless the tensor is a scalar integer global step."""
    _TRAIN.assert_global_step(global_step_tensor)


_ARGUMENT_STACK = [{}]  # TF1's: a process-wide stack of scopes, the innermost last
_DECORATED_FUNCTIONS = {}  # function key -> names of its keyword arguments


def _key(function):
    return getattr(function, "_key_op", str(function))


def _keyword_argument_names(function):
    """The names of the arguments that have defaults (what TF1 listed)."""
    code = function.__code__
    defaults_count = len(function.__defaults__ or ())
    return code.co_varnames[code.co_argcount - defaults_count:code.co_argcount]


def current_arg_scope():
    """The innermost scope: {function key: {argument: value}}."""
    return _ARGUMENT_STACK[-1]


def _entered_scope(list_ops_or_scope, kwargs):
    """The scope that `arg_scope(list_ops_or_scope, **kwargs)` enters."""
    if isinstance(list_ops_or_scope, dict):
        if kwargs:
            raise ValueError(f"arg_scope got a saved scope and keyword arguments {sorted(kwargs)}; "
                             "expected no keyword arguments when re-using a scope")
        return list_ops_or_scope.copy()
    if not isinstance(list_ops_or_scope, (list, tuple)):
        raise TypeError(f"list_ops_or_scope={list_ops_or_scope!r}; expected a list or tuple of "
                        "functions, or a scope (dict) yielded by arg_scope")
    scope = current_arg_scope().copy()
    for function in list_ops_or_scope:
        if not has_arg_scope(function):
            raise ValueError(f"{getattr(function, '__name__', function)!r} is not decorated "
                             "with @add_arg_scope; expected functions that are")
        scope[_key(function)] = {**scope.get(_key(function), {}), **kwargs}
    return scope


@contextlib.contextmanager
def arg_scope(list_ops_or_scope, **kwargs):
    """Default keyword arguments for the listed functions inside the `with` block.

    Yields the scope (a dict), which `arg_scope(scope)` re-enters later.
    """
    scope = _entered_scope(list_ops_or_scope, kwargs)
    _ARGUMENT_STACK.append(scope)
    try:
        yield scope
    finally:
        _ARGUMENT_STACK.pop()


def add_arg_scope(function):
    """Decorates `function` so that `arg_scope` can supply its keyword arguments."""
    key = _key(function)

    @functools.wraps(function)
    def function_with_args(*args, **kwargs):
        scoped = current_arg_scope().get(key)
        if scoped is not None:
            kwargs = {**scoped, **kwargs}  # the call's own arguments win
        return function(*args, **kwargs)

    _DECORATED_FUNCTIONS.setdefault(key, _keyword_argument_names(function))
    function_with_args._key_op = key  # pylint: disable=protected-access
    return function_with_args


def has_arg_scope(function):
    """Whether `function` was decorated with `add_arg_scope`."""
    return _key(function) in _DECORATED_FUNCTIONS


def arg_scoped_arguments(function):
    """The keyword arguments `arg_scope` can set for a decorated `function`."""
    if not has_arg_scope(function):
        raise ValueError(f"{function!r} is not decorated with @add_arg_scope")
    return _DECORATED_FUNCTIONS[_key(function)]


__getattr__ = module_getattr("tf.contrib.framework",
                             "its tf.contrib.framework supplies the global-step helpers and arg_scope")
