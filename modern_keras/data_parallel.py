"""Keras 3 data parallelism on JAX: `keras.distribution.DataParallel` over this host's devices.

    KERAS_BACKEND=jax XLA_FLAGS=--xla_force_host_platform_device_count=2 \\
        python -m modern_keras.data_parallel --devices 2 --steps 10 --global_batch 100 --seed 0

trains mnist_replica.py's network (modern_keras.distributed.build_model) with Keras' own
`train_on_batch`, each global batch split over the devices (one `jax.sharding` mesh axis,
"batch"), and prints {step: loss} as JSON. `--devices 1` sets no distribution: the
one-device baseline. On a CPU host XLA's flag gives one process several CPU devices, which is
how the sync parity test (parity_tests/distributed/test_jax_data_parallel.py) runs 2 devices on
a machine without accelerators. The backend must be chosen before Keras is imported, so this
runs as its own process.
"""

import argparse
import json
import sys

from mnist_core import exit_codes
from modern_keras.distributed import LEARNING_RATE, build_model, global_batches


def train(steps, global_batch, seed, devices):
    """([loss of each step] of `steps` train_on_batch steps over `devices` devices, the number
    of devices the first kernel is replicated on)."""
    import keras  # noqa: PLC0415 - KERAS_BACKEND is read at import
    if keras.backend.backend() != "jax":
        raise ValueError(f"KERAS_BACKEND is {keras.backend.backend()!r}; expected 'jax'")
    available = keras.distribution.list_devices("cpu")
    if devices > len(available):
        raise ValueError(f"--devices {devices}: this process has {len(available)} device(s); set "
                         f"XLA_FLAGS=--xla_force_host_platform_device_count={devices}")
    if global_batch % devices:
        raise ValueError(f"--global_batch {global_batch} does not split over {devices} devices")
    if devices > 1:
        keras.distribution.set_distribution(keras.distribution.DataParallel(devices=available[:devices]))
    model = build_model(seed, keras)
    model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    images, labels = global_batches(steps, global_batch, seed)
    losses = [float(model.train_on_batch(images[step], labels[step])) for step in range(steps)]
    return losses, len(model.trainable_variables[0].value.sharding.device_set)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m modern_keras.data_parallel",
                                     description="Keras DataParallel on JAX devices; prints losses.")
    parser.add_argument("--devices", type=int, default=2)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--global_batch", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args(sys.argv[1:] if argv is None else argv)
    try:
        losses, replicas = train(options.steps, options.global_batch, options.seed, options.devices)
    except ValueError as error:
        print(f"python -m modern_keras.data_parallel: {error}", file=sys.stderr)
        return exit_codes.BAD_INPUT
    print(json.dumps({"devices": options.devices, "weight_replicas": replicas, "losses": losses}))
    return exit_codes.OK


if __name__ == "__main__":
    sys.exit(main())
