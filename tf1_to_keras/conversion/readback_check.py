"""A conversion's read-back check: what was written, read back, must give the source's outputs
on the same examples within the harness's forward bar (closeness.forward_compare, the table's
FORWARD_* values as they are at call time); else VerificationError and nothing is put in place."""

import dataclasses

from tf1_to_keras.harness import closeness


class VerificationError(Exception):
    """The converted model's outputs differ from the source's by more than the forward bar.

    Not a ValueError: the input was fine, the result was not (the CLI exits 1, not 2).
    """

    def __init__(self, message, result):
        super().__init__(message)
        self.result = result


@dataclasses.dataclass
class ConversionResult:
    """One conversion: what went where, what was left out, and the read-back comparison."""

    key: str
    source: str
    destination: str
    mapped: list  # (TF1 variable name, Keras weight "layer/name", shape)
    skipped: list
    comparison: closeness.Comparison  # the written model's outputs against the source's
    images: int
    inputs: str = "test images"  # what `images` counts: a model given by key runs MNIST test images

    @property
    def max_difference(self):
        return self.comparison.max_abs_diff

    @property
    def passed(self):
        return self.comparison.passed  # NaN or inf outputs fail too


def compare_outputs(actual, expected):
    """The written model's outputs (`actual`) against the source's, under the forward bar."""
    return closeness.forward_compare(actual, expected, name="read-back outputs")


def require_verified(result):
    """Raises VerificationError unless the result's outputs agree within the forward bar."""
    if not result.passed:
        bar = result.comparison
        raise VerificationError(
            f"{result.destination} not written: max logit difference {result.max_difference:.3e} on "
            f"{result.images} {result.inputs} exceeds {bar.atol:g} + {bar.rtol:g}*|expected| + "
            f"{bar.magnitude_rtol:.3g}*max|expected| ({bar.message})", result)
