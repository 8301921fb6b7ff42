"""Data, inputs and NumPy references shared by the canned-Estimator tests."""

import numpy as np
import tensorflow as tf

from legacy_tf1.compat import estimator

V1 = tf.compat.v1
FEATURES = 4
EVAL_BATCH = 16


def make_blobs(count, n_classes, seed):
    """x [count, 4] around one centre per class (a learnable problem) and int32 labels."""
    rng = np.random.RandomState(seed)
    centres = 2.0 * np.eye(FEATURES, dtype=np.float32)[:n_classes]
    labels = rng.randint(0, n_classes, size=count).astype(np.int32)
    x = centres[labels] + rng.randn(count, FEATURES).astype(np.float32)
    return x, labels


TRAIN_2 = make_blobs(256, 2, seed=0)
TEST_2 = make_blobs(50, 2, seed=1)  # batches of 16, 16, 16, 2
TRAIN_3 = make_blobs(256, 3, seed=2)
TEST_3 = make_blobs(50, 3, seed=3)


def features_of(x):
    """The features dict the models read: the 4-vector `x` and its first two entries."""
    return {"x": x, "a": x[:, 0], "b": x[:, 1]}


def train_input(data, batch_size=32):
    x, labels = data
    return estimator.inputs.numpy_input_fn(features_of(x), labels, batch_size=batch_size,
                                           num_epochs=None, shuffle=True)


def eval_input(data):
    x, labels = data
    return estimator.inputs.numpy_input_fn(features_of(x), labels, batch_size=EVAL_BATCH,
                                           shuffle=False)


def predict_input(x):
    return estimator.inputs.numpy_input_fn(features_of(x), batch_size=EVAL_BATCH, shuffle=False)


def x_column():
    return V1.feature_column.numeric_column("x", shape=(FEATURES,))


def config(seed=1):
    return estimator.RunConfig(tf_random_seed=seed, save_checkpoints_steps=1000)


def stacked(predictions, key):
    return np.stack([prediction[key] for prediction in predictions])


# --- NumPy references ------------------------------------------------------------------------

def numpy_dnn_logits(model, x, layers):
    """relu(x W0 + b0) ... W_logits + b_logits, from the checkpoint's values."""
    net = x
    for index in range(layers):
        kernel = model.get_variable_value(f"dnn/hiddenlayer_{index}/kernel")
        net = np.maximum(net @ kernel + model.get_variable_value(f"dnn/hiddenlayer_{index}/bias"), 0)
    return net @ model.get_variable_value("dnn/logits/kernel") + model.get_variable_value("dnn/logits/bias")


def numpy_linear_logits(model, features, columns):
    """sum over columns of feature @ weights, + bias_weights."""
    logits = model.get_variable_value("linear/linear_model/bias_weights")
    for name in columns:
        value = features[name].reshape(len(features[name]), -1)
        logits = logits + value @ model.get_variable_value(f"linear/linear_model/{name}/weights")
    return logits


def numpy_softmax(logits):
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def numpy_sigmoid(logits):
    return 1.0 / (1.0 + np.exp(-logits))


def numpy_softmax_losses(logits, labels):
    log_probabilities = np.log(numpy_softmax(logits))
    return -log_probabilities[np.arange(len(labels)), labels]


def numpy_sigmoid_losses(logits, labels):
    """Per-example sigmoid cross-entropy of one logit per example."""
    logits = logits[:, 0]
    return np.maximum(logits, 0) - logits * labels + np.log1p(np.exp(-np.abs(logits)))


def per_batch(values, reduce):
    """`reduce` of each evaluation batch (16, 16, 16, 2 examples)."""
    return np.array([reduce(values[start:start + EVAL_BATCH])
                     for start in range(0, len(values), EVAL_BATCH)])
