"""The layer's "not provided" errors: one class, one wording, and reasons that are true.

Each reason in `_not_provided.KNOWN_GAPS` is checked against TF 2.21 itself (kernels
really absent, the named replacement really there); a reason added without a check
fails `test_every_known_gap_has_a_check`.
"""

import importlib
import re

import pytest
import tensorflow as tf

import legacy_tf1.compat as tf1
from legacy_tf1.compat import _not_provided

RAW_OPS = set(dir(tf.raw_ops))


def kernels_absent(*names):
    return lambda: not RAW_OPS & set(names)


def imports(name):
    return lambda: importlib.import_module(name) is not None


GAP_CHECKS = {
    "tf.contrib.tensor_forest": lambda: not any(op.startswith("TensorForest") for op in RAW_OPS),
    "tf.contrib.ffmpeg": kernels_absent("DecodeAudio", "DecodeAudioV2", "EncodeAudio", "DecodeVideo"),
    "tf.contrib.keras": lambda: imports("keras")() and imports("tf_keras")(),
    "tf.contrib.lite": lambda: hasattr(tf.lite, "TFLiteConverter"),
    "tf.contrib.data": lambda: hasattr(tf.data, "Dataset") and hasattr(tf.data.experimental, "AUTOTUNE"),
    "tf.contrib.distributions": lambda: hasattr(tf.compat.v1.distributions, "Normal"),
}


def test_every_known_gap_has_a_check():
    assert set(GAP_CHECKS) == set(_not_provided.KNOWN_GAPS)


@pytest.mark.parametrize("api", sorted(GAP_CHECKS))
def test_known_gap_reason_holds_on_tf_2_21(api):
    assert GAP_CHECKS[api](), f"{api}: {_not_provided.KNOWN_GAPS[api]!r} is not true on this TensorFlow"


def test_missing_names_raise_one_class_with_the_api_and_the_reason():
    with pytest.raises(AttributeError) as raised:
        tf1.contrib.tensor_forest  # noqa: B018 - the access is the test
    assert _not_provided.is_not_provided(raised.value)
    assert (raised.value.api, raised.value.reason) == (
        "tf.contrib.tensor_forest", _not_provided.KNOWN_GAPS["tf.contrib.tensor_forest"])
    with pytest.raises(AttributeError, match=re.escape(
            "TF 1.x API 'tf.no_such_api' is not provided by legacy_tf1.compat "
            "(neither tf.compat.v1 nor the layer has it)")):
        tf1.no_such_api  # noqa: B018
    with pytest.raises(AttributeError, match=re.escape("'tf.nn.rnn_cell_impl' is not provided")):
        tf1.nn.rnn_cell_impl  # noqa: B018


def test_a_reason_covers_the_apis_below_it():
    assert _not_provided.reason_for("tf.contrib.tensor_forest.python.ops", "default") == (
        _not_provided.KNOWN_GAPS["tf.contrib.tensor_forest"])
    assert _not_provided.reason_for("tf.contrib.unknown", "default") == "default"


def test_hasattr_and_python_lookups_stay_quiet():
    assert not hasattr(tf1.contrib, "tensor_forest")  # an AttributeError, as for any missing name
    with pytest.raises(AttributeError) as raised:
        tf1.contrib.__wrapped__  # noqa: B018 - inspect and copy ask for such names
    assert not _not_provided.is_not_provided(raised.value)
