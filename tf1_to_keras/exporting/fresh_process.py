"""An artifact's outputs computed in a fresh Python process that imports nothing of the
kit: `python -I` (no user site, no PYTHON* variables, no script or working directory on
sys.path) running LOADER, which only imports NumPy and TensorFlow. It reports the
modules of the kit it finds loaded (none, unless something pulled them in), and the
caller fails the export if there are any. With an endpoint name (the Keras artifact's
`serve`), it also runs the endpoint as docs/SERVING.md tells a Python server to call it
(wrapped once by `tf.compat.v1.wrap_function`, the images positional) and returns those
outputs too."""

import json
import os
import subprocess
import sys
import tempfile

import numpy as np

KIT_PACKAGES = ("mnist_parity", "tf1_to_keras", "legacy_tf1", "modern_keras", "mnist_core")

# argv: artifact directory, signature, input name, output name, endpoint name ("" for
# none), images .npy, outputs .npz, the kit's packages (JSON).
LOADER = """
import json, sys
import numpy as np
import tensorflow as tf
directory, signature, input_name, output_name, endpoint, images_path, outputs_path, kit = sys.argv[1:]
artifact = tf.saved_model.load(directory)
images = tf.constant(np.load(images_path, allow_pickle=False))
serve = artifact.signatures[signature]
outputs = {signature: serve(**{input_name: images})[output_name].numpy()}
if endpoint:
    spec = tf.TensorSpec((None, *images.shape[1:]), tf.float32)
    outputs[endpoint] = tf.compat.v1.wrap_function(getattr(artifact, endpoint), [spec])(images).numpy()
np.savez(outputs_path, **outputs)
loaded = sorted(name for name in sys.modules if name.split(".")[0] in json.loads(kit))
print(json.dumps({"kit_modules": loaded, "inputs": sorted(serve.structured_input_signature[1]),
                  "outputs": sorted(serve.structured_outputs)}))
"""


def artifact_outputs(directory, signature, input_name, output_name, images, endpoint=""):
    """(outputs, report) of the artifact in `directory` on `images`, from a fresh process;
    outputs: {signature: ..., endpoint: ... (if given)}; report: {"kit_modules": [...],
    "inputs": [...], "outputs": [...]} (the signature's). RuntimeError with the process's
    stderr when it fails."""
    with tempfile.TemporaryDirectory(prefix="mnist-parity-serving-") as scratch:
        images_path = os.path.join(scratch, "images.npy")
        outputs_path = os.path.join(scratch, "outputs.npz")
        np.save(images_path, np.asarray(images, dtype=np.float32))
        # The command's choice (quiet, --verbose or the user's level) goes on into the loader.
        environment = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2")}
        completed = subprocess.run(
            [sys.executable, "-I", "-c", LOADER, directory, signature, input_name, output_name,
             endpoint, images_path, outputs_path, json.dumps(KIT_PACKAGES)], capture_output=True, text=True,
            env=environment, cwd=scratch, check=False)
        if completed.returncode != 0:
            raise RuntimeError(f"loading {directory} in a fresh process failed "
                               f"(exit {completed.returncode}):\n{completed.stderr[-3000:]}")
        report = json.loads(completed.stdout.strip().splitlines()[-1])
        with np.load(outputs_path, allow_pickle=False) as outputs:
            return dict(outputs), report
