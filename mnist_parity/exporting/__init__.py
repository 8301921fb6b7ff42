"""Serving artifacts of the kit's models: the library's export (tf1_to_keras.exporting: a
`.keras` model as a verified SavedModel, staged, checked in a fresh process without the kit,
renamed), and `export_tf1(KEY, CHECKPOINT, DIR)` (`mnist-parity export --model KEY`), the
legacy graph of one of the kit's programs with a checkpoint's weights, exported the same way
(tf1_checkpoint_export).
"""

from mnist_parity.exporting.tf1_checkpoint_export import export_tf1
from tf1_to_keras.exporting import (ENDPOINT_NAME, INPUT_NAME, OUTPUT_NAME, SIGNATURE_NAME, VERIFY_IMAGES,
                                    ExportResult, ExportVerificationError, artifacts, check_destination,
                                    export_keras, exports, serving_function)

__all__ = ["ENDPOINT_NAME", "INPUT_NAME", "OUTPUT_NAME", "SIGNATURE_NAME", "VERIFY_IMAGES",
           "ExportResult", "ExportVerificationError", "artifacts", "check_destination", "export_keras",
           "export_tf1", "exports", "serving_function"]
