"""tolerances.REFERENCE_SPREAD_FACTOR's second measurement: the 12-layer batch-norm conv net of
parity_tests/library/harness/test_reference_spread.py (momentum 1.0/0.9, batches of 16), over
graph seeds and batch reorderings: the exact port's per-step |Keras - TF1| over the running max
of |TF1 - TF1 reordered|, and the same for the port with its learning rate x1.5.

    PYTHONPATH=$PWD python scripts/step_spread_deep_bn.py [--seeds 1 2 3] [--orders 4]
"""
import argparse
import functools

import keras
import numpy as np

import legacy_tf1.compat as tf
from parity_tests.library.harness import test_reference_spread as net
from tf1_to_keras import harness
from tf1_to_keras.harness import reference_spread


def ratios(port, tf1_losses, selves):
    """Per reordering: max over steps of port / running max of TF1's own spread (where > 0)."""
    port = np.abs(np.asarray(port) - tf1_losses)
    found = []
    for self_losses in selves:
        running = np.maximum.accumulate(np.abs(np.asarray(self_losses) - tf1_losses))
        found.append(float(np.max(port[running > 0] / running[running > 0], initial=0.0)))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--orders", type=int, default=4)
    arguments = parser.parse_args()
    random = np.random.RandomState(0)
    x, y = random.rand(64, net.SIZE, net.SIZE, 3).astype(np.float32), random.randint(0, 10, 64)
    batches = harness.make_batches(x, y, 16, 10)
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    for seed in arguments.seeds:
        with harness.TF1Model.from_builder(net.build_deep_batch_norm, seed=seed) as tf1:
            measuring = harness.Tolerances.default().override("measure: no bar, so no rerun", early_loss_atol=1e9)
            results = {name: harness.check_training_steps(
                tf1, harness.KerasModel(net.keras_deep_batch_norm, seed=0), batches,
                lambda: tf.train.MomentumOptimizer(1.0, 0.9), lambda rate=rate: keras.optimizers.SGD(rate, momentum=0.9),
                loss, tolerances=measuring) for name, rate in (("port", 1.0), ("lr x1.5", 1.5))}
            tf1_losses = np.asarray(results["port"].tf1_losses)
            selves = [tf1.train_steps_again(reference_spread.permuted_batches(batches, seed=order)[0],
                                            start=functools.partial(reference_spread.nudged, seed=order))
                      for order in range(arguments.orders)]
        spread = np.max([np.abs(np.asarray(s) - tf1_losses) for s in selves], axis=0)
        print(f"seed {seed}: TF1 own spread per step (max over {arguments.orders} orders) "
              f"{np.array2string(spread, precision=2)}")
        for name, result in results.items():
            port = np.abs(np.asarray(result.keras_losses) - tf1_losses)
            print(f"  {name}: passed={result.passed} |Keras - TF1| {np.array2string(port, precision=2)}; "
                  f"port / running max of TF1's own, per order: {np.round(ratios(result.keras_losses, tf1_losses, selves), 2)}")


if __name__ == "__main__":
    main()
