"""FLOP counts of the models, and a GEMM calibration of this machine's fp32 peak.

FLOPs are counted analytically from the Keras twin (the same model as TF1's):
2 x multiply-adds of every Dense and Conv2D layer per example for inference, and
3 x that for a training step (forward, plus gradients for inputs and weights).
Pooling, activations, dropout and the optimizer are left out, so the figures
are a lower bound on the work done.
"""

import statistics
import time

import numpy as np

from mnist_core import recipes

GEMM_SIZE = 2048


def forward_flops_per_example(model):
    """2 x multiply-adds of the Dense and Conv2D layers of a built Keras model, per example."""
    import keras

    flops = 0
    for layer in model.layers:
        if isinstance(layer, keras.layers.Dense):
            flops += 2 * int(np.prod(layer.kernel.shape))
        elif isinstance(layer, keras.layers.Conv2D):
            output_height, output_width = layer.output.shape[1:3]
            flops += 2 * int(np.prod(layer.kernel.shape)) * output_height * output_width
    return flops


def model_flops(key):
    """{"inference": FLOPs per example, "training": FLOPs per example and step}."""
    from mnist_parity import registry

    recipe = recipes.get_recipe(key)
    forward = forward_flops_per_example(registry.keras_module(key).build_model(recipe))
    return {"inference": forward, "training": 3 * forward}


def calibrate_gemm(size=GEMM_SIZE, repeats=5):
    """Median fp32 GFLOP/s of a size x size matmul in a compiled TF function."""
    import tensorflow as tf

    a = tf.random.stateless_uniform((size, size), seed=(0, 1))
    b = tf.random.stateless_uniform((size, size), seed=(0, 2))
    matmul = tf.function(lambda x, y: tf.reduce_sum(tf.matmul(x, y)))
    matmul(a, b).numpy()  # trace and warm up
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        matmul(a, b).numpy()
        rates.append(2 * size ** 3 / (time.perf_counter() - start) / 1e9)
    return {"size": size, "gflops_repeats": rates, "gflops": statistics.median(rates)}
