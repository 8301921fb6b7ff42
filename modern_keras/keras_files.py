"""Loading `.keras` files safely: the kit's one loader.

Keras's safe mode refuses to deserialize Python code stored in the file (a Lambda
layer's bytecode), which would otherwise run on load; the kit's own registered
classes (the fused optimizers, StepLoss) are imported first so its files load.
"""

import os
import zipfile

import keras

from modern_keras import training  # noqa: F401 - registers the kit's StepLoss and optimizers


def load_keras_model(path, compile=True):
    """`keras.models.load_model(path, safe_mode=True)`, with errors naming the file.

    Safe mode refuses to deserialize Python code stored in the file (a Lambda
    layer's bytecode), which would otherwise run on load. ValueError when the
    file is missing, not a `.keras` archive, or unsafe.
    """
    path = os.fspath(path)
    if not path.endswith(".keras"):
        raise ValueError(f"{path}: expected a Keras 3 model file ending in '.keras'")
    if not os.path.isfile(path):
        raise ValueError(f"{path}: Keras model file not found")
    try:
        return keras.models.load_model(path, compile=compile, safe_mode=True)
    except (ValueError, TypeError, OSError, KeyError, zipfile.BadZipFile) as error:
        raise ValueError(f"{path}: cannot load Keras model safely ({error})") from error
