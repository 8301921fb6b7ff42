"""Serving artifacts: a Keras model, or a TF1 graph and checkpoint, as a SavedModel that
loads with `tf.saved_model.load` without the kit, verified before it is put in place.

`export_keras(MODEL.keras, DIR)` and `export_tf1(KEY, CHECKPOINT, DIR)` (`mnist-parity
export`) write the signature SIGNATURE_NAME, taking INPUT_NAME (float32 images in [0, 1],
the model's input shape with a free batch dimension) and returning OUTPUT_NAME (float32
logits, N x 10). What is written goes to a staging directory beside DIR, is loaded in a
fresh Python process that imports nothing of the kit (`python -I`; the process reports
which modules it loaded, and any of the kit's fails the export), and its outputs on
VERIFY_IMAGES real test images must equal the source model's within VERIFY_ATOL; only
then is it renamed to DIR. The Keras artifact also has ENDPOINT_NAME (images positional,
the logits tensor out), which `serving_function` wraps as a Python server should call it;
the fresh process verifies that call too.

The modules, by job: `artifacts` (writing the two SavedModels; the benchmark writes the
Keras one too), `fresh_process` (the loader run in a fresh process) and `exports` (the
checks, staging, verification and rename; ExportResult).
"""

from mnist_parity.exporting.artifacts import (ENDPOINT_NAME, INPUT_NAME, OUTPUT_NAME,
                                              SIGNATURE_NAME, serving_function)
from mnist_parity.exporting.exports import (VERIFY_ATOL, VERIFY_IMAGES, ExportResult,
                                            ExportVerificationError, check_destination,
                                            export_keras, export_tf1)

__all__ = ["ENDPOINT_NAME", "INPUT_NAME", "OUTPUT_NAME", "SIGNATURE_NAME", "VERIFY_ATOL", "VERIFY_IMAGES",
           "ExportResult", "ExportVerificationError", "check_destination", "export_keras",
           "export_tf1", "serving_function"]
