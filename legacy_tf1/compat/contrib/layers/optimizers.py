"""TF 1.x `tf.contrib.layers.optimize_loss` (`contrib/layers/python/layers/optimizers.py`).

Written on `tf.compat.v1` ops: the optimizer by name (`OPTIMIZER_CLS_NAMES`),
class, instance or factory; increments `global_step`; optional gradient noise,
multipliers and clipping; the TF1 summaries; returns the loss tensor that, when
run, applies one update (TF1 called it the train op).
"""

import numbers

import tensorflow as _tensorflow

_V1 = _tensorflow.compat.v1

# TF1's table. It accepted "Momentum" only from TF 1.2 on, with momentum fixed at 0.9;
# pass a factory such as `lambda rate: tf.train.MomentumOptimizer(rate, 0.5)` for another.
OPTIMIZER_CLS_NAMES = {
    "Adagrad": _V1.train.AdagradOptimizer,
    "Adam": _V1.train.AdamOptimizer,
    "Ftrl": _V1.train.FtrlOptimizer,
    "Momentum": lambda learning_rate: _V1.train.MomentumOptimizer(learning_rate, momentum=0.9),
    "RMSProp": _V1.train.RMSPropOptimizer,
    "SGD": _V1.train.GradientDescentOptimizer,
}

OPTIMIZER_SUMMARIES = ("learning_rate", "loss", "gradients", "gradient_norm", "global_gradient_norm")
DEFAULT_SUMMARIES = ("loss", "learning_rate", "global_gradient_norm")


def _learning_rate_tensor(learning_rate):
    """The learning rate as a scalar tensor (a non-trainable variable for a number)."""
    if learning_rate is None:
        return None
    if isinstance(learning_rate, (_V1.Tensor, _V1.Variable)) and learning_rate.shape.ndims == 0:
        return learning_rate
    if isinstance(learning_rate, numbers.Real) and not isinstance(learning_rate, bool):
        if learning_rate < 0.0:
            raise ValueError(f"learning_rate={learning_rate}; expected >= 0")
        return _V1.get_variable("learning_rate", [], trainable=False,
                                initializer=_V1.constant_initializer(float(learning_rate)))
    raise ValueError(f"learning_rate={learning_rate!r}; expected a float or a scalar Tensor")


def _scheduled_learning_rate(learning_rate, decay_function, global_step, summaries):
    """The learning rate tensor after the optional decay, with its summary."""
    rate = _learning_rate_tensor(learning_rate)
    if rate is not None and decay_function is not None:
        if global_step is None:
            raise ValueError("learning_rate_decay_fn needs a global_step, and the graph has none")
        rate = decay_function(rate, global_step)
    # TF1 documents the learning rate among the default summaries; it is written for any rate.
    if rate is not None and "learning_rate" in summaries:
        _V1.summary.scalar("learning_rate", rate)
    return rate


def _make_optimizer(optimizer, learning_rate):
    """A tf.train.Optimizer from a name, a class, an instance or a factory."""
    if isinstance(optimizer, _V1.train.Optimizer):
        return optimizer
    if isinstance(optimizer, str) and optimizer not in OPTIMIZER_CLS_NAMES:
        raise ValueError(f"optimizer={optimizer!r}; expected one of {sorted(OPTIMIZER_CLS_NAMES)}")
    needs_rate = isinstance(optimizer, str) or isinstance(optimizer, type)
    if needs_rate and learning_rate is None:
        raise ValueError(f"optimizer={optimizer!r} needs a learning_rate, got None")
    if isinstance(optimizer, str):
        return OPTIMIZER_CLS_NAMES[optimizer](learning_rate=learning_rate)
    if isinstance(optimizer, type) and issubclass(optimizer, _V1.train.Optimizer):
        return optimizer(learning_rate=learning_rate)
    if callable(optimizer) and not isinstance(optimizer, type):
        made = optimizer(learning_rate) if learning_rate is not None else optimizer()
        if isinstance(made, _V1.train.Optimizer):
            return made
        raise ValueError(f"optimizer factory {optimizer!r} returned {made!r}; "
                         "expected a tf.train.Optimizer")
    raise ValueError(f"optimizer={optimizer!r}; expected a name, a tf.train.Optimizer "
                     "subclass or instance, or a function returning one")


def _add_gradient_noise(gradients_and_variables, scale):
    """Adds zero-mean truncated normal noise times `scale` to each gradient."""
    noisy = []
    for gradient, variable in gradients_and_variables:
        if gradient is not None:
            shape = gradient.dense_shape if isinstance(gradient, _V1.IndexedSlices) else gradient.shape
            gradient = gradient + _V1.truncated_normal(shape) * scale
        noisy.append((gradient, variable))
    return noisy


def _multiply_gradients(gradients_and_variables, multipliers):
    """Scales the gradients of the variables (or variable names) in `multipliers`."""
    scaled = []
    for gradient, variable in gradients_and_variables:
        key = variable if variable in multipliers else variable.name
        if gradient is not None and key in multipliers:
            gradient = gradient * _V1.constant(multipliers[key], dtype=gradient.dtype)
        scaled.append((gradient, variable))
    return scaled


def _clip_gradients(gradients_and_variables, clip_gradients):
    """Clips by global norm (a number) or with a callable on the (gradient, variable) list."""
    if clip_gradients is None:
        return gradients_and_variables
    if callable(clip_gradients):
        return clip_gradients(gradients_and_variables)
    if isinstance(clip_gradients, numbers.Real) and not isinstance(clip_gradients, bool):
        gradients, variables = zip(*gradients_and_variables)
        clipped, _ = _V1.clip_by_global_norm(gradients, float(clip_gradients))
        return list(zip(clipped, variables))
    raise ValueError(f"clip_gradients={clip_gradients!r}; expected a float, a callable or None")


def _global_norm(gradients_and_variables):
    return _V1.global_norm([gradient for gradient, _ in gradients_and_variables if gradient is not None])


def _gradient_summaries(gradients_and_variables, summaries):
    """Per-variable gradient histograms and norms, as TF1 named them."""
    for gradient, variable in gradients_and_variables:
        if gradient is None:
            continue
        values = gradient.values if isinstance(gradient, _V1.IndexedSlices) else gradient
        variable_name = variable.name.replace(":", "_")
        if "gradients" in summaries:
            _V1.summary.histogram(f"gradients/{variable_name}", values)
        if "gradient_norm" in summaries:
            _V1.summary.scalar(f"gradient_norm/{variable_name}", _V1.global_norm([values]))


def _check_summaries(summaries):
    if summaries is None:
        return DEFAULT_SUMMARIES
    unknown = [name for name in summaries if name not in OPTIMIZER_SUMMARIES]
    if unknown:
        raise ValueError(f"summaries {unknown} unknown; expected names from {OPTIMIZER_SUMMARIES}")
    return tuple(summaries)


def _compute_gradients(loss, optimizer, variables, options):
    """compute_gradients, then noise, multipliers and clipping (TF1's order), with summaries."""
    gradients = optimizer.compute_gradients(
        loss, variables, colocate_gradients_with_ops=options["colocate_gradients_with_ops"])
    if options["gradient_noise_scale"] is not None:
        gradients = _add_gradient_noise(gradients, options["gradient_noise_scale"])
    if options["gradient_multipliers"] is not None:
        gradients = _multiply_gradients(gradients, options["gradient_multipliers"])
    summaries = options["summaries"]
    norm_wanted = "global_gradient_norm" in summaries or "gradient_norm" in summaries
    if norm_wanted:
        _V1.summary.scalar("global_norm/gradient_norm", _global_norm(gradients))
    gradients = _clip_gradients(gradients, options["clip_gradients"])
    if "loss" in summaries:
        _V1.summary.scalar("loss", loss)
    _gradient_summaries(gradients, summaries)
    if options["clip_gradients"] is not None and norm_wanted:
        _V1.summary.scalar("global_norm/clipped_gradient_norm", _global_norm(gradients))
    return gradients


def optimize_loss(loss, global_step, learning_rate, optimizer, gradient_noise_scale=None,
                  gradient_multipliers=None, clip_gradients=None, learning_rate_decay_fn=None,
                  update_ops=None, variables=None, name=None, summaries=None,
                  colocate_gradients_with_ops=False, increment_global_step=True):
    """TF1's optimize_loss: returns the loss tensor whose evaluation applies one update.

    `optimizer` is a name from OPTIMIZER_CLS_NAMES ("SGD", "Adam", "Adagrad",
    "Momentum" [momentum 0.9], "RMSProp", "Ftrl"), a tf.train.Optimizer class or
    instance, or a function of the learning rate returning one. `global_step`
    None means the graph's (if any); it is incremented on each update.
    """
    loss = _V1.convert_to_tensor(loss)
    if loss.shape.ndims != 0:
        raise ValueError(f"loss has shape {loss.shape}; expected a scalar")
    if global_step is None:
        global_step = _V1.train.get_global_step()
    else:
        _V1.train.assert_global_step(global_step)
    options = dict(gradient_noise_scale=gradient_noise_scale, gradient_multipliers=gradient_multipliers,
                   clip_gradients=clip_gradients, summaries=_check_summaries(summaries),
                   colocate_gradients_with_ops=colocate_gradients_with_ops)
    with _V1.variable_scope(name, "OptimizeLoss", [loss, global_step]):
        if update_ops is None:
            update_ops = set(_V1.get_collection(_V1.GraphKeys.UPDATE_OPS))
        if update_ops:  # batch-norm statistics update before the loss is read, as in TF1
            with _V1.control_dependencies(list(update_ops)):
                loss = _V1.identity(loss)
        rate = _scheduled_learning_rate(learning_rate, learning_rate_decay_fn, global_step,
                                        options["summaries"])
        train_optimizer = _make_optimizer(optimizer, rate)
        trainable = _V1.trainable_variables() if variables is None else variables
        gradients = _compute_gradients(loss, train_optimizer, trainable, options)
        update = train_optimizer.apply_gradients(
            gradients, global_step=global_step if increment_global_step else None, name="train")
        with _V1.control_dependencies([update]):
            return _V1.identity(loss, name="train_op")
