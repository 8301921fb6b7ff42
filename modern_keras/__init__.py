"""Keras 3 ports of the five TF 1.x MNIST programs (TF1 twins in legacy_tf1.models)."""
