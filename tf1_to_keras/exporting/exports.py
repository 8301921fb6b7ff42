"""`export_keras` (and, for the MNIST kit's `export_tf1`, `stage_verify_place`): check DIR,
write the artifact to a staging directory beside it, verify it in a fresh process against
the source model within the harness's forward bar (closeness.forward_compare), and only then
rename it to DIR. Nothing is left at DIR unless the export verified."""

import dataclasses
import math
import os

import numpy as np

from mnist_core import mnist
from tf1_to_keras import example_data
from tf1_to_keras.conversion import staging
from tf1_to_keras.exporting import artifacts, fresh_process
from tf1_to_keras.harness import closeness, tolerances

VERIFY_IMAGES = tolerances.FORWARD_IMAGES  # examples the artifact is checked on


class ExportVerificationError(Exception):
    """The artifact's outputs differ from the model's, or loading it pulled in the kit.

    Not a ValueError: the input was fine, the result was not (the CLI exits 1, not 2)."""

    def __init__(self, message, result):
        super().__init__(message)
        self.result = result


@dataclasses.dataclass
class ExportResult:
    """One export: what went where, the signature, and what the fresh process found."""

    side: str  # "keras" or "tf1"
    source: str
    destination: str
    input_shape: tuple  # one example's; the signature's batch dimension is free
    max_difference: float  # over every call verified (NaN: not verified yet)
    images: int
    kit_modules: list  # the kit's modules the fresh process had loaded: none, to pass
    calls: list = dataclasses.field(default_factory=list)  # the signature, the endpoint
    comparisons: list = dataclasses.field(default_factory=list)  # closeness.Comparison per call

    @property
    def passed(self):
        return (not self.kit_modules and not math.isnan(self.max_difference)
                and all(comparison.passed for comparison in self.comparisons))


def check_destination(destination):
    """ValueError unless `destination` is new or an empty directory; OSError unless its
    parent directory exists and is writable."""
    if os.path.exists(destination) and (not os.path.isdir(destination) or os.listdir(destination)):
        raise ValueError(f"{destination}: exists and is not an empty directory; expected a new "
                         "directory for the SavedModel (nothing is overwritten)")
    parent = os.path.dirname(os.path.abspath(destination))
    if not os.path.isdir(parent):
        raise OSError(f"cannot write {destination}: directory {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise OSError(f"cannot write {destination}: directory {parent} is not writable")


def verification_images(input_shape, count=VERIFY_IMAGES, data=None):
    """The first `count` examples the artifact is checked on: x of the .npz `data`, or by
    default the MNIST test images as float32 in [0, 1], shaped `input_shape`."""
    if data is not None:
        return np.asarray(example_data.load_npz(data)[0][:count], dtype=np.float32)
    input_shape = tuple(int(size) for size in input_shape)
    if int(np.prod(input_shape)) != 28 * 28:
        raise ValueError(f"model input shape {input_shape}: export verifies on MNIST images; "
                         "expected 784 values per example, e.g. (784,) or (28, 28, 1), or "
                         "give your own examples (--data FILE.npz)")
    test_images = mnist.load_arrays()["x_test"][:count]
    return (test_images.astype(np.float32) * np.float32(1.0 / 255.0)).reshape((-1, *input_shape))


def _compare_calls(result, outputs, expected):
    """Each call's outputs against the source model's under the forward bar, into `result`."""
    result.calls = list(outputs)
    result.comparisons = [closeness.forward_compare(values, expected, name=f"exported {call}")
                          for call, values in outputs.items()]
    # np.max, not max: a NaN difference must fail whichever call it comes from.
    result.max_difference = float(np.max([comparison.max_abs_diff for comparison in result.comparisons]))


def _load_in_fresh_process(result, staged, images):
    """fresh_process.artifact_outputs of the staged artifact (the Keras one's endpoint
    too); a load that fails is an ExportVerificationError (the artifact is wrong, not the
    input)."""
    endpoint = artifacts.ENDPOINT_NAME if result.side == "keras" else ""
    try:
        return fresh_process.artifact_outputs(staged, artifacts.SIGNATURE_NAME, artifacts.INPUT_NAME,
                                              artifacts.OUTPUT_NAME, images, endpoint)
    except RuntimeError as error:
        raise ExportVerificationError(f"{error}\n{result.destination} was not written", result) from error


def stage_verify_place(result, write, expected, images):
    """Writes through `write(staged_directory)`, verifies, renames to result.destination."""
    destination = result.destination
    with staging.staging_directory(destination) as stage:
        staged = os.path.join(stage, "saved_model")
        write(staged)
        outputs, report = _load_in_fresh_process(result, staged, images)
        _compare_calls(result, outputs, expected)
        result.kit_modules = report["kit_modules"]
        if (report["inputs"], report["outputs"]) != ([artifacts.INPUT_NAME], [artifacts.OUTPUT_NAME]):
            raise ExportVerificationError(
                f"the artifact's {artifacts.SIGNATURE_NAME} takes {report['inputs']} and returns "
                f"{report['outputs']}; expected [{artifacts.INPUT_NAME!r}] and "
                f"[{artifacts.OUTPUT_NAME!r}]; {destination} was not written", result)
        if not result.passed:
            raise ExportVerificationError(
                f"the artifact's {artifacts.OUTPUT_NAME} ({', '.join(result.calls)}) differ from the "
                f"{result.side} model's by "
                f"{result.max_difference:.3e} (tolerance {closeness.forward_bar_text()}) on {len(images):,} test "
                f"images, kit modules loaded: {result.kit_modules or 'none'}; "
                f"{destination} was not written", result)
        if os.path.isdir(destination):  # empty: check_destination
            os.rmdir(destination)
        os.replace(staged, destination)
    return result


def export_keras(model_path, destination, data=None):
    """A `.keras` model file as a verified SavedModel in `destination`; ExportResult.

    Verified on the examples of `data` (an .npz's x), by default the MNIST test images.
    ValueError for a file that is not a loadable `.keras` model; ExportVerificationError
    when the artifact's outputs differ from the model's."""
    from modern_keras import inference, keras_files

    check_destination(destination)
    model = keras_files.load_keras_model(model_path, compile=False)
    images = verification_images(model.input_shape[1:], data=data)
    result = ExportResult("keras", model_path, destination, tuple(model.input_shape[1:]),
                          float("nan"), len(images), [])
    return stage_verify_place(result, lambda staged: artifacts.write_keras_artifact(model, staged),
                               inference.logits(model, images), images)  # predict_logits' call, any inputs
