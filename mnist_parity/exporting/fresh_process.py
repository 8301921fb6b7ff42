"""An artifact's outputs computed in a fresh Python process that imports nothing of the
kit: `python -I` (no user site, no PYTHON* variables, no script or working directory on
sys.path) running LOADER, which only imports NumPy and TensorFlow. It reports the
modules of the kit it finds loaded (none, unless something pulled them in), and the
caller fails the export if there are any."""

import json
import os
import subprocess
import sys
import tempfile

import numpy as np

KIT_PACKAGES = ("mnist_parity", "legacy_tf1", "modern_keras", "mnist_core")

# argv: artifact directory, signature, input name, output name, images .npy, outputs .npy,
# the kit's packages (JSON).
LOADER = """
import json, sys
import numpy as np
import tensorflow as tf
directory, signature, input_name, output_name, images_path, outputs_path, kit = sys.argv[1:]
serve = tf.saved_model.load(directory).signatures[signature]
outputs = serve(**{input_name: tf.constant(np.load(images_path, allow_pickle=False))})[output_name]
np.save(outputs_path, outputs.numpy())
loaded = sorted(name for name in sys.modules if name.split(".")[0] in json.loads(kit))
print(json.dumps({"kit_modules": loaded, "inputs": sorted(serve.structured_input_signature[1]),
                  "outputs": sorted(serve.structured_outputs)}))
"""


def artifact_outputs(directory, signature, input_name, output_name, images):
    """(outputs, report) of the artifact in `directory` on `images`, from a fresh process;
    report: {"kit_modules": [...], "inputs": [...], "outputs": [...]}. RuntimeError with
    the process's stderr when it fails."""
    with tempfile.TemporaryDirectory(prefix="mnist-parity-serving-") as scratch:
        images_path = os.path.join(scratch, "images.npy")
        outputs_path = os.path.join(scratch, "outputs.npy")
        np.save(images_path, np.asarray(images, dtype=np.float32))
        environment = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
        completed = subprocess.run(
            [sys.executable, "-I", "-c", LOADER, directory, signature, input_name, output_name,
             images_path, outputs_path, json.dumps(KIT_PACKAGES)], capture_output=True, text=True,
            env=environment, cwd=scratch, check=False)
        if completed.returncode != 0:
            raise RuntimeError(f"loading {directory} in a fresh process failed "
                               f"(exit {completed.returncode}):\n{completed.stderr[-3000:]}")
        report = json.loads(completed.stdout.strip().splitlines()[-1])
        return np.load(outputs_path, allow_pickle=False), report
