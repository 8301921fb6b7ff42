"""Serving artifacts: a Keras model as a SavedModel that loads with `tf.saved_model.load`
without the kit, verified before it is put in place.

`export_keras(MODEL.keras, DIR)` (`tf1-to-keras export MODEL.keras DIR [--data FILE.npz]`)
writes the signature SIGNATURE_NAME, taking INPUT_NAME (float32 examples, the model's input
shape with a free batch dimension) and returning OUTPUT_NAME (the model's float32 outputs).
What is written goes to a staging directory beside DIR, is loaded in a fresh Python process
that imports nothing of the kit (`python -I`; the process reports which modules it loaded,
and any of the kit's fails the export), and its outputs on VERIFY_IMAGES examples (by default
the MNIST test images) must equal the source model's within the harness's forward bar
(closeness.forward_compare); only then is it renamed to DIR. The artifact also has
ENDPOINT_NAME (examples positional, the outputs tensor out), which `serving_function` wraps
as a Python server should call it; the fresh process verifies that call too.

The modules, by job: `artifacts` (writing a Keras or a TF1 graph's SavedModel; the
benchmark writes the Keras one too), `fresh_process` (the loader run in a fresh process)
and `exports` (the checks, staging, verification and rename; ExportResult). The MNIST kit's
`mnist-parity export --model KEY` (a TF1 checkpoint of its programs) builds on these
(mnist_parity/exporting/).
"""

from tf1_to_keras.exporting import artifacts, exports
from tf1_to_keras.exporting.artifacts import (ENDPOINT_NAME, INPUT_NAME, OUTPUT_NAME, SIGNATURE_NAME,
                                              serving_function)
from tf1_to_keras.exporting.exports import (VERIFY_IMAGES, ExportResult, ExportVerificationError,
                                            check_destination, export_keras)

__all__ = ["ENDPOINT_NAME", "INPUT_NAME", "OUTPUT_NAME", "SIGNATURE_NAME", "VERIFY_IMAGES", "ExportResult",
           "ExportVerificationError", "artifacts", "check_destination", "export_keras", "exports",
           "serving_function"]
