"""`port --backends tensorflow,jax`: the written model.py (and its weights, and the layer class
the kit writes beside it) verified on each Keras backend in its own process; code written for
one backend only is caught and named.

The default run ports one small program on JAX (a shared module fixture: the capture and the
two JAX child processes, forward and training steps, once); everything else is behind `slow`.
"""

import json
import os
import pathlib
import shutil

import numpy as np
import pytest

from mnist_core import exit_codes
from modern_keras import tf1_optimizers
from tf1_to_keras.harness import backend_checks, backend_process
from tf1_to_keras.porting import backend_verification, constructs, engine

from . import conftest
from .port_runs import port

needs_jax = pytest.mark.skipif(not backend_process.backend_installed("jax"),
                               reason="JAX is not installed (pip install jax)")
PROGRAM = os.path.join(conftest.PORTING_PROGRAMS, "scaled_features_adam.py")


@pytest.fixture(scope="module")
def jax_port(tmp_path_factory):
    """programs/scaled_features_adam.py ported with --backends tensorflow,jax (ElementwiseAffine,
    two Dense layers, Adam): the PortResult."""
    if not backend_process.backend_installed("jax"):
        pytest.skip("JAX is not installed (pip install jax)")
    out = tmp_path_factory.mktemp("jax-port") / "out"
    return engine.port_program(PROGRAM, ["--steps", "1"], str(out), backends=("tensorflow", "jax"))


@needs_jax
def test_a_port_is_verified_on_jax_forward_and_training_steps(jax_port):
    document = jax_port.document
    assert jax_port.passed, document["failures"]
    assert list(document["backends"]) == ["tensorflow", "jax"]
    jax, tensorflow = document["backends"]["jax"], document["backends"]["tensorflow"]
    assert jax["passed"] and jax["failures"] == [] and jax["versions"]["backend"] == "jax"
    assert jax["versions"]["jax"] and jax["tolerances"]["forward_atol"] == 1e-5
    # The generated ElementwiseAffine and both Dense layers, each compared on JAX.
    assert set(jax["forward_layers"]) == {"scaling", "hidden", "logits"}
    assert 0 <= jax["forward_max_abs_diff"] <= 1e-5 and max(jax["forward_layers"].values()) <= 1e-5
    steps = jax["training_steps"]
    assert steps["passed"] and steps["steps"] == 10 == tensorflow["training_steps"]["steps"]
    assert steps["max_abs_loss_diff_first10"] <= 1e-5
    source = (pathlib.Path(jax_port.out) / "model.py").read_text()
    assert "class ElementwiseAffine(keras.layers.Layer):" in source


def test_steps_held_to_the_float64_graph_are_judged_against_it_on_other_backends():
    from tf1_to_keras import harness
    from tf1_to_keras.harness import reference_spread, results
    tf1_losses, exact = [4.0355, 3.0991, 2.8288], [4.0355, 3.1016, 2.8088]  # TF1's fused kernel 2.5e-3 off
    held = reference_spread.ReferenceSpread([exact], [0.0, 2.5e-3, 2e-2], 1.0, True, "held",
                                            reference=reference_spread.REFERENCE)
    training = results.TrainingStepsResult([], harness.Tolerances.default().override(
        "batch norm", early_steps=3, early_loss_atol=1e-3), tf1_losses, exact, [], {}, reference_spread=held)
    figures, failures = backend_verification._steps_on("jax", training, [4.0355, 3.10161, 2.80881])
    assert figures["passed"] and not failures
    _, failures = backend_verification._steps_on("jax", training, [4.0355, 3.0991, 2.8288])  # TF1's, not the graph's
    assert failures and "against TF1 with its batch norms in float64" in failures[0]


def test_the_layer_classes_the_kit_writes_use_keras_ops_only():
    import inspect
    sources = {f"{name} (porting/constructs)": inspect.getsource(cls)
               for name, cls in constructs.custom_layers().items()}
    sources["tf1_optimizers.py"] = inspect.getsource(tf1_optimizers)
    assert "ElementwiseAffine (porting/constructs)" in sources
    for name, source in sources.items():
        assert backend_verification.backend_bound_uses(source, name) == [], name


def test_the_audit_names_each_backend_bound_use():
    source = ("import keras\nimport tensorflow as tf\nfrom jax import numpy as jnp\n\n"
              "class Scale(keras.layers.Layer):\n    def call(self, x):\n"
              "        return tf.multiply(x, 2.0) + keras.ops.sum(x)\n")
    assert backend_verification.backend_bound_uses(source, "model.py") == [
        "model.py line 2: import tensorflow", "model.py line 3: import jax", "model.py line 7: tf.multiply"]


def test_an_unknown_or_missing_backend_is_bad_input_before_any_capture(tmp_path):
    status, stdout, stderr = port(PROGRAM, "--out", tmp_path / "out", "--backends", "tensorflow,mxnet")
    assert status == exit_codes.BAD_INPUT and stdout == "" and not (tmp_path / "out").exists()
    assert "unknown Keras backend 'mxnet': expected one of tensorflow, jax, torch" in stderr
    if not backend_process.backend_installed("torch"):
        status, _, stderr = port(PROGRAM, "--out", tmp_path / "out", "--backends", "jax,torch")
        assert status == exit_codes.BAD_INPUT and "backend 'torch' needs PyTorch" in stderr
        assert "pip install 'mnist-parity[torch]'" in stderr and not (tmp_path / "out").exists()


def _tf_only(directory):
    """The port's model.py with its ElementwiseAffine written against TensorFlow (tf.multiply):
    a class that works under Keras on TensorFlow and not on JAX."""
    path = directory / "model.py"
    source = path.read_text()
    assert "keras.ops.multiply(inputs, self.scale)" in source
    source = source.replace("import keras\n", "import keras\nimport tensorflow as tf\n", 1)
    path.write_text(source.replace("keras.ops.multiply(inputs, self.scale)", "tf.multiply(inputs, self.scale)"))


@pytest.mark.slow
@needs_jax
def test_a_layer_class_written_for_tensorflow_passes_there_and_fails_on_jax_named(jax_port, tmp_path):
    import keras
    broken = tmp_path / "broken"
    shutil.copytree(jax_port.out, broken)
    _tf_only(broken)
    x = np.random.default_rng(0).uniform(size=(200, 784)).astype(np.float32)
    expected = keras.ops.convert_to_numpy(backend_verification.build_port(jax_port.out, 0)(x))
    here = keras.ops.convert_to_numpy(backend_verification.build_port(str(broken), 0)(x))
    assert keras.backend.backend() == "tensorflow" and np.array_equal(here, expected)  # fine on TensorFlow
    entry = backend_checks.forward_on_backend("jax", backend_verification.BUILDER, str(broken), x, expected,
                                              batch_size=100)
    assert not entry["passed"] and entry["forward_max_abs_diff"] is None
    failure = entry["failures"][0]
    assert failure.startswith("forward on jax: the Keras model could not be built or run on Keras backend 'jax'")
    line = _line_of(broken / "model.py", "tf.multiply")  # the child's traceback names the file and line
    assert f"model.py:{line} in call: outputs = tf.multiply(inputs, self.scale)" in failure
    assert backend_verification._bound_uses(str(broken)) == [
        f"not keras.ops: model.py line {_line_of(broken / 'model.py', 'import tensorflow')}: import tensorflow",
        f"not keras.ops: model.py line {line}: tf.multiply"]


def _line_of(path, text):
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1) if text in line)


# Ports measured on JAX (docs/BACKENDS.md, tolerances.FORWARD_BACKEND_ATOL): dense, conv and
# pooling (deep_cnn, lenet5), batch norm (Estimator), LSTM (static_rnn), GRU (dynamic_rnn).
BACKEND_PROGRAMS = {
    "dense_feed_mlp": ("compat/programs/mnist_feed.py", []),
    "conv_pool_deep_cnn": ("../legacy_tf1/models/deep_cnn.py", ["--steps", "1", "--seed", "0"]),
    "conv_pool_lenet5": ("../legacy_tf1/models/lenet5.py", ["--steps", "1", "--seed", "0", "--model_dir",
                                                            "{tmp}/model"]),
    "batch_norm_estimator": ("library/porting/programs/layers_estimator_batch_norm.py",
                             ["--train_steps", "1", "--model_dir", "{tmp}/model"]),
    "lstm_static": ("compat/programs/rnn_mnist_static_lstm.py", ["--training_steps", "1"]),
    "gru_dynamic": ("library/porting/programs/rnn_gru_dynamic.py", ["1"]),
}


@pytest.mark.slow
@needs_jax
@pytest.mark.parametrize("name", sorted(BACKEND_PROGRAMS))
def test_ports_of_each_layer_kind_pass_on_jax(name, tmp_path):
    program, arguments = BACKEND_PROGRAMS[name]
    status, stdout, _ = port(os.path.join(conftest.ROOT, "parity_tests", program), "--out", tmp_path / "out",
                             "--backends", "tensorflow,jax",
                             "--", *[argument.format(tmp=tmp_path) for argument in arguments])
    document = json.loads((tmp_path / "out" / "port.json").read_text())
    assert status == exit_codes.OK and document["passed"], stdout
    jax = document["backends"]["jax"]
    # The kit's bar on JAX too (tolerances.FORWARD_BACKEND_ATOL): deep_cnn's logits measured
    # 1.67e-5 apart, inside its magnitude term; every other port under 1e-6.
    assert jax["passed"] and jax["tolerances"]["forward_atol"] == 1e-5 and jax["tolerances"]["overrides"] == {}
    assert jax["forward_max_abs_diff"] <= (5e-5 if name == "conv_pool_deep_cnn" else 1e-6), jax
    assert "backend jax: PASS forward max |diff|" in stdout


@pytest.mark.slow
@pytest.mark.skipif(not backend_process.backend_installed("torch"),
                    reason="PyTorch is not installed (pip install 'mnist-parity[torch]'; docs/BACKENDS.md)")
def test_a_port_passes_on_torch(tmp_path):
    result = engine.port_program(PROGRAM, ["--steps", "1"], str(tmp_path / "out"), backends=("torch",))
    torch = result.document["backends"]["torch"]
    assert result.passed and list(result.document["backends"]) == ["torch"], result.document["failures"]
    assert torch["versions"]["backend"] == "torch" and torch["forward_max_abs_diff"] <= 1e-5
    assert torch["training_steps"]["passed"]
