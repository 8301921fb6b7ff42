"""The Keras 3 port of churn_tf1.py: the same layers, named like its variable scopes, except
its `output` scope, which is the `logits` layer here (name_map.json maps it).

`build_model()` is what tf1-to-keras takes (`--keras churn_keras.py:build_model`);
`keras_optimizer()` and `keras_loss()` are the training the TF1 program does, in Keras.
"""

import keras

FEATURES, CLASSES = 12, 3
HIDDEN1, HIDDEN2 = 32, 16
LEARNING_RATE = 0.01


def build_model():
    return keras.Sequential([
        keras.Input((FEATURES,)),
        keras.layers.Dense(HIDDEN1, activation="relu", name="hidden1"),
        keras.layers.Dense(HIDDEN2, activation="tanh", name="hidden2"),
        keras.layers.Dense(CLASSES, name="logits"),
    ], name="churn")


def keras_optimizer():
    # TF1's AdamOptimizer adds epsilon 1e-8; Keras' Adam defaults to 1e-7.
    return keras.optimizers.Adam(LEARNING_RATE, epsilon=1e-8)


def keras_loss():
    return keras.losses.SparseCategoricalCrossentropy(from_logits=True)
