"""The one MNIST loader: canonical arrays, checksum errors, IDX files, TF1 read_data_sets."""

import gzip
import shutil
import subprocess
import sys

import numpy as np
import pytest

from legacy_tf1.compat.examples.tutorials.mnist import input_data
from mnist_core import batches, mnist

# From shared/data/README.md, typed in by hand.
FIRST_TRAIN_LABELS = [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
FIRST_TEST_LABELS = [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
TRAIN_LABEL_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
BUNDLED_FILE_SHA256 = "06af5dfe73b70e3bc1c36439982b18a8d76803db9b544f6fdf838a37fbb01b64"


def test_bundled_copy_is_canonical_mnist():
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    assert (x_train.shape, x_test.shape) == ((60000, 28, 28), (10000, 28, 28))
    assert x_train.dtype == y_train.dtype == np.uint8
    assert y_train[:10].tolist() == FIRST_TRAIN_LABELS
    assert y_test[:10].tolist() == FIRST_TEST_LABELS
    assert np.bincount(y_train).tolist() == TRAIN_LABEL_COUNTS
    scaled = x_train / 255.0
    assert round(scaled.mean(), 4) == 0.1307 and round(scaled.std(), 4) == 0.3081


def test_bundled_file_has_the_readme_checksum_and_an_altered_copy_is_refused(tmp_path, monkeypatch):
    assert mnist.file_sha256(mnist.bundled_path()) == BUNDLED_FILE_SHA256 == mnist.BUNDLED_FILE_SHA256
    altered = tmp_path / "mnist.npz"
    altered.write_bytes(open(mnist.bundled_path(), "rb").read() + b"appended")
    monkeypatch.setattr(mnist, "bundled_path", lambda: str(altered))
    mnist._load_bundled.cache_clear()  # pylint: disable=protected-access
    try:
        with pytest.raises(mnist.DataError, match=f"mnist.npz: SHA-256 [0-9a-f]{{64}}; expected {BUNDLED_FILE_SHA256}"):
            mnist.load_arrays()
    finally:
        mnist._load_bundled.cache_clear()  # pylint: disable=protected-access


def test_load_data_returns_writable_copies():
    (x_train, _), _ = mnist.load_data()
    x_train[0, 0, 0] = 255  # must not alter the verified copy others share
    (again, _), _ = mnist.load_data()
    assert again[0, 0, 0] == 0


def _write_npz(path, **overrides):
    arrays = dict(mnist.load_arrays())
    arrays.update(overrides)
    np.savez(path, **arrays)


def test_altered_npz_names_file_array_and_expected_checksum(tmp_path):
    (x_train, _), _ = mnist.load_data()
    x_train[123, 14, 14] ^= 1
    path = tmp_path / "altered.npz"
    _write_npz(path, x_train=x_train)
    with pytest.raises(mnist.DataError) as error:
        mnist.load_npz(str(path))
    message = str(error.value)
    assert str(path) in message and "x_train" in message
    assert mnist.EXPECTED_SHA256["x_train"] in message


def test_truncated_npz_is_a_clear_error(tmp_path):
    path = tmp_path / "truncated.npz"
    with open(mnist.bundled_path(), "rb") as source:
        path.write_bytes(source.read()[:100_000])
    with pytest.raises(mnist.DataError, match="truncated.npz"):
        mnist.load_npz(str(path))


def test_missing_array_and_missing_file(tmp_path):
    path = tmp_path / "partial.npz"
    arrays = mnist.load_arrays()
    np.savez(path, x_train=arrays["x_train"], y_train=arrays["y_train"], x_test=arrays["x_test"])
    with pytest.raises(mnist.DataError, match=r"missing array\(s\) \['y_test'\]"):
        mnist.load_npz(str(path))
    with pytest.raises(mnist.DataError, match="not found"):
        mnist.load_npz(str(tmp_path / "absent.npz"))


def test_pickled_arrays_are_refused(tmp_path):
    path = tmp_path / "pickled.npz"
    arrays = dict(mnist.load_arrays())
    arrays["y_test"] = np.array([object()], dtype=object)
    np.savez(path, **arrays)
    with pytest.raises(mnist.DataError, match="pickled.npz"):
        mnist.load_npz(str(path))


@pytest.fixture(scope="module")
def idx_directory(tmp_path_factory):
    directory = tmp_path_factory.mktemp("idx")
    mnist.write_idx_directory(mnist.load_arrays(), str(directory))
    return directory


def test_idx_files_read_back_as_the_canonical_arrays(idx_directory):
    arrays = mnist.load_idx_directory(str(idx_directory))
    for name, array in mnist.load_arrays().items():
        np.testing.assert_array_equal(arrays[name], array)


def _idx_copy_with(idx_directory, directory, array_name, rewrite):
    """A copy of the IDX files with one file's decompressed bytes passed through `rewrite`."""
    shutil.copytree(idx_directory, directory, dirs_exist_ok=True)
    path = directory / mnist.IDX_FILES[array_name]
    with gzip.open(path, "rb") as stream:
        payload = stream.read()
    with gzip.open(path, "wb") as stream:
        stream.write(rewrite(payload))
    return directory


def test_wrong_idx_magic_is_a_value_error(idx_directory, tmp_path):
    bad = _idx_copy_with(idx_directory, tmp_path / "bad", "y_test",
                         lambda payload: np.array([2051], ">u4").tobytes() + payload[4:])
    with pytest.raises(ValueError, match="invalid magic number 2051; expected 2049"):
        input_data.read_data_sets(str(bad))


def test_truncated_idx_file_is_a_clear_error(idx_directory, tmp_path):
    short = _idx_copy_with(idx_directory, tmp_path / "short", "x_test", lambda payload: payload[:-784])
    with pytest.raises(mnist.DataError, match="t10k-images-idx3-ubyte.gz: header announces"):
        mnist.load_idx_directory(str(short))


def test_altered_idx_file_names_file_array_and_expected_checksum(idx_directory, tmp_path):
    # Same length, one label changed: only the checksum can tell. (Labels, not images:
    # recompressing a 47 MB image file would take seconds.)
    def change_one_label(payload):
        altered = bytearray(payload)
        altered[8 + 1234] = (altered[8 + 1234] + 1) % 10  # past the 8-byte label header
        return bytes(altered)
    altered = _idx_copy_with(idx_directory, tmp_path / "altered", "y_test", change_one_label)
    with pytest.raises(mnist.DataError) as error:
        mnist.load_idx_directory(str(altered))
    message = str(error.value)
    assert "t10k-labels-idx1-ubyte.gz: array 'y_test' has SHA-256" in message
    assert mnist.EXPECTED_SHA256["y_test"] in message


def test_cut_or_non_gzip_idx_file_is_a_clear_error(idx_directory, tmp_path):
    # A download cut short (the .gz itself truncated) and a file that is not gzip at all.
    directory = tmp_path / "cut"
    shutil.copytree(idx_directory, directory)
    path = directory / mnist.IDX_FILES["x_test"]
    path.write_bytes(path.read_bytes()[:50_000])
    with pytest.raises(mnist.DataError, match="t10k-images-idx3-ubyte.gz: cannot read IDX file"):
        mnist.load_idx_directory(str(directory))
    path.write_bytes(b"plain text, not gzip")
    with pytest.raises(mnist.DataError,
                       match=r"t10k-images-idx3-ubyte.gz: cannot read IDX file \(Not a gzipped"):
        mnist.load_idx_directory(str(directory))


def test_legacy_program_exits_non_zero_on_damaged_data(idx_directory, tmp_path):
    # The command-level view: a TF1 program given a damaged train_dir stops before training,
    # naming the file and the expected checksum, and leaves the files as they were.
    bad = _idx_copy_with(idx_directory, tmp_path / "bad", "y_train",
                         lambda payload: payload[:8] + bytes([(payload[8] + 1) % 10]) + payload[9:])
    before = {path.name: path.read_bytes() for path in bad.iterdir()}
    result = subprocess.run([sys.executable, "-m", "legacy_tf1.models.softmax_regression",
                             "--data_dir", str(bad), "--steps", "1"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "train-labels-idx1-ubyte.gz: array 'y_train' has SHA-256" in last_line
    assert mnist.EXPECTED_SHA256["y_train"] in last_line
    assert {path.name: path.read_bytes() for path in bad.iterdir()} == before


def test_read_data_sets_splits_like_tf1():
    datasets = input_data.read_data_sets("/nonexistent-dir-uses-bundled-copy", one_hot=True)
    assert [d.num_examples for d in datasets] == [55000, 5000, 10000]
    assert datasets.train.images.shape == (55000, 784) and datasets.train.images.dtype == np.float32
    assert datasets.train.images.max() == 1.0 and datasets.train.labels.shape == (55000, 10)
    # Validation is the FIRST 5,000 training images in file order.
    assert np.argmax(datasets.validation.labels[:10], axis=1).tolist() == FIRST_TRAIN_LABELS
    with pytest.raises(ValueError, match="Validation size should be between 0 and 60000"):
        input_data.read_data_sets(None, validation_size=60001)


def test_read_data_sets_says_where_the_data_came_from(idx_directory, capsys):
    input_data.read_data_sets(str(idx_directory))
    assert capsys.readouterr().out.splitlines() == [
        f"Extracting {idx_directory / name}" for name in (
            "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")]
    input_data.read_data_sets("/tmp/no-mnist-here")
    assert capsys.readouterr().out.splitlines() == [
        f"Extracting MNIST from the kit's bundled copy {mnist.bundled_path()} (SHA-256 "
        f"{BUNDLED_FILE_SHA256}): '/tmp/no-mnist-here' has no MNIST IDX files"]


def test_read_data_sets_options():
    datasets = input_data.read_data_sets(None, dtype="uint8", reshape=False, validation_size=0)
    assert datasets.train.images.shape == (60000, 28, 28, 1)
    assert datasets.train.images.dtype == np.uint8 and datasets.train.labels.ndim == 1
    fake = input_data.read_data_sets(None, fake_data=True, one_hot=True)
    images, labels = fake.train.next_batch(3)
    assert len(images) == 3 and labels[0] == [1] + [0] * 9


def test_next_batch_stitches_the_epoch_tail():
    images = np.arange(10, dtype=np.uint8).reshape(10, 1, 1)
    dataset = input_data.DataSet(images, np.arange(10), dtype="uint8", reshape=False, seed=3)
    seen = [dataset.next_batch(4)[1] for _ in range(2)]
    assert dataset.epochs_completed == 0
    stitched = dataset.next_batch(4)[1]
    assert dataset.epochs_completed == 1
    first_epoch = np.concatenate(seen + [stitched[:2]])
    assert sorted(first_epoch.tolist()) == list(range(10))  # the tail finishes epoch one
    second_epoch = np.concatenate([stitched[2:], dataset.next_batch(4)[1], dataset.next_batch(4)[1]])
    assert sorted(second_epoch.tolist()) == list(range(10))  # the head starts a full new epoch
    assert dataset.epochs_completed == 1


def test_seeded_batches_repeat_and_match_batch_order():
    def draws(seed):
        dataset = input_data.read_data_sets(None, seed=seed).train
        return np.stack([dataset.next_batch(50)[1] for _ in range(1200)])  # > one epoch
    first, again, other = draws(7), draws(7), draws(8)
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)
    order = batches.batch_order(55000, 50, 1200, seed=7)
    train_labels = mnist.load_arrays()["y_train"][5000:]
    np.testing.assert_array_equal(train_labels[order], first)
