"""What makes a captured TF1 program distributed, read from its live graph before the capture
clears the devices: where its variables live (`tf.device("/job:ps/task:0")`,
`tf.train.replica_device_setter`) and a `tf.train.SyncReplicasOptimizer` (its wrapped
optimizer, replicas_to_aggregate, total_num_replicas).

Neither is part of the model: the capture saves the graph with devices cleared, and the
SyncReplicasOptimizer's accumulators, token queue and local step are no variables of any layer
(weights.py leaves them out as optimizer state), so the model and its weights come out as the
single-process program's. port.json records what was read here (`distribution`), and port
writes `train_distributed.py` (distributed_codegen) for the Keras side's strategy.
"""

import re

import numpy as np

from tf1_to_keras.porting import optimizer_reading, training_run

_JOB = re.compile(r"/job:([^/]+)(?:/replica:\d+)?(?:/task:(\d+))?")
_ACCUMULATORS = ("ConditionalAccumulator", "ResourceConditionalAccumulator",
                 "SparseConditionalAccumulator")


def read(graph):
    """{"placement": ..., "sync_replicas": ...} of a graph with devices, or None when the
    program placed nothing on a job and has no SyncReplicasOptimizer."""
    placement = variable_placement(graph)
    sync = sync_replicas(graph)
    if placement is None and sync is None:
        return None
    return {"placement": placement, "sync_replicas": sync}


def variable_placement(graph):
    """{"jobs": {job: tasks}, "variables": {variable: device}, "compute_device": the training
    ops' device}, or None when no variable has a `/job:` device."""
    variables = {op.name: op.device for op in graph.get_operations()
                 if op.type in ("VariableV2", "VarHandleOp", "Variable") and _JOB.search(op.device)}
    if not variables:
        return None
    jobs = {}
    for device in variables.values():
        job, task = _JOB.search(device).groups()
        jobs.setdefault(job, set()).add(int(task or 0))
    compute = sorted({op.device for op in graph.get_operations()
                      if op.type in ("MatMul", "Conv2D") and op.device})
    return {"jobs": {job: sorted(tasks) for job, tasks in sorted(jobs.items())},
            "variables": dict(sorted(variables.items())), "compute_devices": compute,
            "replica_device_setter": bool(compute) and all("/job:ps" not in d for d in compute)
            and "ps" in jobs}


def sync_replicas(graph):
    """SyncReplicasOptimizer's settings as the graph holds them, or None without one."""
    accumulators = [op for op in graph.get_operations() if op.type in _ACCUMULATORS]
    if not accumulators:
        return None
    takes = [op for op in graph.get_operations() if training_run.AGGREGATE_OP.match(op.type)]
    required = sorted({int(_constant(op.inputs[1])) for op in takes
                       if _constant(op.inputs[1]) is not None})
    wrapped = sorted({optimizer_reading.UPDATE_OPS[_base(op.type)][0] for op in graph.get_operations()
                      if training_run.APPLY_OP.match(op.type)
                      and _base(op.type) in optimizer_reading.UPDATE_OPS
                      and any(training_run.AGGREGATE_OP.match(t.op.type) for t in op.inputs)})
    return {"optimizer": "SyncReplicasOptimizer",
            "wrapped_optimizer": wrapped[0] if len(wrapped) == 1 else wrapped,
            "replicas_to_aggregate": required[0] if len(required) == 1 else required,
            "total_num_replicas": _tokens_per_step(graph),
            "accumulated_variables": sorted(training_run.accumulated_variable(op) for op in accumulators)}


def _tokens_per_step(graph):
    """The chief queue runner's tokens per step: max(total_num_replicas, replicas_to_aggregate),
    all the graph keeps of total_num_replicas (the enqueue that waits for the update)."""
    for op in graph.get_operations():
        if op.type.startswith("QueueEnqueueMany") and _after_update(op):
            fill = op.inputs[1].op
            if fill.type == "Fill":
                dims = _constant(fill.inputs[0])
                if dims is not None:
                    return int(np.asarray(dims).reshape(-1)[0])
    return None


def _after_update(op):
    """True for the enqueue that runs after the aggregated update (get_init_tokens_op's do not)."""
    return any(training_run.APPLY_OP.match(ancestor.type)
               for ancestor in training_run.ancestor_ops([op]).values())


def _base(op_type):
    return op_type.removeprefix("Resource").removeprefix("Sparse")


def _constant(tensor):
    """The value of a Const tensor (through Identity), else None."""
    op = tensor.op
    while op.type == "Identity" and op.inputs:
        op = op.inputs[0].op
    if op.type != "Const":
        return None
    from tensorflow.python.framework import tensor_util  # pylint: disable=import-outside-toplevel
    return tensor_util.MakeNdarray(op.get_attr("value"))
