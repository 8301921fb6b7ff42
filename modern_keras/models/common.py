"""The two model forms every twin offers, from one list of layers."""

import keras


def sequential(recipe, layers, name):
    """keras.Sequential over `layers`, taking the recipe's input shape."""
    return keras.Sequential([keras.Input(recipe.input_shape, name="images"), *layers], name=name)


def functional(recipe, layers, name):
    """The same layers chained as a functional keras.Model."""
    images = keras.Input(recipe.input_shape, name="images")
    outputs = images
    for layer in layers:
        outputs = layer(outputs)
    return keras.Model(images, outputs, name=name)
