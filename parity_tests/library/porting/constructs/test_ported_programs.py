"""The new constructs end to end (slow: the default run holds each construct by its in-process
test beside it): TF1 programs in parity_tests/library/porting/programs/ ported by
`tf1-to-keras port` (capture subprocess, recognition, model.py with its own layer class,
weights, verification), exit 0 and forward parity in port.json."""

import json
import os

import numpy as np
import pytest

from mnist_core import exit_codes

from .. import conftest
from ..port_runs import port


def _ported(name, tmp_path, *options):
    out = tmp_path / "out"
    status, stdout, stderr = port(os.path.join(conftest.PORTING_PROGRAMS, name), "--out", out, *options,
                                  "--", "1")
    document = json.loads((out / "port.json").read_text()) if (out / "port.json").exists() else {}
    assert status == exit_codes.OK and document.get("passed"), stdout + stderr
    assert document["forward_max_abs_diff"] <= 1e-5
    return (out / "model.py").read_text()


@pytest.mark.slow  # a capture and a port of its own (~15 s alone, more on a busy machine)
def test_conv_decoder_program_ports_and_verifies(tmp_path):
    source = _ported("constructs_conv_decoder.py", tmp_path)
    for layer in ("keras.layers.LeakyReLU", "ElementwiseAffine(", "keras.layers.Conv2DTranspose",
                  "keras.layers.GlobalAveragePooling2D", "keras.layers.UnitNormalization"):
        assert layer in source, layer
    assert "class ElementwiseAffine(keras.layers.Layer):" in source and "Lambda" not in source


@pytest.mark.slow  # a capture and a port of its own (~15 s alone)
def test_sequence_embedding_program_ports_and_verifies(tmp_path):
    rng = np.random.default_rng(0)
    np.savez(tmp_path / "data.npz", x=rng.integers(0, 50, (64, 6)).astype(np.int32),
             y=rng.integers(0, 3, 64))
    source = _ported("constructs_sequence_embedding.py", tmp_path, "--data", tmp_path / "data.npz")
    for layer in ("keras.layers.Embedding", "keras.layers.Add", "keras.layers.Concatenate",
                  'keras.layers.Activation("selu", name="selu")'):
        assert layer in source, layer
