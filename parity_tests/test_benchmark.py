"""`mnist-parity benchmark`: the FLOP counts behind its GFLOP/s, and the command end to end."""

import json

import pytest

from mnist_parity import benchmarking
from mnist_parity.benchmarking import worker
from test_cli import run_command

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
    assert "side 'gpu'; expected one of ('tf1', 'keras', 'paired')" in str(error.value)


def test_benchmark_writes_medians_ratios_and_memory(tmp_path):
    result = run_command("-m", "mnist_parity.cli", "benchmark", "--models", "softmax_regression",
                         "--repeats", "2", "--rounds", "2", "--pairs", "3", "--steps", "100",
                         "--out", str(tmp_path))
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
    assert entry["goals"] == {"keras_training_at_least_tf1": paired["training_ratio"] >= 1.0}
    table = (tmp_path / "benchmark.md").read_text()
    assert "| softmax_regression | 100 |" in table
    assert f"| {paired['training_ratio']:.2f}x ({min(paired['ratios']):.2f}-" in table


@pytest.mark.parametrize("flag", ["--repeats", "--rounds", "--pairs"])
def test_benchmark_rejects_bad_arguments_before_loading_anything(tmp_path, flag):
    result = run_command("-m", "mnist_parity.cli", "benchmark", flag, "0",
                         "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and f"{flag} 0; expected at least 1" in result.stderr
    assert not (tmp_path / "out").exists()
