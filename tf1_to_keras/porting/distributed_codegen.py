"""`train_distributed.py` beside a ported model.py: the Keras 3 / tf.distribute training a
person would write for a between-graph TF1 program (port --cluster).

What the TF1 program distributed (distribution_reading, port.json's `distribution`) is not
part of its model: the script says what it was, then trains model.py's model under
`tf.distribute.MultiWorkerMirroredStrategy` from TF_CONFIG, from model.weights.h5:
global batch = the program's per-worker batch x the workers, worker i on rows
[i*B, (i+1)*B) of each global batch of one seeded order, gradients all-reduced every step
(TF1's SyncReplicasOptimizer; asynchronous parameter-server updates have no Keras twin),
keras.callbacks.BackupAndRestore written by the chief after every step. A custom loop:
Keras 3's fit fails under MultiWorkerMirroredStrategy on TF 2.21 (docs/DISTRIBUTED.md).
"""

import os

SCRIPT = "train_distributed.py"
SYNC_TRAINING_NOTE = ("training steps: not checked against TF1 (a SyncReplicasOptimizer worker's step "
                      "waits for its chief's aggregated update, which a single TF1 session does not run); "
                      "train_distributed.py trains the model synchronously")


def sync_replicas(captured):
    """The captured SyncReplicasOptimizer's settings, or None."""
    return (captured.distribution or {}).get("sync_replicas")


def distribution_entry(captured, batch):
    """port.json's `distribution`: what was read, what the port did with it."""
    if not captured.distribution:
        return None
    return {**captured.distribution, "per_worker_batch": batch,
            "stripped": "device placement and SyncReplicasOptimizer are not in model.py; "
                        f"{SCRIPT} trains it with MultiWorkerMirroredStrategy",
            "training_script": SCRIPT}


def per_worker_batch(captured, recognised):
    """The batch the program fed its input at the training run, or None."""
    fed = captured.fed()
    tensor = recognised.inputs[0].tf1_tensor if recognised.inputs else None
    return int(fed[tensor].shape[0]) if tensor in fed else None


def add_training_script(captured, recognised, staging, document):
    """Records `distribution` in the document and, when the port passed, writes the script."""
    if not captured.distribution:
        return
    batch = per_worker_batch(captured, recognised)
    document["distribution"] = distribution_entry(captured, batch)
    if not document["passed"]:
        return
    if batch is None:
        document["notes"].append(f"{SCRIPT}: its --batch is required (the training run fed no batch "
                                 "to the model's input: an input pipeline)")
    with open(os.path.join(staging, SCRIPT), "w", encoding="utf-8") as stream:
        stream.write(script_source(os.path.basename(captured.program), captured.distribution, batch))


def _summary(distribution):
    """Docstring lines: what the TF1 program distributed."""
    lines = []
    placement = distribution.get("placement")
    if placement:
        jobs = ", ".join(f"{job} tasks {tasks}" for job, tasks in placement["jobs"].items())
        setter = " (tf.train.replica_device_setter)" if placement["replica_device_setter"] else ""
        lines.append(f"its variables on a parameter-server cluster{setter}: {jobs}")
    sync = distribution.get("sync_replicas")
    if sync:
        lines.append(f"SyncReplicasOptimizer({sync['wrapped_optimizer']}, replicas_to_aggregate="
                     f"{sync['replicas_to_aggregate']}, total_num_replicas={sync['total_num_replicas']}), as "
                     "captured on port's 1-worker cluster")
    else:
        lines.append("asynchronous updates (no SyncReplicasOptimizer): this script is synchronous")
    return "\n".join(f"  * {line}" for line in lines)


def script_source(program, distribution, batch):
    """The text of train_distributed.py."""
    batch_line = (f"PER_WORKER_BATCH = {batch}  # the TF1 program's batch per worker" if batch else
                  "PER_WORKER_BATCH = None  # the TF1 program's input pipeline fed it: give --batch")
    return _TEMPLATE.replace("{program}", program).replace("{summary}", _summary(distribution)).replace(
        "{batch_line}", batch_line)


_TEMPLATE = '''"""Distributed training of model.py's model, written by `tf1-to-keras port --cluster` for the
TF1 program {program}, which trained between-graph:
{summary}

Here every worker holds a mirrored copy of the model (tf.distribute.MultiWorkerMirroredStrategy,
the cluster from TF_CONFIG) and every step all-reduces the workers' gradients: W workers on
--batch examples each take the step one process takes on W x --batch. Start one process per
worker, each with its TF_CONFIG, e.g. worker 0 of two:

    TF_CONFIG='{"cluster": {"worker": ["127.0.0.1:23456", "127.0.0.1:23457"]},
                "task": {"type": "worker", "index": 0}}' \\\\
        python train_distributed.py --data train.npz --steps 1000 --backup_dir /tmp/backup

Without TF_CONFIG it trains in one process. --data: an .npz with `x` (the model's input) and `y`
(the labels as the TF1 program fed them).
"""

import argparse
import json
import os
import sys

import numpy as np

{batch_line}


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help=".npz with arrays x and y")
    parser.add_argument("--steps", type=int, default=1000, help="global steps")
    parser.add_argument("--batch", type=int, default=PER_WORKER_BATCH, required=PER_WORKER_BATCH is None,
                        help="examples per worker and step")
    parser.add_argument("--seed", type=int, default=0, help="the order of the global batches")
    parser.add_argument("--backup_dir", help="keras.callbacks.BackupAndRestore directory")
    parser.add_argument("--losses", help="the chief writes {step: loss} here as JSON")
    parser.add_argument("--save", help="the chief saves the trained weights here (.weights.h5)")
    return parser.parse_args()


def worker_index():
    """This worker's index among all workers (a chief first), 0 without TF_CONFIG."""
    config = json.loads(os.environ.get("TF_CONFIG", "{}"))
    if not config:
        return 0
    chiefs = len(config["cluster"].get("chief", []))
    task = config["task"]
    return 0 if task["type"] == "chief" else chiefs + task["index"]


def worker_batches(data, steps, batch, workers, index, seed):
    """This worker's rows of each global batch (workers x batch rows of one seeded order)."""
    with np.load(data) as arrays:
        x, y = arrays["x"], arrays["y"]
    global_batch = batch * workers
    order = np.random.default_rng(seed).permutation(len(x))
    order = np.resize(order, steps * global_batch).reshape(steps, global_batch)
    rows = order[:, index * batch:(index + 1) * batch]
    return x[rows].astype(np.float32), y[rows]


def backed_up_step(backup_dir):
    """The last step BackupAndRestore saved (its "epoch"), 0 without a backup."""
    path = os.path.join(backup_dir or "", "training_metadata.json")
    if not backup_dir or not os.path.exists(path):
        return 0
    with open(path, encoding="utf-8") as stream:
        return int(json.load(stream)["epoch"])


def replica_scale(loss, workers):
    """1/W for a loss that averages over its batch, 1 for a summed one: either way the workers'
    all-reduced (summed) gradients are one process's on the global batch. (TF1's
    SyncReplicasOptimizer averaged the workers' gradients: for a summed loss its step was 1/W
    of this one; Adam barely minds, plain SGD would want its learning rate over W.)"""
    return 1.0 if getattr(loss, "reduction", None) == "sum" else 1.0 / workers


def step_function(strategy, model, optimizer, loss, tf):
    """One synchronous step; returns the loss over the global batch."""
    scale = replica_scale(loss, strategy.num_replicas_in_sync)

    def replica_step(x, y):
        with tf.GradientTape() as tape:
            value = loss(y, model(x, training=True)) * scale
        gradients = tape.gradient(value, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))  # all-reduces first
        return value

    @tf.function
    def step(iterator):
        values = strategy.run(replica_step, args=next(iterator))
        return strategy.reduce(tf.distribute.ReduceOp.SUM, values, axis=None)
    return step


def main():
    options = parse_arguments()
    import keras  # TF_CONFIG must be set before TensorFlow starts
    import tensorflow as tf
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import model as ported

    strategy = (tf.distribute.MultiWorkerMirroredStrategy() if "TF_CONFIG" in os.environ
                else tf.distribute.get_strategy())
    workers, index = strategy.num_replicas_in_sync, worker_index()
    with strategy.scope():
        model = ported.build_model()
        model.load_weights(os.path.join(os.path.dirname(os.path.abspath(__file__)), "model.weights.h5"))
        optimizer, loss = ported.training_setup()
        model.compile(optimizer=optimizer, loss=loss)  # the backup saves the optimizer's state too
        optimizer.build(model.trainable_variables)
    done, backup = backed_up_step(options.backup_dir), None
    if options.backup_dir:
        backup = keras.callbacks.BackupAndRestore(options.backup_dir)
        backup.set_model(model)
        backup.on_train_begin()  # every worker restores the chief's last step
    x, y = worker_batches(options.data, options.steps, options.batch, workers, index, options.seed)
    dataset = strategy.distribute_datasets_from_function(
        lambda _: tf.data.Dataset.from_tensor_slices((x[done:], y[done:])))
    step, batches, losses = step_function(strategy, model, optimizer, loss, tf), iter(dataset), {}
    for number in range(done + 1, options.steps + 1):
        losses[number] = float(step(batches))
        if backup and index == 0:
            backup.on_epoch_end(number - 1)  # one step is one "epoch": a backup every step
        print(f"worker {index} of {workers}: step {number} loss {losses[number]:.6f}", flush=True)
    if backup and index == 0:
        backup.on_train_end()  # the run is complete: the backup is removed
    if index == 0 and options.losses:
        with open(options.losses, "w", encoding="utf-8") as stream:
            json.dump(losses, stream)
    if index == 0 and options.save:
        model.save_weights(options.save)


if __name__ == "__main__":
    main()
'''
