"""Calling a user's `input_fn` and `model_fn` the way TF1's Estimator did.

Both may take optional arguments (`mode`, `params`, `config`); the Estimator
inspects their signatures and passes only what they declare.
"""

import functools
import inspect

import tensorflow as tf

from legacy_tf1.compat.estimator import model_fn as model_fn_lib

_V1 = tf.compat.v1


def fn_args(function):
    """Names of `function`'s positional-or-keyword arguments (TF1's `fn_args`).

    Arguments a `functools.partial` already binds are left out, as are `self`
    of bound methods and `*args` / `**kwargs`.
    """
    if isinstance(function, functools.partial):
        arguments = fn_args(function.func)[len(function.args):]
        return tuple(name for name in arguments if name not in (function.keywords or {}))
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD,
             inspect.Parameter.KEYWORD_ONLY)
    parameters = inspect.signature(function).parameters.values()
    return tuple(parameter.name for parameter in parameters if parameter.kind in kinds)


def verify_params_argument(model_fn, params):
    """ValueError when params are given to a model_fn without a `params` argument (both Estimators)."""
    arguments = set(fn_args(model_fn))
    if params is not None and "params" not in arguments:
        raise ValueError(f"model_fn ({model_fn}) does not include params argument, "
                         f"but params ({params}) is passed to Estimator.")
    if params is None and "params" in arguments:
        _V1.logging.warning("Estimator's model_fn (%s) includes params argument, but "
                            "params are not passed to Estimator.", model_fn)


def verify_model_fn_args(model_fn, params):
    """ValueError unless model_fn takes `features`, and `params` when params are given."""
    if "features" not in set(fn_args(model_fn)):
        raise ValueError(f"model_fn ({model_fn}) must include features argument.")
    verify_params_argument(model_fn, params)


def _optional_arguments(function, mode, params, config):
    declared = fn_args(function)
    offered = {"mode": mode, "params": params, "config": config}
    return {name: value for name, value in offered.items() if name in declared}


def call_input_fn(input_fn, mode, params, config):
    """Runs input_fn on the CPU; returns (features, labels, input_hooks).

    input_fn may return features, (features, labels), or a tf.data.Dataset of
    either; a Dataset gets an initializable iterator and a hook that
    initializes it in each new session.
    """
    with tf.device("/cpu:0"):
        result = input_fn(**_optional_arguments(input_fn, mode, params, config))
        hooks = []
        if isinstance(result, tf.data.Dataset):
            iterator = _V1.data.make_initializable_iterator(result)
            hooks.append(DatasetInitializerHook(iterator))
            result = iterator.get_next()
    if isinstance(result, (list, tuple)):
        if len(result) != 2:
            raise ValueError(f"input_fn should return features or (features, labels); "
                             f"got a sequence of {len(result)} items")
        return result[0], result[1], hooks
    return result, None, hooks


def call_model_fn(model_fn, features, labels, mode, params, config):
    """model_fn(features, [labels], [mode], [params], [config]) -> its EstimatorSpec."""
    arguments = _optional_arguments(model_fn, mode, params, config)
    if "labels" in fn_args(model_fn):
        arguments["labels"] = labels
    elif labels is not None:
        raise ValueError("model_fn does not take labels, but input_fn returns labels.")
    _V1.logging.info("Calling model_fn.")
    spec = model_fn(features=features, **arguments)
    _V1.logging.info("Done calling model_fn.")
    if not isinstance(spec, model_fn_lib.EstimatorSpec):
        raise ValueError(f"model_fn should return an EstimatorSpec; got {type(spec).__name__}")
    return spec


class DatasetInitializerHook(_V1.train.SessionRunHook):
    """Initializes a Dataset's iterator when a session is created."""

    def __init__(self, iterator):
        self._iterator = iterator

    def begin(self):
        self._initializer = self._iterator.initializer

    def after_create_session(self, session, coord):
        del coord
        session.run(self._initializer)
