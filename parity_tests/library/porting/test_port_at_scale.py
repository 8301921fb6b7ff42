"""Port at scale (issue 22): the stage clock behind port.json's `timings`, recognition's work
growing linearly with the graph (counted, never timed), the forward check in chunks giving
the figures one run gives, and the ladder benchmark's table. The ResNet-50 rung is `slow`."""

import json

import keras
import numpy as np
import pytest
from tensorflow.python.framework import ops as tf_ops

import legacy_tf1.compat as tf
from mnist_parity.benchmarking import port_scale
from tf1_to_keras import harness
from tf1_to_keras.porting import constant_folding, forward_chunks, recognition, stage_timing

FEATURES = 6


# --- the stage clock ----------------------------------------------------------------------------

def test_the_stage_clock_records_each_stage_in_port_order_with_seconds_and_peak():
    clock = stage_timing.StageClock()
    with clock.stage("weights"):
        held = np.ones((256, 1024, 64), np.float32)  # 64 MiB, touched: the peak sees it
    with clock.stage("recognition"):
        sum(range(300_000))  # enough CPU time for the process clock to see
    with clock.stage("weights"):  # a stage entered twice adds up
        pass
    stage_timing.capture_stage(clock, 12.0, {"started": 100.0, "program_started": 107.0,
                                             "training_run": 109.0, "saved": 110.0, "peak_mib": 900.0})
    assert stage_timing.cpu_seconds() > 0
    timings = clock.to_json(graph_ops=1234, params=5678)
    assert list(timings["stages"]) == ["capture", "recognition", "weights"]  # stage_timing.STAGES order
    assert all(entry["seconds"] > 0 and entry["peak_mib"] > 0 for entry in timings["stages"].values())
    assert timings["stages"]["weights"]["peak_mib"] >= held.nbytes / 2 ** 20
    assert timings["stages"]["capture"] == {"seconds": 12.0, "cpu_seconds": 0.0, "peak_mib": 900.0,
                                            "startup_seconds": 7.0, "program_seconds": 2.0, "save_seconds": 1.0,
                                            "exit_seconds": 2.0}
    assert timings["stages"]["recognition"]["cpu_seconds"] > 0
    assert timings["graph_ops"] == 1234 and timings["params"] == 5678
    assert timings["peak_mib"] == max(entry["peak_mib"] for entry in timings["stages"].values())
    text = stage_timing.format_timings(timings)
    assert "1,234 graph ops" in text and "capture" in text and "startup 7.00 s" in text


def test_the_peak_is_reset_per_stage_where_linux_allows_it():
    clock = stage_timing.StageClock()
    with clock.stage("weights"):
        held = np.ones((512, 1024, 64), np.float32)  # 128 MiB
        held[-1] = 2
    del held
    with clock.stage("codegen"):
        pass
    if not clock.peak_resets:
        pytest.skip("this OS does not let a process reset its RSS high-water mark")
    stages = clock.to_json(0, 0)["stages"]
    assert stages["codegen"]["peak_mib"] < stages["weights"]["peak_mib"] - 100


# --- recognition's work grows with the op count -------------------------------------------------

def deep_mlp_graph(depth):
    """A TF1 graph of `depth` tf.layers.dense layers, a loss and an SGD step; (graph, ops)."""
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [None, FEATURES], name="x")
        y = tf.placeholder(tf.int64, [None], name="y")
        net, width = x, FEATURES
        for index in range(depth + 1):  # get_variable + matmul: tf.layers costs seconds per graph
            units = 3 if index == depth else 8
            with tf.variable_scope("logits" if index == depth else f"hidden{index}"):
                kernel = tf.get_variable("kernel", [width, units])
                bias = tf.get_variable("bias", [units], initializer=tf.zeros_initializer())
            net, width = tf.matmul(net, kernel) + bias, units
            net = net if index == depth else tf.nn.relu(net)
        logits = net
        loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
        tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    return graph, len(graph.get_operations())


class GraphWork:
    """Counts the graph elements recognition reads: each op an op list returns, each input and
    consumer an edge read returns (a spy over TF's own accessors, which still run)."""

    def __init__(self, monkeypatch):
        self.count = 0
        self._spy(monkeypatch, tf.Graph, "get_operations", lambda result: len(result))
        self._spy(monkeypatch, tf_ops.SymbolicTensor, "consumers", lambda result: 1 + len(result))
        inputs = tf.Operation.inputs
        monkeypatch.setattr(tf.Operation, "inputs", property(lambda op: self._add(inputs.fget(op))))

    def _add(self, result):
        self.count += 1 + len(result)
        return result

    def _spy(self, monkeypatch, cls, name, weight):
        original = getattr(cls, name)

        def counted(*arguments, **keywords):
            result = original(*arguments, **keywords)
            self.count += weight(result)
            return result
        monkeypatch.setattr(cls, name, counted)


@pytest.fixture(scope="module")
def ladder():
    """{depth: (graph, ops)}: deep MLPs of 4 and 24 layers, the second about 4x the ops."""
    return {depth: deep_mlp_graph(depth) for depth in (4, 24)}


def recognition_work(graph, ops, monkeypatch):
    """(graph elements recognition read, ops in the graph) for a deep MLP graph."""
    depth = len([op for op in graph.get_operations() if op.type == "MatMul"
                 and not op.name.startswith("gradients/")]) - 1
    with monkeypatch.context() as patched:
        work = GraphWork(patched)
        recognised = recognition.recognise(graph)
    assert len([layer for layer in recognised.layers if layer.keras_class == "Dense"]) == depth + 1
    assert recognised.unrecognised_ops == []
    return work.count, ops


def test_recognition_reads_the_graph_a_bounded_number_of_times_per_op(ladder, monkeypatch):
    small_work, small_ops = recognition_work(*ladder[4], monkeypatch)
    large_work, large_ops = recognition_work(*ladder[24], monkeypatch)
    assert large_ops >= 3.5 * small_ops  # the ladder: a graph about four times larger
    small_rate, large_rate = small_work / small_ops, large_work / large_ops
    assert large_rate <= 2 * small_rate, (small_work, small_ops, large_work, large_ops)
    print(f"graph reads per op: {small_rate:.1f} at {small_ops} ops, {large_rate:.1f} at {large_ops} ops")


def test_the_work_count_rejects_a_walk_that_rescans_the_graph_per_op(ladder, monkeypatch):
    """The counter sees a quadratic walk: one op list per op makes the rate grow with the graph."""
    def quadratic(graph):
        for _ in graph.get_operations():
            graph.get_operations()
    rates = []
    for graph, ops in ladder.values():
        with monkeypatch.context() as patched:
            work = GraphWork(patched)
            quadratic(graph)
        rates.append(work.count / ops)
    assert rates[1] > 2 * rates[0]


# --- the forward check in chunks ----------------------------------------------------------------

def build_tapped_mlp():
    x = tf.placeholder(tf.float32, [None, FEATURES], name="x")
    hidden = tf.layers.dense(x, 16, tf.nn.tanh, name="hidden")
    output = tf.layers.dense(hidden, 4, name="output")
    return {"inputs": x, "outputs": output, "layers": {"hidden": hidden, "output": output}}


def keras_mlp(activation="tanh"):
    return keras.Sequential([keras.Input((FEATURES,)), keras.layers.Dense(16, activation, name="hidden"),
                             keras.layers.Dense(4, name="output")], name="mlp")


@pytest.fixture(scope="module")
def tapped_tf1():
    with harness.TF1Model.from_builder(build_tapped_mlp, seed=0) as model:
        yield model


@pytest.fixture(scope="module")
def examples():
    return np.random.RandomState(3).normal(scale=3.0, size=(50, FEATURES)).astype(np.float32)


def test_the_forward_check_in_chunks_gives_the_figures_of_one_run(tapped_tf1, examples, monkeypatch):
    keras_side = harness.KerasModel(keras_mlp, seed=0)
    whole = harness.check_forward(tapped_tf1, keras_side, examples)
    calls = []
    check = harness.check_forward
    monkeypatch.setattr(harness, "check_forward", lambda tf1, side, x, **keywords: calls.append(len(x))
                        or check(tf1, side, x, **keywords))
    chunked = forward_chunks.chunked_forward(tapped_tf1, keras_side, examples, chunk=7)
    assert calls == [7] * 7 + [1]  # 50 examples, 8 chunks
    assert chunked.passed and whole.passed
    assert list(chunked.layers) == list(whole.layers) == ["hidden", "output"]
    for name in whole.layers:
        assert chunked.layers[name].max_abs_diff == whole.layers[name].max_abs_diff
        assert chunked.layers[name].index == whole.layers[name].index  # counted over all 50
    assert chunked.forward_max_abs_diff == whole.forward_max_abs_diff


def test_a_failing_chunk_fails_the_check_and_names_its_examples(tapped_tf1, examples):
    broken = harness.KerasModel(lambda: keras_mlp("relu"), seed=0)
    chunked = forward_chunks.chunked_forward(tapped_tf1, broken, examples, chunk=20)
    assert not chunked.passed
    assert chunked.failures[0].startswith("(examples 0..19 of 50) forward: layer 'hidden' output")


def test_the_chunk_size_follows_the_tapped_numbers_and_whole_batches():
    assert forward_chunks.chunk_size(per_example=1000, batch_size=1, budget=10_000) == 10
    assert forward_chunks.chunk_size(per_example=1000, batch_size=4, budget=10_000) == 8
    assert forward_chunks.chunk_size(per_example=10 ** 9, batch_size=3, budget=10_000) == 3  # one batch at least
    # ResNet-50 at 224x224 taps about 10 M numbers per example: a handful per chunk.
    assert forward_chunks.chunk_size(10_000_000, 1) == 3
    with pytest.raises(ValueError, match="must be positive"):
        forward_chunks.chunk_size(per_example=0, batch_size=1)


def test_the_tapped_numbers_per_example_come_from_the_keras_output_shapes():
    side = harness.KerasModel(keras_mlp, seed=0)
    assert forward_chunks.tap_values_per_example(side, ["hidden", "output"]) == 16 + 4


# --- the ladder benchmark -----------------------------------------------------------------------

def measured_row(name, ops, capture, recognition_seconds):
    stages = {"capture": {"seconds": capture + 10.0, "peak_mib": 800.0, "startup_seconds": 10.0,
                          "program_seconds": capture - 1.0, "save_seconds": 1.0},
              "recognition": {"seconds": recognition_seconds, "peak_mib": 900.0}}
    row = {"program": name, "passed": True, "failures": [],
           "timings": {"graph_ops": ops, "params": ops * 10, "stages": stages,
                       "total_seconds": capture + 10.0 + recognition_seconds}}
    row["per_1k_ops"] = port_scale.per_thousand_ops(row)
    row["seconds_beyond_startup"] = port_scale.beyond_startup(row["timings"])
    return row


def test_the_ladder_table_gives_seconds_per_thousand_ops_and_their_ratio():
    rows = [measured_row("small", 1000, 2.0, 0.5), measured_row("large", 8000, 16.0, 32.0)]
    assert rows[0]["per_1k_ops"] == {"capture": 2.0, "recognition": 0.5}  # capture beyond start-up
    document = {"rows": rows, "linearity": port_scale.linearity(rows), "machine": "test"}
    assert document["linearity"] == {"capture": 1.0, "recognition": 8.0}  # linear / quadratic
    text = port_scale.markdown(document, "mnist-parity benchmark --port")
    assert "| large | 8,000 | 80,000 | yes | 48.0 |" in text
    assert "| largest / smallest |  | 1.00 | 8.00 |" in text
    json.dumps(document)  # the document is what port_benchmark.json holds


def test_an_unknown_ladder_program_is_refused_naming_the_ladder():
    with pytest.raises(ValueError, match="no ladder program 'resnet_152'; the ladder is lenet_slim"):
        port_scale.program_path("resnet_152")


@pytest.mark.slow
def test_the_lenet_rung_ports_and_records_its_timings(tmp_path):
    row = port_scale.port_rung("lenet_slim", str(tmp_path))
    assert row["passed"], row["failures"]
    assert row["timings"]["params"] == 61_706 and row["timings"]["graph_ops"] > 100
    assert set(row["timings"]["stages"]) == set(stage_timing.STAGES)


# --- constants folded without a Session ---------------------------------------------------------

def test_constants_fold_to_the_numbers_a_session_computes():
    graph = tf.Graph()
    with graph.as_default():
        momentum = tf.constant(1.0) - tf.constant(0.997)  # slim's batch norm: 1 - decay
        scale = tf.sqrt(tf.constant(2.0) / tf.cast(tf.constant(147), tf.float32))
        filled = tf.fill(tf.stack([tf.constant(2), tf.constant(3)]), tf.constant(0.1) * tf.constant(3.0))
        shaped = tf.reshape(tf.maximum(-tf.constant([1.0, 4.0]), tf.constant(-2.0)), [2, 1])
        unsupported = tf.exp(tf.constant(1.0))
    tensors = [momentum, scale, filled, shaped]
    with tf.Session(graph=graph) as session:
        expected = session.run(tensors)
    for tensor, value in zip(tensors, expected):
        folded = constant_folding.evaluate(tensor)
        assert folded.dtype == value.dtype and folded.shape == value.shape
        assert np.array_equal(folded, value), tensor.name  # bitwise: float32 like TF's kernels
    with pytest.raises(ValueError, match="of type Exp is not folded"):
        constant_folding.evaluate(unsupported)
