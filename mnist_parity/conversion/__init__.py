"""Checkpoint conversion: a TF1 checkpoint to its Keras twin's file, and back.

`convert(key, source, destination)` picks the direction from the suffixes:
- TF1 -> Keras: SOURCE a `Saver` checkpoint prefix or an Estimator `model_dir`
  (its latest checkpoint); DESTINATION a `.keras` file or `.weights.h5`.
- Keras -> TF1: SOURCE a `.keras` or `.weights.h5` of the twin; DESTINATION a
  `Saver` checkpoint prefix (or an existing directory: `DIR/model.ckpt-0`, as an
  Estimator's model_dir names it).

Variables map by name: each legacy graph's variables, by their TF1 names, are
the Keras layers' weights in order (kernel, bias). Optimizer state (Adam's m and
v, beta powers, Momentum and other slots; a compiled `.keras`'s optimizer
variables), `global_step` and `OptimizeLoss/...` are not model weights: they are
skipped and reported. Anything else that does not fit (a missing, extra or
shape-mismatched variable) fails with the full list.

What is written is verified before it is put in place: it is read back, and the
TF1 graph and the Keras model run on 1,000 real test images; a max logit difference
above tolerances.FORWARD_ATOL fails (VerificationError) and DESTINATION is left as it
was. Writes go to a temporary directory next to DESTINATION, then `os.replace`.

`convert_model(Models(build_tf1, build_keras, name_map, data), source, destination)` does
the same for any model (`generic`): a team's TF1 builder and Keras function instead of a
key, the harness's name map (and, for Keras -> TF1, each transform's inverse) instead of
layer names, its own examples (an .npz's x) instead of the test images where needed.

The modules, by job: `checkpoint_io` (TF1 checkpoints: resolve, read, write, move),
`keras_io` (`.keras` / `.weights.h5`: read, load into the twin, write), `staging`
(a temporary place beside DESTINATION), `verification` (images, logits on both
sides, the tolerance check), `directions` (the two directions and `convert`) and
`generic` (both directions for any model, and `convert_model`).
"""

from mnist_parity.conversion.directions import convert
from mnist_parity.conversion.generic import Models, convert_model
from mnist_parity.conversion.keras_io import is_keras_path
from mnist_parity.conversion.verification import ConversionResult, VerificationError

__all__ = ["ConversionResult", "Models", "VerificationError", "convert", "convert_model", "is_keras_path"]
