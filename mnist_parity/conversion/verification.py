"""Verification of a conversion: both sides' logits on the same real test images.

The TF1 graph restored from a checkpoint and the Keras model loaded from a file
run on the first tolerances.FORWARD_IMAGES test images; a max logit difference
above tolerances.FORWARD_ATOL is a VerificationError, and nothing is put in place.
"""

import dataclasses

import legacy_tf1.compat as tf
from legacy_tf1 import session_loop
from mnist_core import recipes, training_data
from tf1_to_keras.harness import tolerances
from mnist_parity.conversion import checkpoint_io
from modern_keras import training


class VerificationError(Exception):
    """The converted model's logits differ from the source's by more than the tolerance.

    Not a ValueError: the input was fine, the result was not (the CLI exits 1, not 2).
    """

    def __init__(self, message, result):
        super().__init__(message)
        self.result = result


@dataclasses.dataclass
class ConversionResult:
    """One conversion: what went where, what was left out, and the verified difference."""

    key: str
    source: str
    destination: str
    mapped: list  # (TF1 variable name, Keras weight "layer/name", shape)
    skipped: list
    max_difference: float
    images: int
    inputs: str = "test images"  # what `images` counts: a model given by key runs MNIST test images

    @property
    def passed(self):
        # `<=` so that NaN logits fail too; read at call time (tests lower the tolerance).
        return self.max_difference <= tolerances.FORWARD_ATOL


def verification_images(key):
    """The first FORWARD_IMAGES real test images, shaped for the model."""
    return training_data.load_training_data(recipes.get_recipe(key)).test_images[:tolerances.FORWARD_IMAGES]


def restored_logits(session, endpoints, checkpoint, images):
    """Logits of a legacy graph (inside checkpoint_io.legacy_session) restored from
    `checkpoint` by a Saver."""
    # Only the model's variables: the checkpoint may hold optimizer state too.
    tf.train.Saver(var_list=checkpoint_io.model_variables(endpoints)).restore(session, checkpoint)
    return session_loop.predict_logits(session, endpoints, images)


def keras_logits(model, images):
    """Logits of a Keras model, with XLA off as for the parity checks (TF1's kernels)."""
    model.jit_compile = False
    return training.predict_logits(model, images)


def require_verified(result):
    """Raises VerificationError unless the result's logits agree within FORWARD_ATOL."""
    if not result.passed:
        raise VerificationError(
            f"{result.destination} not written: max logit difference {result.max_difference:.3e} on "
            f"{result.images} {result.inputs} exceeds {tolerances.FORWARD_ATOL:g}", result)
