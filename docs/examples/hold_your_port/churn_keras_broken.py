"""churn_keras.py with one porting mistake: `hidden2` lost its tanh (Dense has no activation
unless given one). What the checks say about it is in docs/HOLD_YOUR_PORT.md."""

import keras

from churn_keras import CLASSES, FEATURES, HIDDEN1, HIDDEN2, keras_loss, keras_optimizer  # noqa: F401


def build_model():
    return keras.Sequential([
        keras.Input((FEATURES,)),
        keras.layers.Dense(HIDDEN1, activation="relu", name="hidden1"),
        keras.layers.Dense(HIDDEN2, name="hidden2"),
        keras.layers.Dense(CLASSES, name="logits"),
    ], name="churn")
