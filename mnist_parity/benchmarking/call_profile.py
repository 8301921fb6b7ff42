"""Where an inference call's time goes, per path: `python -m
mnist_parity.benchmarking.call_profile KEY ...` prints markdown rows.

For each model, in one process: the 10,000 test images through `model.predict` and both
sides' `predict_logits` (the input checks, then Keras' compiled call,
modern_keras/inference.py, or TF1's `session.run`, per 1,000 images; median ms of 5);
then one-image calls of TF1's session, Keras' `predict`, a plain `tf.function`, a
`tf.function`'s concrete function, the kit's compiled call, and the exported artifact's
`serving_default` signature and wrapped `serve` endpoint, interleaved under cProfile:
microseconds per call, the part of it spent in TensorFlow's C++ runtime
(`TF_SessionRun_wrapper`, `TFE_Py_Execute`) and the rest, Python (inflated alike for
every path by the profiler's own cost). Not part of `mnist-parity benchmark`: a probe,
the profile docs/PERFORMANCE.md cites for where the goals are missed.
"""

import cProfile
import pstats
import statistics
import sys
import tempfile
import time

CALLS = 300  # one-image calls per profiled run
ROUNDS = 5  # profiled runs per path, the paths interleaved; medians are reported
NATIVE_CALLS = ("TF_SessionRun_wrapper", "TFE_Py_Execute")


def profiled_microseconds(call, images):
    """(wall, C++ runtime) microseconds per call over `images`, both under cProfile: the
    time inside TensorFlow's C++ entry points, and the rest (Python, with the profiler's
    own cost, alike for every path)."""
    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.enable()
    for image in images:
        call(image)
    profile.disable()
    wall = time.perf_counter() - start
    native = sum(stat[2] for (_, _, name), stat in pstats.Stats(profile).stats.items()
                 if any(entry in name for entry in NATIVE_CALLS))
    return wall / len(images) * 1e6, native / len(images) * 1e6


def serving_rows(key, paths, images):
    """Markdown rows: per path, the medians over ROUNDS interleaved profiled runs."""
    measured = {name: [] for name in paths}
    for _ in range(ROUNDS):
        for name, call in paths.items():
            some = images[:20] if name == "Keras predict" else images  # predict: ~50 ms a call
            measured[name].append(profiled_microseconds(call, some))
    rows = []
    for name, runs in measured.items():
        wall = statistics.median(run[0] for run in runs)
        native = statistics.median(run[1] for run in runs)
        rows.append(f"| {key} | 1 image: {name} | {wall:.0f} | {native:.0f} | {wall - native:.0f} |")
    return rows


def _median_ms(function, repeats=5):
    function()  # warm-up
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        seconds.append(time.perf_counter() - start)
    return 1000 * statistics.median(seconds)


def serving_paths(tf1, keras_side, loaded):
    """{name: one-image call} of the seven paths (module docstring)."""
    import tensorflow as tf

    from mnist_parity import exporting
    from modern_keras import inference

    model = keras_side.model
    plain = tf.function(lambda images: model(images, training=False), jit_compile=False)
    concrete = plain.get_concrete_function(tf.TensorSpec((None, *model.input_shape[1:]), tf.float32))
    signature = loaded.signatures[exporting.SIGNATURE_NAME]
    serve = exporting.serving_function(loaded, model.input_shape[1:])
    return {"TF1 session.run": lambda image: tf1.session.run(tf1.endpoints.logits, tf1.endpoints.feed(image)),
            "Keras predict": lambda image: model.predict(image, verbose=0),
            "Keras tf.function": lambda image: plain(image).numpy(),
            "Keras tf.function's concrete function": lambda image: concrete(tf.constant(image)).numpy(),
            "Keras compiled call (the kit's)": lambda image: inference.logits(model, image),
            "exported artifact: serving_default": lambda image: signature(images=tf.constant(image))[
                "logits"].numpy(),
            "exported artifact: serve, wrapped": lambda image: serve(tf.constant(image)).numpy()}


def profile_model(key):
    """Markdown rows for one model: the 10,000-image calls, then the one-image paths."""
    import tensorflow as tf

    from mnist_core import recipes, training_data
    from mnist_parity import sides
    from tf1_to_keras.exporting import artifacts

    test_images = training_data.load_training_data(recipes.get_recipe(key)).test_images
    images = [test_images[index][None] for index in range(CALLS)]
    with sides.LegacySide(key, seed=0) as tf1, sides.KerasSide(key, seed=0) as keras_side, \
            tempfile.TemporaryDirectory() as scratch:
        artifacts.write_keras_artifact(keras_side.model, f"{scratch}/artifact")
        loaded = tf.saved_model.load(f"{scratch}/artifact")
        full = {"predict": lambda: keras_side.model.predict(test_images, batch_size=1000, verbose=0),
                "compiled": lambda: keras_side.logits(test_images),  # predict_logits: checks too
                "tf1": lambda: tf1.logits(test_images)}
        rows = [f"| {key} | 10,000 images, ms: Keras predict / predict_logits / TF1 predict_logits | "
                + " / ".join(f"{_median_ms(function):.1f}" for function in full.values()) + " | | |"]
        paths = serving_paths(tf1, keras_side, loaded)
        for call in paths.values():
            for image in images[:20]:
                call(image)  # warm-up
        rows += serving_rows(key, paths, images)
    return rows


if __name__ == "__main__":
    print("| model | path | wall us/call | C++ runtime us | Python us |\n|---|---|---|---|---|")
    for model_key in sys.argv[1:]:
        print("\n".join(profile_model(model_key)), flush=True)
