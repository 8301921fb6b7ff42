"""Deep MNIST for Experts in Keras 3.

TF1 <-> Keras, function by function (legacy_tf1/models/deep_cnn.py -> this module):
    weight_variable -> kernel_initializer
    bias_variable   -> bias_initializer
    conv2d          -> conv2d (with the `+ b` and relu that deepnn adds around it)
    max_pool_2x2    -> max_pooling2d
    deepnn          -> model_layers (fc1's and fc2's `matmul + b`: dense)
    build_graph     -> build_model, build_functional_model (the loss and optimizer are the
                       recipe's, compiled by modern_keras.training)
    main            -> main (modern_keras.program.run: the session loop becomes training.train)
    parse_flags     -> main (modern_keras.program.parse_arguments)

TF1 twin: legacy_tf1/models/deep_cnn.py (mnist_deep.py). Layer names equal the
TF1 name scopes, in the same order, so weight transfer is a name lookup:
reshape, conv1, pool1, conv2, pool2, flatten, fc1, dropout, fc2.
"""

import keras

from mnist_core import recipes
from modern_keras import program
from modern_keras.models import common

RECIPE = recipes.DEEP_CNN


def kernel_initializer():
    """TF1 weight_variable: truncated normal, stddev 0.1."""
    return keras.initializers.TruncatedNormal(stddev=0.1)


def bias_initializer():
    """TF1 bias_variable: constant 0.1."""
    return keras.initializers.Constant(0.1)


def conv2d(filters, name):
    """TF1 conv2d + bias + relu: 5x5, stride 1, SAME."""
    return keras.layers.Conv2D(
        filters, 5, padding="same", activation="relu", name=name,
        kernel_initializer=kernel_initializer(), bias_initializer=bias_initializer())


def max_pooling2d(name):
    """TF1 max_pool_2x2: 2x2, stride 2, SAME (Keras defaults to valid)."""
    return keras.layers.MaxPooling2D(2, strides=2, padding="same", name=name)


def dense(units, name, activation=None):
    """TF1 matmul + bias (+ relu) with weight_variable/bias_variable init."""
    return keras.layers.Dense(
        units, activation=activation, name=name,
        kernel_initializer=kernel_initializer(), bias_initializer=bias_initializer())


def model_layers(recipe=RECIPE):
    """The layers, in TF1 scope order."""
    return [
        keras.layers.Reshape((28, 28, 1), name="reshape"),
        conv2d(32, "conv1"),
        max_pooling2d("pool1"),
        conv2d(64, "conv2"),
        max_pooling2d("pool2"),
        keras.layers.Flatten(name="flatten"),
        dense(1024, "fc1", activation="relu"),
        # TF1 nn.dropout(h, keep_prob) takes the keep probability; Keras takes the rate.
        keras.layers.Dropout(recipe.dropout_rate, name="dropout"),
        dense(10, "fc2"),
    ]


def build_model(recipe=RECIPE):
    """Sequential deep_cnn producing logits from [N, 784] images."""
    return common.sequential(recipe, model_layers(recipe), name="deep_cnn")


def build_functional_model(recipe=RECIPE):
    """The same network as a functional keras.Model."""
    return common.functional(recipe, model_layers(recipe), name="deep_cnn")


def main(argv=None):
    """The program: `python -m modern_keras.models.deep_cnn --steps 20000 --seed 0`."""
    return program.main(RECIPE, build_model, argv, description=__doc__)


if __name__ == "__main__":
    main()
