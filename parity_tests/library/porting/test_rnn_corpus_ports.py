"""The RNN programs of the port-survey corpus (programs/corpus/, unmodified) port end to end:
exit 0, the forward check within the tolerance table's bar and the training-step check passing,
with the Keras layers a person would write for them (slow: a capture and a port each)."""

import json
import os

import pytest

from mnist_core import exit_codes

from . import conftest
from .port_runs import port

CORPUS = os.path.join(conftest.PORTING_PROGRAMS, "corpus")
PROGRAMS = {  # program: what its model.py must hold
    "rnn_static_bidirectional": ("keras.layers.Bidirectional(", "keras.layers.LSTM(", "keras.layers.Cropping1D("),
    "rnn_bidirectional_dynamic": ("keras.layers.Bidirectional(", "keras.layers.GRU("),
    "rnn_dynamic_lstm_transpose": ("keras.layers.LSTM(32, name=",),
    "rnn_multi_cell_dropout": ("return_sequences=True", "keras.layers.Dropout(0.2"),
    "rnn_basic_cell_sine": ('activation="relu"', "return_sequences=True"),
    "embedding_lstm_sentiment": ("tf1_optimizers.AdamTF1(", "keras.layers.Embedding("),
    "rnn_sequence_length": ("class SequenceLengthMask(keras.layers.Layer):", 'dtype="int32"'),
}


@pytest.mark.slow  # a capture and a port each (~40-90 s on a busy machine)
@pytest.mark.parametrize("name", list(PROGRAMS))
def test_corpus_rnn_program_ports(name, tmp_path):
    program, data = os.path.join(CORPUS, name + ".py"), os.path.join(CORPUS, name + ".npz")
    options = ["--data", data] if os.path.isfile(data) else []
    status, stdout, stderr = port(program, "--out", tmp_path / "out", *options)
    document = json.loads((tmp_path / "out" / "port.json").read_text())
    assert status == exit_codes.OK and document["passed"], stdout + stderr
    assert document["forward_max_abs_diff"] <= 1e-5 and document["training_steps"]["passed"]
    source = (tmp_path / "out" / "model.py").read_text()
    assert "Lambda" not in source
    for expected in PROGRAMS[name]:
        assert expected in source, expected
