"""The measurement behind tolerances.REFERENCE_SPREAD_FACTOR: on a program port captures, the
per-step |Keras - TF1| loss difference of the port against TF1's own spread |TF1 - TF1 with each
batch reordered and the weights an ulp apart|, over several such reruns, and the same for sabotaged Keras optimizers.

    PYTHONPATH=$PWD python scripts/step_spread.py PROGRAM.py [--orders 3] [--sabotage]

Prints, per step, TF1's loss, the port's |diff|, each reordering's |diff| and their running max,
and the ratio port / running max (the factor a correct port needs); with --sabotage the same
ratio for the program's optimizer with its learning rate x1.5 and its momentum 0.
"""
import argparse
import functools
import json
import os
import tempfile
import time

import numpy as np

from tf1_to_keras import harness
from tf1_to_keras.harness import closeness, reference_spread
from tf1_to_keras.porting import certification, engine, training_parity, weights


def ported(program, directory):
    """(captured, recognised, staging, x, y, Keras side) of `program`'s port, model.py staged."""
    captured, recognised, (x, y), staging, checked, keras_side = engine.staged_port(program, [], directory)
    print(f"forward check passed: {not checked.failures}")
    return captured, recognised, staging, x, y, keras_side


def sabotaged(make, change):
    """A function returning make()'s optimizer with `change` applied to its config."""
    def build():
        optimizer = make()
        config = optimizer.get_config()
        change(config)
        return type(optimizer).from_config(config)
    return build


def runs(program, orders, sabotage):
    with tempfile.TemporaryDirectory() as directory:
        captured, recognised, staging, x, y, keras_side = ported(program, directory)
        module = certification.load_model_module(os.path.join(staging, certification.MODEL))
        with certification.tf1_model(captured, recognised, training=True) as tf1:
            labels = certification.labels_for(tf1, y)
            batch = certification.fixed_batch(tf1) or min(certification.TRAINING_BATCH_SIZE, len(x))
            common = dict(keras_loss=module.training_setup()[1], batch_size=batch,
                          name_map=weights.name_map(recognised, keras_side.weight_layers()),
                          tolerances=harness.Tolerances.default().override(  # measure, judge below
                              "step_spread.py measures: no bar, so no rerun", early_loss_atol=1e9,
                              late_loss_rtol=1e9))
            variants = {"port": lambda: module.training_setup()[0]}
            if sabotage:
                make = variants["port"]
                variants["lr x1.5"] = sabotaged(make, lambda c: c.update(learning_rate=c["learning_rate"] * 1.5))
                variants["momentum 0"] = sabotaged(make, lambda c: c.update(momentum=0.0))
            figures = {}
            for name, function in variants.items():
                started = time.perf_counter()
                result = training_parity.check_ported_training(
                    tf1, keras_side, recognised, x, labels, keras_optimizer_function=function, **common)
                figures[name] = {"keras": result.keras_losses, "seconds": time.perf_counter() - started}
            tf1_losses = result.tf1_losses
            batches = harness.make_batches(x, np.asarray(labels), batch_size=batch, steps=10, seed=0)
            feed = training_parity._tf1_feed(tf1, recognised)
            selves = []
            for order in range(orders):
                reordered, _ = reference_spread.permuted_batches(batches, seed=order)
                started = time.perf_counter()
                start = functools.partial(reference_spread.nudged, seed=order)
                selves.append(tf1.train_steps_again(reordered, feed=feed, start=start))
                rerun_seconds = time.perf_counter() - started
        bars = certification.training_tolerances(recognised) or harness.Tolerances.default()
    return tf1_losses, selves, figures, rerun_seconds, bars


def verdict(tf1_losses, selves, keras_losses, bars):
    """The check's verdict with these reruns: (passed, the ReferenceSpread's note or None)."""
    strict = closeness.loss_curve_comparisons(
        tf1_losses, keras_losses, name="loss", early_steps=bars.early_steps, early_atol=bars.early_loss_atol,
        early_rtol=bars.early_loss_rtol, late_rtol=bars.late_loss_rtol)
    if all(comparison.passed for comparison in strict):
        return True, None
    steps, spread = reference_spread.held_to_spread(list(tf1_losses), selves, keras_losses, strict, "loss")
    return all(comparison.passed for comparison in steps), spread.note


def report(tf1_losses, selves, figures, bars):
    tf1_losses = np.asarray(tf1_losses)
    spreads = np.abs(np.asarray(selves) - tf1_losses)
    for index, spread in enumerate(spreads):
        print(f"order {index}: |TF1 - TF1 reordered| per step: {np.array2string(spread, precision=3)}")
    for name, figure in figures.items():
        port = np.abs(np.asarray(figure["keras"]) - tf1_losses)
        passed, note = verdict(tf1_losses, selves, figure["keras"], bars)
        print(f"{name}: passed={passed} ({figure['seconds']:.1f} s); |Keras - TF1| per step: "
              f"{np.array2string(port, precision=3)}\n  {note}")
        for index, spread in enumerate(spreads):
            running = np.maximum.accumulate(spread)
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = np.where(running > 0, port / running, np.inf)
            print(f"  / running max of order {index}: max {np.max(ratio[running > 0], initial=0):.2f} "
                  f"per step {np.array2string(ratio, precision=2)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("program")
    parser.add_argument("--orders", type=int, default=3)
    parser.add_argument("--sabotage", action="store_true")
    arguments = parser.parse_args()
    tf1_losses, selves, figures, rerun, bars = runs(arguments.program, arguments.orders, arguments.sabotage)
    print(f"TF1 losses: {np.array2string(np.asarray(tf1_losses), precision=5)}; one TF1 rerun {rerun:.1f} s")
    report(tf1_losses, selves, figures, bars)
    print(json.dumps({"tf1": tf1_losses, "tf1_reordered": selves,
                      **{name: figure["keras"] for name, figure in figures.items()}}))


if __name__ == "__main__":
    main()
