"""`mnist-parity benchmark`: the FLOP counts behind its GFLOP/s, and the command end to end."""

import json

import pytest

from mnist_parity import benchmarking
from mnist_parity.benchmarking import inference_pairs as benchmark_inference
from mnist_parity.benchmarking import rounds, worker
from command_runs import run_command

# 2 x multiply-adds per example, by hand: Conv2D kh*kw*cin*cout*H_out*W_out, Dense in*out.
EXPECTED_FORWARD_FLOPS = {
    "softmax_regression": 2 * 784 * 10,  # 15,680
    # conv1 5*5*1*32*28*28 + conv2 5*5*32*64*14*14 + fc1 3136*1024 + fc2 1024*10
    "deep_cnn": 2 * (627_200 + 10_035_200 + 3_211_264 + 10_240),  # 27,767,808
    "layers_cnn": 2 * (627_200 + 10_035_200 + 3_211_264 + 10_240),  # the same network
    # conv 5*5*1*6*28*28 + conv 5*5*6*16*10*10 + 400*120 + 120*84 + 84*10
    "lenet5": 2 * (117_600 + 240_000 + 48_000 + 10_080 + 840),  # 833,040
    # c1 3*3*1*16*784 + c2 3*3*16*16*784 + c3 3*3*16*32*196 + c4 3*3*32*32*196 + 1568*128 + 128*10
    "core_convnet": 2 * (112_896 + 1_806_336 + 903_168 + 1_806_336 + 200_704 + 1_280),  # 9,661,440
}


@pytest.mark.parametrize("key", sorted(EXPECTED_FORWARD_FLOPS))
def test_flop_counts_match_the_hand_computed_literals(key):
    flops = benchmarking.model_flops(key)
    assert flops == {"inference": EXPECTED_FORWARD_FLOPS[key], "training": 3 * EXPECTED_FORWARD_FLOPS[key]}


def test_the_worker_runs_as_the_parent_starts_it_and_rejects_an_unknown_side():
    # The parent's own command line (`python -m mnist_parity.benchmarking ...`), failing fast:
    # the side is checked before anything loads.
    with pytest.raises(RuntimeError) as error:
        worker.run_worker("softmax_regression", "gpu", 100, 1, 0)
    assert "benchmark of softmax_regression (gpu) exited 1" in str(error.value)
    assert "side 'gpu'; expected one of ('tf1', 'keras', 'paired', 'inference')" in str(error.value)


def test_benchmark_writes_medians_ratios_and_memory(tmp_path):
    result = run_command("-m", "mnist_parity.cli", "benchmark", "--models", "softmax_regression",
                         "--repeats", "2", "--rounds", "2", "--pairs", "3", "--steps", "100",
                         "--inference-pairs", "3", "--serving-calls", "20", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr[-3000:]
    document = json.loads((tmp_path / "benchmark.json").read_text())
    assert document["gemm"]["gflops"] > 0 and (document["repeats"], document["rounds"]) == (2, 2)
    assert document["keras_fused_optimizer"] is True
    assert document["gemm"]["gflops"] == max(document["gemm"]["gflops_start_and_end"])
    # Rounds alternate which side runs first.
    assert "round 1/2, tf1" in result.stderr.split("round 1/2, keras")[0]
    assert "round 2/2, keras" in result.stderr.split("round 2/2, tf1")[0]
    entry = document["models"]["softmax_regression"]
    for side in ("tf1", "keras"):
        measured = entry["sides"][side]
        assert len(measured["training_samples_per_second"]) == 4  # 2 spans x 2 rounds
        assert [len(spans) for spans in measured["training_per_round"]] == [2, 2]
        assert len(measured["inference_samples_per_second"]) == 4
        assert measured["peak_rss_mb"] >= measured["baseline_rss_mb"] > 0
        assert measured["training_gflops"] == pytest.approx(
            measured["training_median"] * 3 * 15_680 / 1e9)
    ratio = entry["sides"]["keras"]["training_median"] / entry["sides"]["tf1"]["training_median"]
    assert entry["training_ratio"] == pytest.approx(ratio)
    assert len(entry["training_ratio_per_round"]) == 2
    # Paired spans, both sides in one process: a ratio per pair; the goal is their median's.
    paired = entry["paired"]
    assert document["pairs"] == 3 and "3 pairs of 100-step spans" in result.stderr
    assert [len(paired["training_samples_per_second"][side]) for side in ("tf1", "keras")] == [3, 3]
    assert paired["first_sides"] == ["tf1", "keras", "tf1"]
    assert paired["ratios"] == pytest.approx([keras_rate / tf1_rate for tf1_rate, keras_rate in zip(
        paired["training_samples_per_second"]["tf1"], paired["training_samples_per_second"]["keras"])])
    assert paired["training_ratio"] == pytest.approx(sorted(paired["ratios"])[1])
    assert entry["goals"] == {"keras_training_at_least_tf1": paired["training_ratio"] >= 1.0,
                              **inference_goals(entry["inference_paired"])}
    table = (tmp_path / "benchmark.md").read_text()
    assert "| softmax_regression | 100 |" in table
    assert f"| {paired['training_ratio']:.2f}x ({min(paired['ratios']):.2f}-" in table
    check_paired_inference(entry["inference_paired"], pairs=3, calls=20)
    serving = entry["inference_paired"]["serving"]
    assert f"| {serving['ratio']:.2f}x ({min(serving['ratios']):.2f}-" in table


def inference_goals(inference_paired):
    return {"keras_inference_full_at_least_tf1": inference_paired["full"]["ratio"] >= 1.0,
            "keras_inference_serving_at_least_tf1": inference_paired["serving"]["ratio"] >= 1.0,
            "artifact_latency_at_most_tf1": inference_paired["serving"]["artifact_latency_ratio"] <= 1.0}


def check_paired_inference(inference_paired, pairs, calls):
    # Both batch sizes, every path timed in every pair, the order alternating pair by pair,
    # ratios per pair (positive) and the goals on their medians; no timing is asserted.
    full, serving = inference_paired["full"], inference_paired["serving"]
    assert (full["batch_size"], serving["batch_size"], serving["calls"]) == (10_000, 1, calls)
    assert full["orders"] == [["tf1", "keras"], ["keras", "tf1"], ["tf1", "keras"]][:pairs]
    assert serving["orders"][:2] == [["tf1", "keras", "artifact"], ["artifact", "keras", "tf1"]]
    for name in ("samples_per_second", "latency_p50_ms", "latency_p99_ms"):
        assert all(len(serving[name][path]) == pairs and min(serving[name][path]) > 0
                   for path in ("tf1", "keras", "artifact"))
    assert all(serving["latency_p99_ms"][path][index] >= serving["latency_p50_ms"][path][index]
               for path in ("tf1", "keras", "artifact") for index in range(pairs))
    rates = full["samples_per_second"]
    assert full["ratios"] == pytest.approx([keras / tf1 for tf1, keras in zip(rates["tf1"], rates["keras"])])
    assert min(full["ratios"]) > 0 and full["ratio"] == pytest.approx(sorted(full["ratios"])[pairs // 2])
    p50 = serving["latency_p50_ms"]
    assert serving["artifact_to_tf1_latency"] == pytest.approx(
        [artifact / tf1 for tf1, artifact in zip(p50["tf1"], p50["artifact"])])
    assert serving["ratio"] == pytest.approx(sorted(serving["ratios"])[pairs // 2])


@pytest.mark.parametrize("flag, value, minimum", [
    ("--repeats", 0, 1), ("--rounds", 0, 1), ("--pairs", 0, 1), ("--inference-pairs", 0, 1),
    ("--serving-calls", 1, 2)])
def test_benchmark_rejects_bad_arguments_before_loading_anything(tmp_path, flag, value, minimum):
    result = run_command("-m", "mnist_parity.cli", "benchmark", flag, str(value),
                         "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and f"{flag} {value}; expected at least {minimum}" in result.stderr
    assert not (tmp_path / "out").exists()


def test_an_inference_only_document_renders_the_inference_table_alone():
    # Figures made up, as a worker returns them: the summary's ratios, goals and table.
    spans = {"tf1": [100.0, 200.0, 300.0], "keras": [110.0, 180.0, 330.0]}
    serving = {path: [{"samples_per_second": rate, "latency_p50_ms": 1000 / rate,
                       "latency_p99_ms": 2000 / rate} for rate in rates]
               for path, rates in {"tf1": [10.0, 10.0, 10.0], "keras": [9.0, 12.0, 11.0],
                                   "artifact": [8.0, 8.0, 20.0]}.items()}
    measured = {"full": {"orders": [["tf1", "keras"]] * 3, "spans": spans},
                "serving": {"orders": [["tf1", "keras", "artifact"]] * 3, "spans": serving}}
    summary = benchmark_inference.summarize_pairs(measured, 10_000, 300)
    assert summary["full"]["ratios"] == pytest.approx([1.1, 0.9, 1.1])
    assert summary["serving"]["ratio"] == pytest.approx(1.1)
    assert summary["serving"]["artifact_latency_ratio"] == pytest.approx(1.25)  # 8 vs 10 calls/s
    entry = rounds.model_entry("lenet5", None, summary, peak_gflops=100.0)
    assert entry["goals"] == {"keras_inference_full_at_least_tf1": True,
                              "keras_inference_serving_at_least_tf1": True,
                              "artifact_latency_at_most_tf1": False}
    document = {"inference_only": True, "inference_pairs": 3, "serving_calls": 300,
                "keras_steps_per_execution": 100, "environment": {"cpu": "CPU", "usable_cpus": 2},
                "gemm": {"size": 2048, "gflops": 100.0}, "models": {"lenet5": entry}}
    text = benchmarking.markdown(document, "mnist-parity benchmark --inference-only")
    assert "train samples/s" not in text and "medians of the inference pairs below, no training;" in text
    assert "| lenet5 | 200 / 180 | 1.10x (0.90-1.10) | 10 / 11 / 8 | 100.000 / 90.909 / 125.000 |" in text
    assert "lenet5 artifact_latency_at_most_tf1: MISSED" in text
