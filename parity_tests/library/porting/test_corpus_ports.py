"""Corpus programs (programs/corpus/) that port since issue 21's non-RNN work, each through the
command as the survey runs it (its NAME.npz as --data when there is one), with what each port
must show; and the one that still cannot, refused naming the op no Keras layer stands for.
`slow`: a capture and a verification each (20-90 s on 2 cores)."""

import json
import os

import pytest

from . import conftest
from .test_tutorial_ports import port

CORPUS = os.path.join(conftest.PORTING_PROGRAMS, "corpus")
# name: (Keras classes in order, training steps checked and passed, what port.json's examples are)
PORTED = {
    "mlp_batch_norm_layers": (["Dense", "BatchNormalization", "ReLU"] * 2 + ["Dense"], True, "MNIST test images"),
    "embedding_mean_bag": (["Embedding", "GlobalAveragePooling1D", "Dense"], True, "--data"),
    "tf_data_one_shot_iterator": (["Dense", "Dense"], True, "captured feed"),
    "linreg_csv_decode_csv": (["Dense"], True, "captured feed"),
    "canned_dnn_classifier": (["Reshape"] + ["Dense"] * 4, True, "--data"),
    "word2vec_nce_skipgram": (["Embedding"], False, "--data"),
    "linreg_pow_sum_2n": (["ElementwiseAffine"], True, "captured feed"),  # one number per example
    "assign_manual_gradient": (["ElementwiseAffine"], False, "captured feed"),  # no optimizer
}
REFUSED = {  # the decoder's kernel is tf.transpose of the encoder's (tied weights): no Keras layer
    "autoencoder_denoising_noise": (1, "unrecognised op: MatMul MatMul_1"),
}


def _port(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # what a program writes (a CSV, an Estimator's model_dir) stays here
    data = os.path.join(CORPUS, name + ".npz")
    arguments = ["--data", data] if os.path.isfile(data) else []
    status, stdout, stderr = port(os.path.join(CORPUS, name + ".py"), "--out", tmp_path / "out", *arguments)
    document = json.loads((tmp_path / "out" / "port.json").read_text()) if (tmp_path / "out").is_dir() else None
    return status, stdout + stderr, document


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(PORTED))
def test_the_corpus_program_ports(name, tmp_path, monkeypatch):
    status, output, document = _port(name, tmp_path, monkeypatch)
    classes, steps_checked, examples = PORTED[name]
    assert status == 0 and document["passed"], output[-3000:]
    assert [layer["keras_class"] for layer in document["layers"]] == classes
    assert document["forward_max_abs_diff"] <= 1e-5 and document["examples"].startswith(examples)
    assert bool(document["training_steps"] and document["training_steps"]["passed"]) is steps_checked


@pytest.mark.slow
def test_word2vec_ports_its_embedding_and_leaves_nce_loss_to_the_user(tmp_path, monkeypatch):
    _, _, document = _port("word2vec_nce_skipgram", tmp_path, monkeypatch)
    assert document["outputs"] == ["embedding_lookup/Identity:0"]
    assert "tf.nn.nce_loss" in document["loss"]["user_must_write"]
    assert {"Variable_1", "Variable_2"} <= set(document["skipped_variables"])  # nce weights, biases


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_the_corpus_program_is_refused_saying_why(name, tmp_path, monkeypatch):
    status, output, _ = _port(name, tmp_path, monkeypatch)
    expected_status, reason = REFUSED[name]
    assert status == expected_status and reason in output, output[-3000:]
