"""Checkpoint conversion for any model: a TF1 checkpoint to a Keras file, and back, verified.

`convert_model(Models(build_tf1, build_keras, name_map, data), source, destination)`
(`tf1-to-keras convert --tf1 FILE.py:FUNCTION --keras FILE.py:FUNCTION [--name-map FILE]
[--data FILE.npz] SRC DST`) picks the direction from the suffixes:
- TF1 -> Keras: SOURCE a `Saver` checkpoint prefix or an Estimator `model_dir` (its latest
  checkpoint); DESTINATION a `.keras` file or `.weights.h5`.
- Keras -> TF1: SOURCE a `.keras` or `.weights.h5`; DESTINATION a `Saver` checkpoint prefix
  (or an existing directory: `DIR/model.ckpt-0`, as an Estimator's model_dir names it).

Variables map through the harness's name map (and, for Keras -> TF1, each transform's
inverse). Optimizer state, `global_step` and other training state are skipped and reported.
What is written goes to a temporary directory beside DESTINATION, is read back and checked
against the source on the examples within the harness's forward bar (VerificationError
otherwise, DESTINATION left as it was), and only then moved into place with `os.replace`.

The modules, by job: `checkpoint_files` (resolve a checkpoint, training state, prefixes,
moving into place), `file_kinds` (Keras suffixes, the direction), `staging` (a temporary
place beside DESTINATION), `readback_check` (ConversionResult, VerificationError, the
forward-bar check) and `generic` (both directions, `convert_model`). The MNIST kit's
`mnist-parity convert --model KEY` builds on these (mnist_parity/conversion/).
"""

from tf1_to_keras.conversion.file_kinds import direction, is_keras_path
from tf1_to_keras.conversion.generic import Models, convert_model
from tf1_to_keras.conversion.readback_check import ConversionResult, VerificationError

__all__ = ["ConversionResult", "Models", "VerificationError", "convert_model", "direction", "is_keras_path"]
