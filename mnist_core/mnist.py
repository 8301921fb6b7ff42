"""The one MNIST loader both sides use.

The kit bundles canonical MNIST (`mnist_core/data/mnist.npz`) because no
machine it runs on may download data. Every array, whether it comes from the
bundled file, another `.npz`, or the four IDX `.gz` files of a TF1 `train_dir`,
is checked against the SHA-256 of the canonical array before it is used, so a
truncated or altered file is an error that names the file, never a silent
fallback.
"""

import functools
import gzip
import hashlib
import importlib.resources
import os
import zipfile

import numpy as np

ARRAY_NAMES = ("x_train", "y_train", "x_test", "y_test")

# SHA-256 of each array's raw bytes, from shared/data/README.md (container-independent).
EXPECTED_SHA256 = {
    "x_train": "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757",
    "y_train": "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13",
    "x_test": "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
    "y_test": "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
}
# SHA-256 of the bundled `.npz` file itself (shared/data/README.md), checked on first load.
BUNDLED_FILE_SHA256 = "06af5dfe73b70e3bc1c36439982b18a8d76803db9b544f6fdf838a37fbb01b64"
EXPECTED_SHAPES = {
    "x_train": (60000, 28, 28),
    "y_train": (60000,),
    "x_test": (10000, 28, 28),
    "y_test": (10000,),
}

# The TF1 file names in a `train_dir`, and which array each holds.
IDX_FILES = {
    "x_train": "train-images-idx3-ubyte.gz",
    "y_train": "train-labels-idx1-ubyte.gz",
    "x_test": "t10k-images-idx3-ubyte.gz",
    "y_test": "t10k-labels-idx1-ubyte.gz",
}
IMAGE_MAGIC = 2051
LABEL_MAGIC = 2049


class DataError(ValueError):
    """A data file is missing, unreadable, or not canonical MNIST."""


def bundled_path():
    """Path of the MNIST `.npz` shipped inside the package."""
    return str(importlib.resources.files("mnist_core") / "data" / "mnist.npz")


def array_sha256(array):
    """SHA-256 of an array's raw bytes, as shared/data/README.md defines it."""
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()


def verify_array(name, array, source):
    """Raises DataError unless `array` is the canonical MNIST array `name`."""
    expected_shape = EXPECTED_SHAPES[name]
    if array.dtype != np.uint8 or array.shape != expected_shape:
        raise DataError(
            f"{source}: array '{name}' has shape {array.shape} and dtype {array.dtype}; "
            f"expected shape {expected_shape} and dtype uint8"
        )
    digest = array_sha256(array)
    if digest != EXPECTED_SHA256[name]:
        raise DataError(
            f"{source}: array '{name}' has SHA-256 {digest}; expected "
            f"{EXPECTED_SHA256[name]} (the file is altered or not canonical MNIST)"
        )


def load_npz(path):
    """Reads and verifies the four arrays of an MNIST `.npz` (no pickles allowed)."""
    if not os.path.isfile(path):
        raise DataError(f"{path}: MNIST file not found")
    try:
        with np.load(path, allow_pickle=False) as archive:
            missing = [name for name in ARRAY_NAMES if name not in archive.files]
            if missing:
                raise DataError(
                    f"{path}: missing array(s) {missing}; expected keys {list(ARRAY_NAMES)}"
                )
            arrays = {name: archive[name] for name in ARRAY_NAMES}
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        if isinstance(error, DataError):
            raise
        raise DataError(
            f"{path}: cannot read MNIST archive ({error}); expected a zip of four uint8 "
            f"arrays whose SHA-256 are {EXPECTED_SHA256}"
        ) from error
    for name in ARRAY_NAMES:
        verify_array(name, arrays[name], path)
    return arrays


def _read_uint32(stream):
    return int(np.frombuffer(stream.read(4), dtype=">u4")[0])


def read_idx(path, expected_magic):
    """Reads one gzipped IDX file: images (magic 2051) as [N, rows, cols], labels (2049) as [N]."""
    try:
        with gzip.open(path, "rb") as stream:
            magic = _read_uint32(stream)
            if magic != expected_magic:
                raise DataError(f"{path}: invalid magic number {magic}; expected {expected_magic}")
            count = _read_uint32(stream)
            shape = (count,)
            if expected_magic == IMAGE_MAGIC:
                shape = (count, _read_uint32(stream), _read_uint32(stream))
            payload = stream.read()
    except (OSError, EOFError, IndexError) as error:
        raise DataError(f"{path}: cannot read IDX file ({error})") from error
    expected_bytes = int(np.prod(shape))
    if len(payload) != expected_bytes:
        raise DataError(
            f"{path}: header announces shape {shape} ({expected_bytes} bytes) "
            f"but the file holds {len(payload)} bytes"
        )
    return np.frombuffer(payload, dtype=np.uint8).reshape(shape)


def has_idx_files(directory):
    """True when all four TF1 IDX files are present in `directory`."""
    return directory is not None and all(
        os.path.isfile(os.path.join(directory, name)) for name in IDX_FILES.values()
    )


def load_idx_directory(directory):
    """Reads and verifies the four IDX `.gz` files of a TF1 `train_dir`."""
    arrays = {}
    for name, file_name in IDX_FILES.items():
        path = os.path.join(directory, file_name)
        if not os.path.isfile(path):
            raise DataError(f"{path}: IDX file not found")
        magic = IMAGE_MAGIC if name.startswith("x_") else LABEL_MAGIC
        arrays[name] = read_idx(path, magic)
        verify_array(name, arrays[name], path)
    return arrays


def load_arrays(directory=None, path=None):
    """The four verified uint8 arrays as a dict.

    Source, in order: `path` (an `.npz`), the IDX files in `directory` when all
    four are there, otherwise the bundled copy.
    """
    if path is not None:
        return load_npz(path)
    if has_idx_files(directory):
        return load_idx_directory(directory)
    return dict(_load_bundled())


def file_sha256(path):
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def _load_bundled():
    # Verified once per process; read-only so no caller can alter the shared copy.
    path = bundled_path()
    if os.path.isfile(path) and file_sha256(path) != BUNDLED_FILE_SHA256:
        raise DataError(f"{path}: SHA-256 {file_sha256(path)}; expected {BUNDLED_FILE_SHA256} "
                        "(the kit's bundled MNIST is altered; reinstall the kit)")
    arrays = load_npz(path)
    for array in arrays.values():
        array.setflags(write=False)
    return arrays


def load_data(path=None):
    """Keras-style `((x_train, y_train), (x_test, y_test))`, four uint8 arrays."""
    arrays = load_arrays(path=path)
    # Keras' load_data hands out arrays the caller may modify.
    arrays = {name: np.array(array) for name, array in arrays.items()}
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def write_idx_directory(arrays, directory):
    """Writes the four arrays as TF1's IDX `.gz` files (for tests and offline train_dirs)."""
    os.makedirs(directory, exist_ok=True)
    for name, file_name in IDX_FILES.items():
        array = np.ascontiguousarray(arrays[name], dtype=np.uint8)
        magic = IMAGE_MAGIC if name.startswith("x_") else LABEL_MAGIC
        header = np.array([magic, *array.shape], dtype=">u4").tobytes()
        # Fast compression: these files are test fixtures and offline copies, not archives.
        with gzip.open(os.path.join(directory, file_name), "wb", compresslevel=1) as stream:
            stream.write(header + array.tobytes())
