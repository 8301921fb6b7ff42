"""NumPy references for the Estimator tests' linear model (computed without TensorFlow)."""

import numpy as np


def numpy_logits(model, x):
    """x @ weights + bias, with the Estimator's current variable values."""
    return x @ model.get_variable_value("weights") + model.get_variable_value("bias")


def numpy_cross_entropy(logits, labels):
    """Mean softmax cross-entropy of integer labels, numerically stable."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probabilities = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -log_probabilities[np.arange(len(labels)), labels].mean()
