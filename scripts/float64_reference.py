"""The measurement behind the step check's float64 reference (harness/float64_batch_norm.py):
on a program port captures (optionally from a checkpoint), per step |TF1 - TF1 with its batch
norms in float64|, |port - that| and |port - TF1|, and the check's verdict for the port and for
sabotaged Keras optimizers (learning rate x1.1, x1.5; Adam's beta_1 0.8; epsilon 1e-7).

    PYTHONPATH=$PWD python scripts/float64_reference.py PROGRAM.py [--checkpoint CKPT] [ARGS...]
"""
import argparse
import os
import tempfile

import numpy as np

from tf1_to_keras import harness
from tf1_to_keras.harness import float64_batch_norm
from tf1_to_keras.porting import certification, engine, training_parity

SABOTAGE = {"lr x1.1": ("learning_rate", lambda rate: rate * 1.1), "lr x1.5": ("learning_rate", lambda rate: rate * 1.5),
            "beta_1 0.8": ("beta_1", lambda _: 0.8), "epsilon 1e-7": ("epsilon", lambda _: 1e-7)}


def changed(key, change):
    """A keras_optimizer for certification.training_check: the optimizer with its `key` changed."""
    def build(optimizer):
        config = optimizer.get_config()
        return type(optimizer).from_config({**config, key: change(config[key])})
    return build


def measure(program, arguments, checkpoint):
    """({variant: the training check's result}, TF1's losses with its batch norms in float64)."""
    with tempfile.TemporaryDirectory() as directory:
        captured, recognised, (x, y), staging, _, keras_side = engine.staged_port(
            program, arguments, directory, checkpoint)
        module = certification.load_model_module(os.path.join(staging, certification.MODEL))
        settings = module.training_setup()[0].get_config()  # the sabotages this optimizer has
        variants = {"port": None, **{name: changed(key, change) for name, (key, change) in SABOTAGE.items()
                                     if key in settings}}
        results = {name: certification.training_check(captured, recognised, keras_side, x, y, 0, staging,
                                                      keras_optimizer=variant)[0]
                   for name, variant in variants.items()}
        with certification.tf1_model(captured, recognised, training=True) as tf1:
            labels = certification.labels_for(tf1, y)
            batch = certification.training_batch_size(certification.fixed_batch(tf1), x)
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
        if result is None:
            print(f"{name}: the training check did not run")
            continue
        keras_losses = np.asarray(result.keras_losses)
        print(f"{name}: passed={result.passed} unverifiable={result.unverifiable}; |Keras - TF1| "
              f"{np.array2string(np.abs(keras_losses - tf1), precision=2)}")
        if exact is not None:
            print(f"  |Keras - TF1 float64| {np.array2string(np.abs(keras_losses - exact), precision=2)}")
        print(f"  {result.note or 'strict bar passed'}")


if __name__ == "__main__":
    main()
