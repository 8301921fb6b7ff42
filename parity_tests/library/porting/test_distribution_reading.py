"""distribution_reading and training_run on real TF1 graphs with a parameter server's devices and
a SyncReplicasOptimizer (built, never run: no cluster is needed to place ops)."""

import pytest
import tensorflow as tf

from tf1_to_keras.porting import capture, distribution_reading, training_run

_V1 = tf.compat.v1
CLUSTER = {"ps": ["127.0.0.1:1"], "worker": ["127.0.0.1:2", "127.0.0.1:3"]}


def _graph(sync, placed=True):
    """A 3-2 linear model's training graph on worker 1, variables on ps 0 when `placed`."""
    graph = tf.Graph()
    with graph.as_default():
        setter = _V1.train.replica_device_setter(
            worker_device="/job:worker/task:1", cluster=_V1.train.ClusterSpec(CLUSTER)) if placed else None
        with _V1.device(setter):
            weights = _V1.get_variable("w", [3, 2])
            x = _V1.placeholder(tf.float32, [None, 3])
            loss = tf.reduce_sum(tf.matmul(x, weights))
            step = _V1.train.get_or_create_global_step()
            optimizer = _V1.train.AdamOptimizer(0.1)
            if sync:
                optimizer = _V1.train.SyncReplicasOptimizer(optimizer, replicas_to_aggregate=2,
                                                             total_num_replicas=3)
            train_op = optimizer.minimize(loss, global_step=step)
    # SyncReplicasOptimizer's op is an assignment to its local step (a variable object here).
    return graph, train_op if isinstance(train_op, tf.Operation) else train_op.op


def test_placement_and_sync_replicas_settings_are_read():
    graph, _ = _graph(sync=True)
    read = distribution_reading.read(graph)
    assert read["placement"]["jobs"] == {"ps": [0], "worker": [1]}  # the sync local step
    assert read["placement"]["variables"]["w"].startswith("/job:ps/task:0")
    assert read["placement"]["replica_device_setter"] is True
    assert read["sync_replicas"] == {
        "optimizer": "SyncReplicasOptimizer", "wrapped_optimizer": "AdamOptimizer",
        "replicas_to_aggregate": 2, "total_num_replicas": 3, "accumulated_variables": ["w"]}


def test_a_single_process_graph_has_no_distribution():
    graph, _ = _graph(sync=False, placed=False)
    assert distribution_reading.read(graph) is None


def test_the_worker_step_trains_and_the_chiefs_aggregated_update_does_not():
    graph, train_op = _graph(sync=True)
    assert training_run.reaches_update([train_op])
    assert training_run.updated_variables([train_op]) == {"w"}
    applies = [op for op in graph.get_operations() if training_run.APPLY_OP.match(op.type)]
    assert applies and not training_run.reaches_update(applies)  # the chief queue runner's


def test_an_unknown_cluster_mode_is_refused():
    with pytest.raises(ValueError, match="--cluster 'yarn': expected 'flags' or 'tf-config'"):
        capture.cluster_task([], "yarn")
