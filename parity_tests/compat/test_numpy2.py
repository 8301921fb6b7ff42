"""The NumPy 2 table of docs/COMPATIBILITY.md: each TF1-era call fails on the installed NumPy
exactly as the row says, and the row's replacement runs. The layer does not patch NumPy; this
keeps the table true."""

import os
import re
import warnings

import numpy as np
import pytest

GUIDE = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "COMPATIBILITY.md")
SECTION = "## NumPy 2: TF1-era calls that now fail"
ROW = re.compile(r"^\| `(?P<call>[^`]+)` \| `+(?P<error>.+?)`+ \| `(?P<fix>[^`]+)`")


def guide_rows():
    """(call, error, fix) for each row of the guide's NumPy 2 table."""
    with open(GUIDE, encoding="utf-8") as stream:
        text = stream.read()
    table = text[text.index("|---", text.index(SECTION)):]
    table = table[:table.index("\n\n")]
    return [ROW.match(line).groups() for line in table.splitlines()[1:]]


@pytest.fixture
def names(tmp_path):
    """The values the table's calls refer to."""
    pickled_path = str(tmp_path / "pickled.npy")
    np.save(pickled_path, np.array([{"weights": [1.0]}], dtype=object), allow_pickle=True)
    return {"np": np, "a": np.array([1.0]), "data": b"\x01\x02", "values": [1, 2, 3],
            "pickled_path": pickled_path}


def test_the_table_covers_the_calls_tf1_code_used():
    calls = [call for call, _, _ in guide_rows()]
    assert len(calls) >= 16 and {"np.float", "np.asscalar(a)", "np.load(pickled_path)"} <= set(calls)


@pytest.mark.parametrize("call, error, fix", guide_rows(), ids=[row[0] for row in guide_rows()])
def test_call_fails_as_the_table_says_and_the_fix_runs(call, error, fix, names):
    error_type, message = error.split(": ", 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # np.object / np.str warn, then raise
        with pytest.raises(Exception) as raised:  # noqa: PT011 - the type is checked by name below
            eval(call, dict(names))  # noqa: S307 - the guide's own calls
    assert type(raised.value).__name__ == error_type
    assert str(raised.value).startswith(message.removesuffix("."))
    eval(fix, dict(names))  # noqa: S307
