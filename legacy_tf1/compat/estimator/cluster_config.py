"""What TF1's RunConfig read from `TF_CONFIG`: the cluster, this task, and its masters.

TF1's rules: the `chief` (or, without one, `master`) is the chief; `worker`s train
beside it; `ps` tasks serve variables; the `evaluator` is no part of the training
cluster (an empty cluster, a local master). Without `TF_CONFIG` one local process
is the chief of a one-worker cluster, as before.
"""

import collections
import json
import os

import tensorflow as tf

CHIEF, MASTER, WORKER, PS, EVALUATOR = "chief", "master", "worker", "ps", "evaluator"
_TRAINING_TYPES = (CHIEF, MASTER, WORKER)

ClusterInfo = collections.namedtuple("ClusterInfo", [
    "cluster_spec", "task_type", "task_id", "is_chief", "master", "evaluation_master",
    "num_ps_replicas", "num_worker_replicas"])

LOCAL = ClusterInfo(tf.train.ClusterSpec({}), WORKER, 0, True, "", "", 0, 1)


def from_environment(environ=None):
    """The ClusterInfo `TF_CONFIG` describes, or LOCAL; ValueError naming a bad entry."""
    text = (os.environ if environ is None else environ).get("TF_CONFIG", "")
    if not text:
        return LOCAL
    try:
        config = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"TF_CONFIG is not JSON ({error}): {text!r}") from None
    cluster = config.get("cluster") or {}
    task = config.get("task") or {}
    task_type, task_id = task.get("type"), task.get("index", 0)
    if not cluster:
        return LOCAL if not task_type else LOCAL._replace(task_type=task_type, task_id=task_id)
    if task_type is None:
        raise ValueError(f"TF_CONFIG {text!r}: a cluster without task.type; expected one of "
                         f"{sorted(cluster) + [EVALUATOR]}")
    if task_type == EVALUATOR:
        return ClusterInfo(tf.train.ClusterSpec({}), EVALUATOR, task_id, False, "", "", 0, 0)
    return _training_task(cluster, task_type, task_id, text)


def _training_task(cluster, task_type, task_id, text):
    """ClusterInfo for a chief, worker or ps task of `cluster`."""
    addresses = cluster.get(task_type)
    if not addresses or not 0 <= task_id < len(addresses):
        raise ValueError(f"TF_CONFIG {text!r}: task {task_type}:{task_id} is not in the cluster "
                         f"({ {job: len(hosts) for job, hosts in cluster.items()} })")
    chief_type = CHIEF if CHIEF in cluster else MASTER
    if chief_type not in cluster and WORKER not in cluster:
        raise ValueError(f"TF_CONFIG {text!r}: expected a 'chief' or 'worker' job")
    is_chief = task_type == chief_type or (chief_type not in cluster and task_type == WORKER
                                           and task_id == 0)
    master = f"grpc://{addresses[task_id]}" if task_type in _TRAINING_TYPES else ""
    workers = sum(len(cluster.get(job, [])) for job in _TRAINING_TYPES)
    return ClusterInfo(tf.train.ClusterSpec(cluster), task_type, task_id, is_chief, master, "",
                       len(cluster.get(PS, [])), workers)


def device_filters(info):
    """TF1's distributed session filter: this task sees the ps and itself only."""
    if info.num_ps_replicas == 0 or info.task_type not in _TRAINING_TYPES:
        return []
    return ["/job:ps", f"/job:{info.task_type}/task:{info.task_id}"]


def replica_device_setter(info):
    """TF1 Estimator's device function: variables on the ps tasks, ops on this task; or None."""
    if info.num_ps_replicas == 0:
        return None
    return tf.compat.v1.train.replica_device_setter(
        ps_tasks=info.num_ps_replicas, worker_device=f"/job:{info.task_type}/task:{info.task_id}",
        merge_devices=True, cluster=info.cluster_spec,
        ps_ops=["Variable", "VariableV2", "AutoReloadVariable", "MutableHashTable",
                "MutableHashTableV2", "MutableHashTableOfTensors", "MutableHashTableOfTensorsV2",
                "MutableDenseHashTable", "MutableDenseHashTableV2", "VarHandleOp"])
