"""The Keras 3 port of a between-graph TF1 trainer: MultiWorkerMirroredStrategy on a local cluster.

    python -m modern_keras.distributed launch --workers 2 --steps 200 --global_batch 100 \\
        --seed 0 --backup_dir DIR

starts each worker (`python -m modern_keras.distributed train ...`) with its own
TF_CONFIG on the same local cluster machinery as `python -m legacy_tf1 cluster`
(`mnist_core.local_cluster`). Without TF_CONFIG, `train` is one process on the
whole global batch: the synchronous-parity baseline.

What maps to what (docs/DISTRIBUTED.md has the table):
* between-graph replication + SyncReplicasOptimizer -> MultiWorkerMirroredStrategy:
  every step all-reduces the gradients of all workers, so W workers on B/W examples
  take the step one process takes on B (Keras divides each replica's mean loss by
  the replica count, the all-reduce sums: the mean over the global batch).
* each worker's `next_batch` -> per-worker sharding of one global batch order:
  worker i trains on rows [i*B/W, (i+1)*B/W) of each global batch (`shard_rows`).
* Supervisor / MonitoredTrainingSession checkpoints -> keras.callbacks.BackupAndRestore,
  written by the chief after every step (one step is one of its "epochs") and restored
  by every worker: a restarted cluster resumes at the step after the last backup, on
  the batches it would have had.
"""

import argparse
import json
import os
import sys
import time

import numpy as np

from mnist_core import batches, exit_codes, mnist
from mnist_core.local_cluster import DEFAULT_TIMEOUT_S, Cluster, cluster_spec, tf_config

HIDDEN_UNITS = 100
LEARNING_RATE = 0.01


def build_model(seed, keras):
    """mnist_replica.py's network: 784 -> 100 relu -> 10 logits, seeded initial weights."""
    initializer = keras.initializers.GlorotUniform(seed=seed)
    return keras.Sequential([
        keras.Input((784,), name="image"),
        keras.layers.Dense(HIDDEN_UNITS, activation="relu", kernel_initializer=initializer,
                           name="hidden"),
        keras.layers.Dense(10, kernel_initializer=keras.initializers.GlorotUniform(seed=seed + 1),
                           name="logits"),
    ], name="mnist_replica")


def global_batches(steps, global_batch, seed):
    """(images [steps, B, 784] float32 in [0, 1], labels [steps, B]) in `next_batch` order."""
    (images, labels), _ = mnist.load_data()
    order = batches.batch_order(len(images), global_batch, steps, seed)
    flat = images.reshape(len(images), 784).astype(np.float32) / 255.0
    return flat[order], labels[order].astype(np.int64)


def test_accuracy(model):
    """Accuracy on MNIST's 10,000 test images."""
    _, (images, labels) = mnist.load_data()
    logits = np.asarray(model(images.reshape(-1, 784).astype(np.float32) / 255.0, training=False))
    return float(np.mean(np.argmax(logits, axis=1) == labels))


def shard_rows(global_batch, workers, index):
    """Rows of each global batch that worker `index` of `workers` trains on."""
    if global_batch % workers:
        raise ValueError(f"--global_batch {global_batch} does not split over {workers} workers; "
                         "expected a multiple of the worker count")
    size = global_batch // workers
    return slice(index * size, (index + 1) * size)


def _task():
    """(workers, this worker's index) from TF_CONFIG (chief first), or (1, 0) without it."""
    config = json.loads(os.environ.get("TF_CONFIG", "{}"))
    if not config:
        return 1, 0
    cluster = config["cluster"]
    jobs = cluster.get("chief", []) + cluster.get("worker", [])
    task = config["task"]
    return len(jobs), (0 if task["type"] == "chief" else len(cluster.get("chief", [])) + task["index"])


def write_losses(path, losses):
    """{step: loss} as JSON, staged and renamed: a kill leaves the old file or the new one."""
    with open(path + ".tmp", "w", encoding="utf-8") as stream:
        json.dump(losses, stream)
    os.replace(path + ".tmp", path)


def backed_up_step(backup_dir):
    """The step BackupAndRestore will resume after (its saved epoch), 0 without a backup."""
    path = os.path.join(backup_dir, "training_metadata.json")
    if not os.path.exists(path):
        return 0
    with open(path, encoding="utf-8") as stream:
        return int(json.load(stream)["epoch"])


def _step_function(strategy, model, global_batch, tf, keras):
    """One synchronous step: every replica's gradients all-reduced, the global-batch mean loss.

    A custom loop: Keras 3's fit cannot run under MultiWorkerMirroredStrategy (its
    symbolic build reduces the first input batch across workers and fails on it).
    """
    per_example_loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction=None)

    def replica_step(images, labels):
        with tf.GradientTape() as tape:
            losses = per_example_loss(labels, model(images, training=True))
            loss = tf.nn.compute_average_loss(losses, global_batch_size=global_batch)
        gradients = tape.gradient(loss, model.trainable_variables)
        # Keras' optimizer all-reduces (sums) the replicas' gradients before it updates.
        model.optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        return loss

    @tf.function
    def step(iterator):
        per_replica = strategy.run(replica_step, args=next(iterator))
        return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica, axis=None)
    return step


def _backup(backup_dir, model, keras):
    """keras.callbacks.BackupAndRestore bound to `model`, its backup (if any) restored."""
    if not backup_dir:
        return None
    backup = keras.callbacks.BackupAndRestore(backup_dir)
    backup.set_model(model)
    backup.on_train_begin()  # loads the weights and optimizer state of the last step saved
    return backup


def _run_steps(step, batches_left, numbers, options, backup):
    """Runs steps `numbers`; after each, the backup (if given) and the losses file."""
    losses = {}
    for number in numbers:
        losses[str(number)] = float(step(batches_left))
        if backup:
            backup.on_epoch_end(number - 1)  # one step is one "epoch": saved every step
        if options.losses:
            write_losses(options.losses, losses)
        if options.step_sleep:  # lets a fault test kill a worker mid-training
            time.sleep(options.step_sleep)
    if backup:
        backup.on_train_end()  # removes the backup: the run is complete
    return losses


def train(options):
    """Trains on this worker's shard of every global batch; returns {step: loss}."""
    import keras  # noqa: PLC0415 - TF_CONFIG must be set before TensorFlow starts
    import tensorflow as tf  # noqa: PLC0415
    workers, index = _task()
    strategy = (tf.distribute.MultiWorkerMirroredStrategy() if "TF_CONFIG" in os.environ
                else tf.distribute.get_strategy())
    images, labels = global_batches(options.steps, options.global_batch, options.seed)
    rows = shard_rows(options.global_batch, workers, index)
    # Every worker restores the chief's backup, so all resume at the same step with the
    # same weights; only the chief writes it (Keras 3's callback does not tell workers apart).
    backup_dir = options.backup_dir
    done = backed_up_step(backup_dir) if backup_dir else 0
    if done:
        print(f"worker {index}: resuming after step {done} of {options.steps}", flush=True)
    with strategy.scope():
        model = build_model(options.seed, keras)
        model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE))
        model.optimizer.build(model.trainable_variables)
    backup = _backup(backup_dir, model, keras)
    # Each worker's rows are its shard already; a resumed run continues at its next batch.
    dataset = strategy.distribute_datasets_from_function(
        lambda _: tf.data.Dataset.from_tensor_slices((images[done:, rows], labels[done:, rows])))
    step = _step_function(strategy, model, options.global_batch, tf, keras)
    losses = _run_steps(step, iter(dataset), range(done + 1, options.steps + 1), options,
                        backup if index == 0 else None)  # only the chief writes the backup
    if index == 0:
        print(f"worker 0: test accuracy {test_accuracy(model):.4f}", flush=True)
    if options.save and index == 0:
        model.save(options.save)
    print(f"worker {index} of {workers}: trained to step {options.steps}, "
          f"last loss {losses[str(options.steps)]:.6f}", flush=True)
    return losses


def _add_training_arguments(parser):
    parser.add_argument("--steps", type=int, default=200, help="global steps (default 200)")
    parser.add_argument("--global_batch", type=int, default=100, help="examples per step, all workers")
    parser.add_argument("--seed", type=int, default=0, help="initial weights and batch order")
    parser.add_argument("--backup_dir", help="BackupAndRestore directory (a sub-folder per worker)")
    parser.add_argument("--losses", help="write {step: loss} JSON here (per worker: add {index})")
    parser.add_argument("--save", help="the chief saves the trained model here (.keras)")
    parser.add_argument("--step_sleep", type=float, default=0.0, help="seconds after each step")


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        prog="python -m modern_keras.distributed",
        description="Keras 3 MNIST training under MultiWorkerMirroredStrategy on a local cluster.")
    commands = parser.add_subparsers(dest="command", required=True)
    _add_training_arguments(commands.add_parser(
        "train", help="one worker (TF_CONFIG from the launcher; none: one process on the global batch)"))
    launch = commands.add_parser("launch", help="start every worker on local ports")
    launch.add_argument("--workers", type=int, default=2, help="workers (default 2)")
    launch.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S,
                        help=f"kill every worker after this many seconds (default {DEFAULT_TIMEOUT_S})")
    _add_training_arguments(launch)
    return parser.parse_args(argv)


def worker_commands(options, argv):
    """[(name, argv, env)] for `launch`: each worker runs `train` with its TF_CONFIG."""
    shard_rows(options.global_batch, options.workers, 0)  # checks the split before starting
    spec = cluster_spec(0, options.workers)
    train_argv = [sys.executable, "-m", "modern_keras.distributed", "train", *argv]
    commands = []
    for index in range(options.workers):
        env = dict(os.environ, TF_CONFIG=tf_config(spec, "worker", index))
        worker_argv = [part.replace("{index}", str(index)) for part in train_argv]
        commands.append((f"worker:{index}", worker_argv, env))
    return commands


def _launch_argv(argv):
    """The training arguments of a `launch` command line (its own options dropped)."""
    kept, skip = [], False
    for part in argv[1:]:
        if skip:
            skip = False
        elif part in ("--workers", "--timeout"):
            skip = True
        elif not part.startswith(("--workers=", "--timeout=")):
            kept.append(part)
    return kept


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    options = parse_arguments(argv)
    try:
        if options.command == "launch":
            commands = worker_commands(options, _launch_argv(argv))
        else:
            shard_rows(options.global_batch, *_task())
    except ValueError as error:  # bad arguments only: a failed training shows its traceback
        print(f"python -m modern_keras.distributed: {error}", file=sys.stderr)
        return exit_codes.BAD_INPUT
    if options.command == "launch":
        return Cluster(commands, options.timeout).run()
    train(options)
    return exit_codes.OK


if __name__ == "__main__":
    sys.exit(main())
