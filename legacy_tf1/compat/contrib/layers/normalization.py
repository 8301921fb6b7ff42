"""TF 1.x `tf.contrib.layers.batch_norm` (from `contrib/layers/python/layers/layers.py`).

Defaults as TF1: decay=0.999, center=True, scale=False (no `gamma`),
epsilon=0.001, is_training=True, updates_collections=UPDATE_OPS (the
moving-average updates must run with the train op), fused=None (= True).
Variables `BatchNorm/beta`, `BatchNorm/moving_mean`, `BatchNorm/moving_variance`
(and `BatchNorm/gamma` with scale=True), in MODEL_VARIABLES too.
`is_training` may be a Python bool or a boolean tensor (a placeholder).

TF1 took one of three routes, and so does this module, because they differ in
the numbers: the moving variance of the fused kernel is the batch variance with
Bessel's correction (n / (n - 1)), that of `tf.nn.moments` without it.

1. rank 2 or 4, fused, and rank 2, updates_collections other than UPDATE_OPS
   (None: updates run in place) or zero_debias_moving_mean: TF1's
   `_fused_batch_norm`, `tf.nn.fused_batch_norm` on the inputs seen as 4-D;
2. otherwise, with UPDATE_OPS and no batch_weights: the `tf.layers`
   BatchNormalization class (fused kernel for rank 4 when fused);
3. otherwise (batch_weights, or fused=False with other update collections):
   `tf.nn.moments` (weighted with batch_weights) and `tf.nn.batch_normalization`.
"""

import tensorflow as _tensorflow
from tensorflow.python.training import moving_averages as _moving_averages

import legacy_tf1.compat.layers as _tf_layers
from legacy_tf1.compat.contrib import framework
from legacy_tf1.compat.contrib.layers import utils

_V1 = _tensorflow.compat.v1
_UPDATE_OPS = _V1.GraphKeys.UPDATE_OPS

DATA_FORMATS = ("NHWC", "NCHW")
_DEFAULT_INITIALIZERS = {"beta": _V1.zeros_initializer(), "gamma": _V1.ones_initializer(),
                         "moving_mean": _V1.zeros_initializer(),
                         "moving_variance": _V1.ones_initializer()}


def _initializer(options, name):
    return (options["param_initializers"] or {}).get(name, _DEFAULT_INITIALIZERS[name])


def _finish(outputs, options, scope_name):
    if options["activation_fn"] is not None:
        outputs = options["activation_fn"](outputs)
    return utils.collect_named_outputs(options["outputs_collections"], scope_name, outputs)


def _layer_batch_norm(inputs, options):
    """Route 2: the tf.layers BatchNormalization class, in TF1's variable scope."""
    with _V1.variable_scope(options["scope"], "BatchNorm", [inputs], reuse=options["reuse"],
                            custom_getter=utils.model_variable_getter()) as scope:
        inputs = _V1.convert_to_tensor(inputs)
        regularizers = options["param_regularizers"] or {}
        # TF1 fused only 4-D inputs (V1 behaviour falls back silently otherwise).
        fused = (bool(options["fused"]) and inputs.shape.ndims == 4 and not options["renorm"]
                 and options["adjustment"] is None)
        layer = _tf_layers.BatchNormalization(
            axis=1 if options["data_format"] == "NCHW" else -1, momentum=options["decay"],
            epsilon=options["epsilon"], center=options["center"], scale=options["scale"],
            beta_initializer=_initializer(options, "beta"),
            gamma_initializer=_initializer(options, "gamma"),
            moving_mean_initializer=_initializer(options, "moving_mean"),
            moving_variance_initializer=_initializer(options, "moving_variance"),
            beta_regularizer=regularizers.get("beta"), gamma_regularizer=regularizers.get("gamma"),
            trainable=options["trainable"], renorm=options["renorm"],
            renorm_clipping=options["renorm_clipping"], renorm_momentum=options["renorm_decay"],
            adjustment=options["adjustment"], name=scope.name, _scope=scope,
            _reuse=options["reuse"], fused=fused)
        outputs = layer.apply(inputs, training=options["is_training"])
        for name in ("moving_mean", "moving_variance", "beta", "gamma"):
            if getattr(layer, name) is not None:
                utils.add_variable_to_collections(getattr(layer, name),
                                                  options["variables_collections"], name)
        return _finish(outputs, options, scope.name)


def _model_variable(options, name, shape, dtype, trainable):
    """A model variable `name` with its initializer, regularizer and collections."""
    collections = list(utils.get_variable_collections(options["variables_collections"], name) or [])
    collections += [_V1.GraphKeys.GLOBAL_VARIABLES, _V1.GraphKeys.MODEL_VARIABLES]
    return _V1.get_variable(name, shape=shape, dtype=dtype,
                            initializer=_initializer(options, name),
                            regularizer=(options["param_regularizers"] or {}).get(name),
                            collections=list(dict.fromkeys(collections)), trainable=trainable)


def _parameters(options, shape, dtype):
    """beta, gamma (constants 0 and 1 when not centered / scaled), moving mean and variance."""
    trainable = options["trainable"]
    beta = (_model_variable(options, "beta", shape, dtype, trainable) if options["center"]
            else _V1.constant(0.0, dtype=dtype, shape=shape))
    gamma = (_model_variable(options, "gamma", shape, dtype, trainable) if options["scale"]
             else _V1.constant(1.0, dtype=dtype, shape=shape))
    # TF1 turned the partitioner off here: assign_moving_average cannot update parts.
    with _V1.variable_scope(_V1.get_variable_scope()) as local_scope:
        local_scope.set_partitioner(None)
        moving_mean = _model_variable(options, "moving_mean", shape, dtype, False)
        moving_variance = _model_variable(options, "moving_variance", shape, dtype, False)
    return beta, gamma, moving_mean, moving_variance


def _moving_average_updates(options, moving_mean, moving_variance, mean, variance):
    """The two assign_moving_average ops (zero-debiased mean when asked, as TF1)."""
    update_mean = _moving_averages.assign_moving_average(
        moving_mean, mean, options["decay"], zero_debias=options["zero_debias_moving_mean"])
    update_variance = _moving_averages.assign_moving_average(
        moving_variance, variance, options["decay"], zero_debias=False)
    return update_mean, update_variance


def _after_updates(options, moving, batch_moments, values):
    """`values` (a tensor or a tuple), read after the moving averages took in the batch."""
    with _V1.control_dependencies(_moving_average_updates(options, *moving, *batch_moments)):
        return _tensorflow.nest.map_structure(_V1.identity, values)


def _collect_updates(options, moving, batch_moments):
    """Adds the update ops (a read of the moving averages when not training) to the collections."""
    updates = utils.smart_cond(options["is_training"],
                               lambda: _moving_average_updates(options, *moving, *batch_moments),
                               lambda: tuple(moving))
    for update in updates:
        _V1.add_to_collections(options["updates_collections"], update)


def _checked_parameter_shape(inputs, channel_axis):
    shape = inputs.shape[channel_axis:][:1]
    if not shape.is_fully_defined():
        raise ValueError(f"inputs {inputs.name} have shape {inputs.shape}; "
                         "expected a known channels dimension")
    return shape


def _fused_batch_norm(inputs, options):
    """Route 1: tf.nn.fused_batch_norm, 2-D inputs seen as [N, 1, 1, C]."""
    with _V1.variable_scope(options["scope"], "BatchNorm", [inputs],
                            reuse=options["reuse"]) as scope:
        original = inputs = _V1.convert_to_tensor(inputs)
        data_format, rank = options["data_format"], inputs.shape.ndims
        if rank == 2:
            channels = _checked_parameter_shape(inputs, -1)[0]
            inputs = _V1.reshape(inputs, [-1, channels, 1, 1] if data_format == "NCHW"
                                 else [-1, 1, 1, channels])
        shape = _checked_parameter_shape(inputs, 1 if data_format == "NCHW" else 3)
        beta, gamma, *moving = _parameters(options, shape, _tensorflow.float32)
        training = lambda: _V1.nn.fused_batch_norm(  # noqa: E731
            inputs, gamma, beta, epsilon=options["epsilon"], data_format=data_format)
        inference = lambda: _V1.nn.fused_batch_norm(  # noqa: E731
            inputs, gamma, beta, mean=moving[0], variance=moving[1], epsilon=options["epsilon"],
            is_training=False, data_format=data_format)
        outputs, mean, variance = utils.smart_cond(options["is_training"], training, inference)
        if utils.constant_value(options["is_training"]) is not False:
            if options["updates_collections"] is None:
                outputs = utils.smart_cond(
                    options["is_training"],
                    lambda: _after_updates(options, moving, (mean, variance), outputs),
                    lambda: outputs)
            else:
                _collect_updates(options, moving, (mean, variance))
        outputs.set_shape(inputs.shape)
        if rank == 2:
            outputs = _V1.reshape(outputs, _V1.shape(original))
        return _finish(outputs, options, scope.name)


def _batch_moments(inputs, options, axes):
    """Mean and variance over `axes` (weighted by batch_weights when given), as 1-D tensors."""
    keep_dims = options["data_format"] == "NCHW"
    weights = options["batch_weights"]
    if weights is None:
        mean, variance = _V1.nn.moments(inputs, axes, keep_dims=keep_dims)
    else:
        weights = _V1.reshape(weights, [-1] + [1] * (inputs.shape.ndims - 1))
        mean, variance = _V1.nn.weighted_moments(inputs, axes, weights, keep_dims=keep_dims)
    return _V1.reshape(mean, [-1]), _V1.reshape(variance, [-1])


def _moments_batch_norm(inputs, options):
    """Route 3: tf.nn.moments and tf.nn.batch_normalization."""
    with _V1.variable_scope(options["scope"], "BatchNorm", [inputs],
                            reuse=options["reuse"]) as scope:
        inputs = _V1.convert_to_tensor(inputs)
        rank, channels_first = inputs.shape.ndims, options["data_format"] == "NCHW"
        if rank is None:
            raise ValueError(f"inputs {inputs.name} have unknown rank; expected a known rank")
        axes = [0] + list(range(2, rank)) if channels_first else list(range(rank - 1))
        shape = _checked_parameter_shape(inputs, 1 if channels_first else -1)
        beta, gamma, *moving = _parameters(options, shape, inputs.dtype.base_dtype)
        mean, variance = moving
        if utils.constant_value(options["is_training"]) is not False:
            batch = _batch_moments(inputs, options, axes)
            if options["updates_collections"] is None:
                forced = lambda: _after_updates(options, moving, batch, batch)  # noqa: E731
                mean, variance = utils.smart_cond(options["is_training"], forced,
                                                  lambda: tuple(moving))
            else:
                _collect_updates(options, moving, batch)
                mean, variance = utils.smart_cond(options["is_training"], lambda: batch,
                                                  lambda: tuple(moving))
        if channels_first:
            broadcast = [1, -1] + [1] * (rank - 2)
            mean, variance, beta, gamma = (_V1.reshape(tensor, broadcast)
                                           for tensor in (mean, variance, beta, gamma))
        outputs = _V1.nn.batch_normalization(inputs, mean, variance, beta, gamma, options["epsilon"])
        outputs.set_shape(inputs.shape)
        return _finish(outputs, options, scope.name)


def _route(options, rank):
    """Which of TF1's implementations serves these arguments (see the module docstring)."""
    default_updates = options["updates_collections"] == _UPDATE_OPS
    fused = options["fused"]
    possible_to_fuse = (options["batch_weights"] is None and not options["renorm"]
                        and rank in (2, 4) and options["adjustment"] is None)
    if fused and possible_to_fuse and (options["zero_debias_moving_mean"] or rank == 2
                                       or not default_updates):
        return _fused_batch_norm
    if options["batch_weights"] is None and default_updates and not options["zero_debias_moving_mean"]:
        return _layer_batch_norm
    if options["renorm"]:
        raise ValueError("renorm=True; expected no batch_weights, default updates_collections "
                         "and zero_debias_moving_mean=False with it")
    return _moments_batch_norm


@framework.add_arg_scope
def batch_norm(inputs, decay=0.999, center=True, scale=False, epsilon=0.001, activation_fn=None,
               param_initializers=None, param_regularizers=None, updates_collections=_UPDATE_OPS,
               is_training=True, reuse=None, variables_collections=None, outputs_collections=None,
               trainable=True, batch_weights=None, fused=None, data_format="NHWC",
               zero_debias_moving_mean=False, scope=None, renorm=False, renorm_clipping=None,
               renorm_decay=0.99, adjustment=None):
    """Batch normalization (Ioffe & Szegedy, 2015), with TF1 contrib's defaults and routes.

    Training: (x - batch mean) / sqrt(batch variance + epsilon) * gamma + beta, and
    moving = moving * decay + batch statistic * (1 - decay) when the update ops run.
    Inference (is_training False): the moving mean and variance instead.
    """
    options = dict(locals(), fused=True if fused is None else fused)  # TF1: None means True
    if data_format not in DATA_FORMATS:
        raise ValueError(f"data_format={data_format!r}; expected one of {DATA_FORMATS}")
    inputs = options["inputs"] = _V1.convert_to_tensor(inputs)
    rank = inputs.shape.ndims
    if rank is None:
        raise ValueError(f"inputs {inputs.name} have unknown rank; expected a known rank")
    return _route(options, rank)(inputs, options)
