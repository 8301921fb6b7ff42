"""Keras optimizers that step as TF1's RMSPropOptimizer, FtrlOptimizer and AdamOptimizer did.

Keras' own RMSprop starts its mean square at 0 (TF1 at 1.0): its first steps are orders of
magnitude larger for small gradients. These classes write TF1's kernel arithmetic
(ApplyRMSProp, ApplyCenteredRMSProp, ApplyFtrl/ApplyFtrlV2) with keras.ops only, in the
kernel's order and in the variable's dtype (`1 - decay` in float32, as the kernel), so they
run on every Keras backend. AdamTF1 is Keras' Adam over the dense gradient: on an embedding's
sparse gradient (TensorFlow's IndexedSlices, a row per id looked up) Keras 3's Adam squares each
row as it comes, where TF1 first sums the rows of an id repeated in the batch.

This module imports nothing but keras: `port` copies it verbatim beside a generated model.py
(as tf1_optimizers.py), so a ported model does not need the migration kit to train.
"""

import keras


@keras.saving.register_keras_serializable(package="tf1_optimizers")
class RMSPropTF1(keras.optimizers.Optimizer):
    """TF1's RMSProp: ms = ms + (g*g - ms)*(1 - decay), ms starting at 1.0;
    mom = momentum*mom + lr*g/sqrt(ms + epsilon); var -= mom. `centered` subtracts the
    squared mean gradient from ms inside the sqrt, as ApplyCenteredRMSProp."""

    def __init__(self, learning_rate=0.001, decay=0.9, momentum=0.0, epsilon=1e-10, centered=False,
                 name="rmsprop_tf1", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.decay, self.momentum, self.epsilon = decay, momentum, epsilon
        self.centered = centered

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._mean_squares, self._moments = self.add_optimizer_variables(
            var_list, ["mean_square", "momentum"], initializer=["ones", "zeros"])
        if self.centered:
            self._mean_gradients = self.add_optimizer_variables(var_list, "mean_gradient")

    def update_step(self, gradient, variable, learning_rate):
        ops, dtype = keras.ops, variable.dtype
        index = self._get_variable_index(variable)
        gradient, lr = ops.cast(gradient, dtype), ops.cast(learning_rate, dtype)
        one_minus_decay = ops.subtract(ops.cast(1.0, dtype), ops.cast(self.decay, dtype))
        mean_square = self._mean_squares[index]
        self.assign_add(mean_square, ops.multiply(ops.subtract(ops.square(gradient), mean_square),
                                                  one_minus_decay))
        denominator = mean_square
        if self.centered:
            mean_gradient = self._mean_gradients[index]
            self.assign_add(mean_gradient, ops.multiply(ops.subtract(gradient, mean_gradient),
                                                        one_minus_decay))
            denominator = ops.subtract(mean_square, ops.square(mean_gradient))
        denominator = ops.sqrt(ops.add(denominator, ops.cast(self.epsilon, dtype)))
        moment = self._moments[index]
        self.assign(moment, ops.add(ops.multiply(moment, ops.cast(self.momentum, dtype)),
                                    ops.divide(ops.multiply(gradient, lr), denominator)))
        self.assign_sub(variable, moment)

    def get_config(self):
        return {**super().get_config(), "decay": self.decay, "momentum": self.momentum,
                "epsilon": self.epsilon, "centered": self.centered}


@keras.saving.register_keras_serializable(package="tf1_optimizers")
class FtrlTF1(keras.optimizers.Optimizer):
    """TF1's FTRL-proximal (ApplyFtrl, ApplyFtrlV2 with l2_shrinkage): accumulators start at
    `initial_accumulator_value`, linears at 0; the kernel's arithmetic in its order."""

    def __init__(self, learning_rate=0.001, learning_rate_power=-0.5, initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 l2_shrinkage_regularization_strength=0.0, name="ftrl_tf1", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._accumulators, self._linears = self.add_optimizer_variables(
            var_list, ["accumulator", "linear"],
            initializer=[keras.initializers.Constant(self.initial_accumulator_value), "zeros"])

    def _power(self, accumulator):
        """accumulator ** -learning_rate_power; the kernel takes sqrt for the default -0.5."""
        if self.learning_rate_power == -0.5:
            return keras.ops.sqrt(accumulator)
        return keras.ops.power(accumulator, -keras.ops.cast(self.learning_rate_power, accumulator.dtype))

    def update_step(self, gradient, variable, learning_rate):
        ops, dtype = keras.ops, variable.dtype
        index = self._get_variable_index(variable)
        gradient, lr = ops.cast(gradient, dtype), ops.cast(learning_rate, dtype)
        l1 = ops.cast(self.l1_regularization_strength, dtype)
        two_l2 = ops.multiply(ops.cast(2.0, dtype), ops.cast(self.l2_regularization_strength, dtype))
        shrinkage = ops.multiply(ops.cast(2.0, dtype),
                                 ops.cast(self.l2_shrinkage_regularization_strength, dtype))
        accumulator, linear = self._accumulators[index], self._linears[index]
        new_accumulator = ops.add(accumulator, ops.square(gradient))
        new_power = self._power(new_accumulator)
        sigma = ops.divide(ops.subtract(new_power, self._power(accumulator)), lr)
        self.assign_add(linear, ops.subtract(ops.add(gradient, ops.multiply(shrinkage, variable)),
                                             ops.multiply(sigma, variable)))
        x = ops.subtract(ops.multiply(l1, ops.sign(linear)), linear)
        y = ops.add(ops.divide(new_power, lr), two_l2)
        self.assign(variable, ops.where(ops.greater(ops.abs(linear), l1), ops.divide(x, y),
                                        _zeros_of(variable)))
        self.assign(accumulator, new_accumulator)

    def get_config(self):
        return {**super().get_config(), "learning_rate_power": self.learning_rate_power,
                "initial_accumulator_value": self.initial_accumulator_value,
                "l1_regularization_strength": self.l1_regularization_strength,
                "l2_regularization_strength": self.l2_regularization_strength,
                "l2_shrinkage_regularization_strength": self.l2_shrinkage_regularization_strength}


def _zeros_of(variable):
    """Zeros of a variable's shape and dtype; not ops.zeros_like(variable), which JAX cannot take
    inside a training step (a Keras Variable is not an array there: "Could not convert")."""
    return keras.ops.zeros(variable.shape, dtype=variable.dtype)


@keras.saving.register_keras_serializable(package="tf1_optimizers")
class AdamTF1(keras.optimizers.Adam):
    """Keras' Adam, stepping as TF1's AdamOptimizer also on a sparse gradient (an embedding
    lookup's, rows repeated when a batch looks a token up several times): TF1 sums a row's
    repeats before it squares the gradient, Keras 3 squares each repeat's slice and sums the
    squares (a larger second moment). Adding zeros makes the gradient dense, the repeats summed;
    a dense gradient steps exactly as keras.optimizers.Adam."""

    def update_step(self, gradient, variable, learning_rate):
        dense = keras.ops.add(gradient, _zeros_of(variable))
        super().update_step(dense, variable, learning_rate)
