"""The measurement behind the step check's float64 reference (harness/float64_batch_norm.py):
on a program port captures (optionally from a checkpoint), per step |TF1 - TF1 with its batch
norms in float64|, |port - that| and |port - TF1|, and the check's verdict for the port and for
sabotaged Keras optimizers (learning rate x1.1, x1.5; Adam's beta_1 0.8; epsilon 1e-7).

    PYTHONPATH=$PWD python scripts/float64_reference.py PROGRAM.py [--checkpoint CKPT] [-- ARGS...]
"""
import argparse
import os
import tempfile

import numpy as np

from tf1_to_keras import harness
from tf1_to_keras.harness import float64_batch_norm
from tf1_to_keras.porting import certification, engine, stage_timing, training_parity, weights

SABOTAGE = {"lr x1.1": ("learning_rate", lambda rate: rate * 1.1), "lr x1.5": ("learning_rate", lambda rate: rate * 1.5),
            "beta_1 0.8": ("beta_1", lambda _: 0.8), "epsilon 1e-7": ("epsilon", lambda _: 1e-7)}


def changed(make, key, change):
    """A function returning make()'s optimizer with its `key` setting changed."""
    def build():
        config = make().get_config()
        return type(make()).from_config({**config, key: change(config[key])})
    return build


def measure(program, arguments, checkpoint):
    with tempfile.TemporaryDirectory() as directory:
        captured, recognised, (x, y), values, skipped, _ = engine.capture_and_read(
            program, arguments, os.path.join(directory, "capture"), stage_timing.StageClock(), None,
            checkpoint=checkpoint)
        staging = os.path.join(directory, "staging")
        os.makedirs(staging)
        engine.write_model(recognised, captured, staging, "measured", values, skipped, 0)
        with certification.tf1_model(captured, recognised) as tf1:
            _, keras_side = certification.verify(staging, recognised, tf1, values, 0, x)
        module = certification.load_model_module(os.path.join(staging, certification.MODEL))
        make = lambda: module.training_setup()[0]  # noqa: E731
        variants = {"port": make, **{name: changed(make, key, change) for name, (key, change) in SABOTAGE.items()
                                     if key in make().get_config()}}
        with certification.tf1_model(captured, recognised, training=True) as tf1:
            labels = certification.labels_for(tf1, y)
            batch = certification.training_batch_size(certification.fixed_batch(tf1), x)
            results = {name: training_parity.check_ported_training(
                tf1, keras_side, recognised, x, labels, batch_size=batch, keras_optimizer_function=function,
                keras_loss=module.training_setup()[1], tolerances=certification.training_tolerances(recognised),
                name_map=weights.name_map(recognised, keras_side.weight_layers())) for name, function in variants.items()}
            batches = harness.make_batches(x, np.asarray(labels), batch_size=batch, steps=10, seed=0)
            exact = float64_batch_norm.rerun(tf1, batches, training_parity.tf1_optimizer(recognised.optimizer),
                                             training_parity._tf1_feed(tf1, recognised))
    return results, exact


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("program")
    parser.add_argument("--checkpoint")
    parser.add_argument("arguments", nargs="*")
    options = parser.parse_intermixed_args()
    results, exact = measure(options.program, options.arguments, options.checkpoint)
    tf1 = np.asarray(results["port"].tf1_losses)
    print(f"TF1 losses {np.array2string(tf1, precision=4)}")
    if exact is None:
        print("no training-mode fused batch norm: no float64 reference")
    else:
        print(f"|TF1 - TF1 float64 batch norms| {np.array2string(np.abs(tf1 - exact), precision=2)}")
    for name, result in results.items():
        keras_losses = np.asarray(result.keras_losses)
        print(f"{name}: passed={result.passed} unverifiable={result.unverifiable}; |Keras - TF1| "
              f"{np.array2string(np.abs(keras_losses - tf1), precision=2)}")
        if exact is not None:
            print(f"  |Keras - TF1 float64| {np.array2string(np.abs(keras_losses - exact), precision=2)}")
        print(f"  {result.note or 'strict bar passed'}")


if __name__ == "__main__":
    main()
