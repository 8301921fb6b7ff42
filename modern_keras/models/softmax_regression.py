"""Softmax regression ("Deep MNIST for Experts", part 1) in Keras 3.

TF1 <-> Keras, function by function (legacy_tf1/models/softmax_regression.py -> this module):
    build_graph -> model_layers, build_model, build_functional_model (`W`, `b` =
                   Variable(zeros): zeros_initializer; `matmul(x, W) + b`: dense; the loss
                   and optimizer are the recipe's, compiled by modern_keras.training)
    main        -> main (modern_keras.program.run: the InteractiveSession loop becomes
                   training.train)
    parse_flags -> main (modern_keras.program.parse_arguments)

TF1 twin: legacy_tf1/models/softmax_regression.py (mnist_softmax.py). The TF1
graph's `y = matmul(x, W) + b` is one layer, named the same on both sides so
weight transfer is a name lookup: linear.
"""

import keras

from mnist_core import recipes
from modern_keras import program
from modern_keras.models import common

RECIPE = recipes.SOFTMAX_REGRESSION


def zeros_initializer():
    """TF1 Variable(zeros(...)) for both W [784, 10] and b [10]."""
    return keras.initializers.Zeros()


def dense(units, name):
    """TF1 matmul(x, W) + b: no activation, the output is the logits."""
    return keras.layers.Dense(
        units, name=name, kernel_initializer=zeros_initializer(), bias_initializer=zeros_initializer())


def model_layers(recipe=RECIPE):
    """The layers, in TF1 order (one: the linear map to 10 logits)."""
    return [dense(10, "linear")]


def build_model(recipe=RECIPE):
    """Sequential softmax_regression producing logits from [N, 784] images."""
    return common.sequential(recipe, model_layers(recipe), name="softmax_regression")


def build_functional_model(recipe=RECIPE):
    """The same network as a functional keras.Model."""
    return common.functional(recipe, model_layers(recipe), name="softmax_regression")


def main(argv=None):
    """The program: `python -m modern_keras.models.softmax_regression --steps 1000 --seed 0`."""
    return program.main(RECIPE, build_model, argv, description=__doc__)


if __name__ == "__main__":
    main()
