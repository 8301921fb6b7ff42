"""Checkpoint conversion of the kit's programs (`mnist-parity convert --model KEY`): a TF1
checkpoint to its Keras twin's file, and back, on the library's conversion
(tf1_to_keras.conversion: staging, the read-back check, checkpoint files, any model).

`convert(key, source, destination)` picks the direction from the suffixes, as the
library's `convert_model` does. Variables map by name: each legacy graph's variables, by
their TF1 names, are the Keras layers' weights in order (kernel, bias). Optimizer state,
`global_step` and `OptimizeLoss/...` are skipped and reported; anything else that does not
fit (a missing, extra or shape-mismatched variable) fails with the full list. What is
written is read back, and the TF1 graph and the Keras model run on 1,000 real test images
within the harness's forward bar (VerificationError otherwise; DESTINATION left as it was).

The modules, by job: `checkpoint_io` (the legacy graph's checkpoints: read, write),
`keras_io` (the twin's `.keras` / `.weights.h5`: read, load, write), `twin_logits` (the
test images and logits on both sides) and `directions` (the two directions and `convert`).
`Models` and `convert_model` (any model) are the library's, offered here as well.
"""

from mnist_parity.conversion.directions import convert
from tf1_to_keras.conversion import ConversionResult, Models, VerificationError, convert_model, is_keras_path

__all__ = ["ConversionResult", "Models", "VerificationError", "convert", "convert_model", "is_keras_path"]
