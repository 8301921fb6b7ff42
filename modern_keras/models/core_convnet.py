"""Custom ConvNet in TensorFlow Core, in Keras 3 (and the article's own Keras model).

TF1 <-> Keras, function by function (legacy_tf1/models/core_convnet.py -> this module):
    conv2d         -> conv2d
    maxpool2d      -> max_pooling2d
    make_variables -> kernel_initializer (xavier), bias_initializer (zeros); the dicts'
                      keys c1..c4, d1, out are the layer names
    conv_net       -> model_layers (d1's and out's `matmul + b`: dense)
    build_graph    -> build_model, build_functional_model (the loss and optimizer are the
                      recipe's, compiled by modern_keras.training)
    load_arrays    -> main (modern_keras.program.run reads mnist_core.training_data)
    progress       -> main (modern_keras.program.print_progress)
    input_pipeline -> main (modern_keras.training.make_dataset: a tf.data pipeline for fit)
    evaluate       -> main (modern_keras.program.run: predict, then the accuracy)
    train          -> main (modern_keras.program.run: fit, evaluate, save)
    main           -> main
    parse_flags    -> main (modern_keras.program.parse_arguments)
The article's own Keras 2 model, ported to Keras 3, has no TF1 function:
build_article_model, compile_article_model, train_article_model.

TF1 twin: legacy_tf1/models/core_convnet.py (the article's low-level program:
get_variable weights W1..W6 / B1..B6 in dicts keyed c1..c4, d1, out). Layer
names equal those keys and the TF1 op names, in the same order, so weight
transfer is a name lookup:
c1, c2, pool1, c3, c4, pool2, flatten, d1, dropout, out.

`build_model` is the twin of the TF Core graph (logits, TF1 initializers).
`build_article_model` is the Keras model the article itself trained, ported
from Keras 2 to Keras 3 with the same layer names; it ends in softmax, so
softmax(build_model logits) equals its output for the same weights.
"""

import keras

from mnist_core import recipes
from modern_keras import program
from modern_keras.models import common

RECIPE = recipes.CORE_CONVNET


def kernel_initializer():
    """TF1 contrib.layers.xavier_initializer(): glorot uniform."""
    return keras.initializers.GlorotUniform()


def bias_initializer():
    """TF1 zeros_initializer()."""
    return keras.initializers.Zeros()


def conv2d(filters, name):
    """TF1 conv2d helper: 3x3 conv, stride 1, SAME, bias_add, relu."""
    return keras.layers.Conv2D(
        filters, 3, padding="same", activation="relu", name=name,
        kernel_initializer=kernel_initializer(), bias_initializer=bias_initializer())


def max_pooling2d(name):
    """TF1 nn.max_pool 2x2, stride 2, SAME (Keras defaults to valid)."""
    return keras.layers.MaxPooling2D(2, strides=2, padding="same", name=name)


def dense(units, name, activation=None):
    """TF1 matmul + bias (+ relu) with xavier weights and zero biases."""
    return keras.layers.Dense(
        units, activation=activation, name=name,
        kernel_initializer=kernel_initializer(), bias_initializer=bias_initializer())


def model_layers(recipe=RECIPE):
    """The layers, in TF1 order (the input is already [N, 28, 28, 1]: no reshape)."""
    return [
        conv2d(16, "c1"),
        conv2d(16, "c2"),
        max_pooling2d("pool1"),
        conv2d(32, "c3"),
        conv2d(32, "c4"),
        max_pooling2d("pool2"),
        # TF1 reshapes to [-1, 7 * 7 * 32] before d1; Keras needs a layer for it.
        keras.layers.Flatten(name="flatten"),
        dense(128, "d1", activation="relu"),
        # TF1 nn.dropout(rate=0.2) only when training: Keras' training flag does the same.
        keras.layers.Dropout(recipe.dropout_rate, name="dropout"),
        dense(10, "out"),
    ]


def build_model(recipe=RECIPE):
    """Sequential core_convnet producing logits from [N, 28, 28, 1] images."""
    return common.sequential(recipe, model_layers(recipe), name="core_convnet")


def build_functional_model(recipe=RECIPE):
    """The same network as a functional keras.Model."""
    return common.functional(recipe, model_layers(recipe), name="core_convnet")


def build_article_model():
    """The article's Keras model (softmax output), ported from Keras 2 to Keras 3.

    Port changes: `tf.keras` -> `keras`; `input_shape=(28, 28, 1)` on the first
    Conv2D -> a leading `keras.Input` (Keras 3 deprecates `input_shape=` on
    layers); explicit layer names (the article let Keras number them) so that
    weights transfer by name from `build_model`. Initializers stay Keras'
    defaults, glorot_uniform and zeros, which are the TF Core program's
    xavier_initializer and zeros_initializer.
    """
    return keras.Sequential([
        keras.Input((28, 28, 1), name="images"),
        keras.layers.Conv2D(16, 3, activation="relu", padding="same", name="c1"),
        keras.layers.Conv2D(16, 3, activation="relu", padding="same", name="c2"),
        # strides default to pool_size, in Keras 2 and 3 alike.
        keras.layers.MaxPooling2D(2, padding="same", name="pool1"),
        keras.layers.Conv2D(32, 3, activation="relu", padding="same", name="c3"),
        keras.layers.Conv2D(32, 3, activation="relu", padding="same", name="c4"),
        keras.layers.MaxPooling2D(2, padding="same", name="pool2"),
        keras.layers.Flatten(name="flatten"),
        keras.layers.Dense(128, activation="relu", name="d1"),
        keras.layers.Dropout(0.2, name="dropout"),
        keras.layers.Dense(10, activation="softmax", name="out"),
    ], name="core_convnet_article")


def compile_article_model(model):
    """The article's compile: Adam(1e-4), categorical_crossentropy, accuracy; returns the model."""
    model.compile(
        # Keras 2's `Adam(lr=1e-4)` -> `learning_rate=` (Keras 3 rejects `lr`). Epsilon is
        # left at the Keras default 1e-7, the article's choice; the TF Core program and
        # build_model's recipe use TF1's AdamOptimizer default 1e-8.
        optimizer=keras.optimizers.Adam(learning_rate=1e-4),
        loss="categorical_crossentropy",
        metrics=["accuracy"],
        # Keras 2 compiled without XLA; Keras 3's default jit_compile="auto" would turn it on.
        jit_compile=False,
    )
    return model


def train_article_model(model, images, labels, epochs=5, batch_size=128):
    """The article's fit (one-hot labels, shuffled each epoch); returns the History."""
    if epochs < 1:
        raise ValueError(f"epochs={epochs}; expected >= 1")
    if batch_size < 1:
        raise ValueError(f"batch_size={batch_size}; expected >= 1")
    return model.fit(images, labels, epochs=epochs, batch_size=batch_size)


def main(argv=None):
    """The program: `python -m modern_keras.models.core_convnet --steps 2340 --seed 0`."""
    return program.main(RECIPE, build_model, argv, description=__doc__)


if __name__ == "__main__":
    main()
