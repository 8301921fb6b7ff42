"""LeNet-5 ("LeNet-5 своими руками", tf.layers + tf.estimator) in Keras 3.

TF1 <-> Keras, function by function (legacy_tf1/models/lenet5.py -> this module):
    lenet5_layers   -> model_layers (tf.layers.conv2d: conv2d; tf.layers.max_pooling2d:
                       max_pooling2d; tf.layers.dense: dense; tf.layers' default
                       initializers: kernel_initializer, bias_initializer)
    lenet5_model_fn -> build_model (its predictions: predict, then argmax or softmax; its
                       loss, optimizer and accuracy metric: the recipe's, compiled by
                       modern_keras.training)
    build_graph     -> build_model, build_functional_model
    main            -> main (modern_keras.program.run: the Estimator's train becomes fit,
                       its evaluate a predict and the accuracy)
    parse_flags     -> main (modern_keras.program.parse_arguments; resuming from
                       --model_dir becomes --backup_dir)

TF1 twin: legacy_tf1/models/lenet5.py. Layer names equal the names `tf.layers`
gives its layers (and the TF1 reshapes), in the same order, so weight transfer
is a name lookup:
reshape, conv2d, max_pooling2d, conv2d_1, max_pooling2d_1, flatten, dense,
dense_1, dense_2.
"""

import keras

from mnist_core import recipes
from modern_keras import program
from modern_keras.models import common

RECIPE = recipes.LENET5


def kernel_initializer():
    """tf.layers default kernel initializer: glorot_uniform (the variable scope's default)."""
    return keras.initializers.GlorotUniform()


def bias_initializer():
    """tf.layers default bias initializer: zeros."""
    return keras.initializers.Zeros()


def conv2d(filters, padding, activation, name):
    """tf.layers.conv2d(filters, [5, 5], padding, activation)."""
    return keras.layers.Conv2D(
        filters, 5, padding=padding, activation=activation, name=name,
        kernel_initializer=kernel_initializer(), bias_initializer=bias_initializer())


def max_pooling2d(name):
    """tf.layers.max_pooling2d([2, 2], strides=2): padding valid, as in Keras."""
    return keras.layers.MaxPooling2D(2, strides=2, padding="valid", name=name)


def dense(units, name, activation=None):
    """tf.layers.dense(units, activation) with its default initializers."""
    return keras.layers.Dense(
        units, activation=activation, name=name,
        kernel_initializer=kernel_initializer(), bias_initializer=bias_initializer())


def model_layers(recipe=RECIPE):
    """The layers, in TF1 order (no dropout in this program)."""
    return [
        keras.layers.Reshape((28, 28, 1), name="reshape"),
        conv2d(6, "same", "tanh", "conv2d"),
        max_pooling2d("max_pooling2d"),
        # relu as the article's text says (the author's repository has tanh here).
        conv2d(16, "valid", "relu", "conv2d_1"),
        max_pooling2d("max_pooling2d_1"),
        # TF1 reshapes to [-1, 400]; Keras needs a layer for it.
        keras.layers.Flatten(name="flatten"),
        dense(120, "dense", activation="tanh"),
        dense(84, "dense_1", activation="tanh"),
        dense(10, "dense_2"),
    ]


def build_model(recipe=RECIPE):
    """Sequential lenet5 producing logits from [N, 784] images."""
    return common.sequential(recipe, model_layers(recipe), name="lenet5")


def build_functional_model(recipe=RECIPE):
    """The same network as a functional keras.Model."""
    return common.functional(recipe, model_layers(recipe), name="lenet5")


def main(argv=None):
    """The program: `python -m modern_keras.models.lenet5 --steps 50000 --seed 0`."""
    return program.main(RECIPE, build_model, argv, description=__doc__)


if __name__ == "__main__":
    main()
