"""capture.capture_program on real TF1 programs, run unmodified in a subprocess, and recognition
of the captured graphs: the kit's programs against their Keras twins, and programs of other
common shapes (programs/: raw tf.nn with dict-held weights, tf.layers + batch norm in an
Estimator, tf.contrib.layers). Each capture is one subprocess, shared per test session
(conftest.py); the default run captures deep_cnn (tf.app.run) and layers_cnn (Estimator)
and rejects a program that never trains; the rest is marked slow.
"""

import os
import traceback

import numpy as np
import pytest
import tensorflow as tf

from tf1_to_keras.porting import capture, recognition, specs

from .conftest import COMPAT_PROGRAMS, PORTING_PROGRAMS
from .twin_checks import assert_matches_twin, assert_weights_sourced


def recognised(captured):
    graph = recognition.load_graph(captured)
    return recognition.recognise(graph, captured), graph


def assert_captured_files(captured):
    """The meta graph, the checkpoint of every variable, and nothing staged left beside them."""
    assert {"capture.json", "model.meta", "model.ckpt.index", "model.ckpt.data-00000-of-00001"
            } <= set(os.listdir(captured.directory))
    parent = os.path.dirname(captured.directory)
    assert not [name for name in os.listdir(parent) if name.startswith(".capture-")]
    assert captured.weights_origin == "initial"


def line_of(program, text):
    """`file.py:N`: where `text` first occurs in the program."""
    with open(program, encoding="utf-8") as file:
        number = next(number for number, line in enumerate(file, 1) if text in line)
    return f"{os.path.basename(program)}:{number}"


def test_app_run_program_is_stopped_at_its_first_training_run(kit_capture):
    captured = kit_capture("deep_cnn")
    assert_captured_files(captured)
    assert captured.captured_at == ("the first training Session.run, "
                                    + line_of(captured.program, "train_step.run("))
    assert captured.feeds == {"dropout/Placeholder:0": 0.5}  # the training run's keep_prob
    assert captured.fetches == ["adam_optimizer/Adam"]
    variables = dict(tf.train.list_variables(captured.checkpoint))
    assert variables["conv1/Variable"] == [5, 5, 1, 32] and "fc2/Variable_1/Adam" in variables
    # Saved before the step: the biases still hold bias_variable's 0.1, Adam's slots their zeros.
    reader = tf.train.load_checkpoint(captured.checkpoint)
    assert (reader.get_tensor("fc2/Variable_1") == np.float32(0.1)).all()
    assert not reader.get_tensor("fc2/Variable_1/Adam").any()
    model, graph = recognised(captured)
    assert_matches_twin("deep_cnn", model)
    assert_weights_sourced("deep_cnn", model, graph)
    dropout = next(layer for layer in model.layers if layer.keras_class == "Dropout")
    assert dropout.config == {"rate": 0.5}


def test_estimator_program_is_captured_inside_its_monitored_session(kit_capture):
    captured = kit_capture("layers_cnn")
    assert_captured_files(captured)
    # The program's line that called Estimator.train, inside which the session ran.
    assert captured.captured_at == ("the first training Session.run, "
                                    + line_of(captured.program, "mnist_classifier.train("))
    assert "GradientDescent" in captured.fetches
    model, graph = recognised(captured)
    assert [spec.tf1_tensor for spec in model.inputs] == ["IteratorGetNext:0"]
    assert model.labels == "IteratorGetNext:1"
    assert_matches_twin("layers_cnn", model)
    assert_weights_sourced("layers_cnn", model, graph)


def test_a_program_that_never_trains_is_rejected_and_leaves_nothing(tmp_path):
    directory = tmp_path / "capture"
    with pytest.raises(capture.CaptureError, match="never_trains.py ended without a training"):
        capture.capture_program(os.path.join(PORTING_PROGRAMS, "never_trains.py"), [], directory)
    assert os.listdir(tmp_path) == []


@pytest.mark.slow  # a subprocess of its own; the default run rejects never_trains.py
def test_a_failing_program_is_rejected_with_its_error(tmp_path):
    with pytest.raises(capture.CaptureError, match="fails_before_training.py failed .*748") as error:
        capture.capture_program(os.path.join(PORTING_PROGRAMS, "fails_before_training.py"), [],
                                tmp_path / "capture")
    assert "fails_before_training.py" in error.value.output  # the program's traceback
    assert os.listdir(tmp_path) == []


def restore_error_lines(tmp_path):
    """The traceback lines of a real failed Saver restore (a variable the checkpoint lacks)."""
    with tf.Graph().as_default():
        first = tf.compat.v1.Variable(1.0, name="first")
        with tf.compat.v1.Session() as session:
            session.run(first.initializer)
            prefix = tf.compat.v1.train.Saver().save(session, str(tmp_path / "model.ckpt"))
        tf.compat.v1.Variable(2.0, name="second")
        with tf.compat.v1.Session() as session, pytest.raises(tf.errors.NotFoundError) as caught:
            tf.compat.v1.train.Saver().restore(session, prefix)
    text = "".join(traceback.format_exception(caught.value))
    return [line for line in text.splitlines() if line.strip()]


def test_a_failure_is_named_by_its_exception_not_the_last_line_of_the_traceback(tmp_path):
    lines = restore_error_lines(tmp_path)
    # TF's graph errors end with the stack that built the failing op: the last line is a frame.
    assert lines[-1].lstrip().startswith("File ")
    summary = capture.error_summary(lines)
    assert summary.startswith("NotFoundError: Restoring from checkpoint failed.")
    assert summary.endswith("Key second not found in checkpoint") and "\n" not in summary
    assert capture.error_summary(["Traceback (most recent call last):", '  File "p.py", line 1, in <module>',
                                  "RuntimeError: boom"]) == "RuntimeError: boom"
    assert capture.error_summary(["p.py:3: TF 1.x API 'tf.contrib.x' is not provided"]) == ""


def layers_cnn_model_dir(kit_capture):
    """layers_cnn.py's captured program and its model_dir, where its Estimator wrote its step-0
    checkpoint before the training run the capture stopped."""
    layers_cnn = kit_capture("layers_cnn")
    return layers_cnn.program, os.path.join(os.path.dirname(layers_cnn.directory), "program_output", "model")


@pytest.mark.slow  # a subprocess of its own, after layers_cnn's capture
def test_an_estimator_resuming_its_model_dir_says_the_weights_are_restored(kit_capture, tmp_path):
    program, model_dir = layers_cnn_model_dir(kit_capture)
    captured = capture.capture_program(program, ["--steps", "1", "--seed", "1", "--model_dir", model_dir],
                                       tmp_path / "capture")
    prefix = os.path.join(model_dir, "model.ckpt-0")
    assert captured.weights_origin == f"restored by the program from {prefix}"
    restored, resumed = (tf.train.load_checkpoint(path) for path in (captured.checkpoint, prefix))
    assert (restored.get_tensor("dense/kernel") == resumed.get_tensor("dense/kernel")).all()  # not seed 1's


@pytest.mark.slow  # a subprocess of its own, after layers_cnn's capture
def test_an_estimator_resuming_another_models_checkpoint_fails_with_the_restore_error(kit_capture, tmp_path):
    """The contrib.learn variant pointed at layers_cnn.py's model_dir (both programs' default is
    /tmp/mnist_convnet_model) resumes its checkpoint, as TF1 would, and fails: the checkpoint
    has no OptimizeLoss/learning_rate. The message names that, not the stack TF appends."""
    layers_cnn, model_dir = layers_cnn_model_dir(kit_capture)
    program = os.path.join(os.path.dirname(layers_cnn), "layers_cnn_contrib_learn.py")
    with pytest.raises(capture.CaptureError) as error:
        capture.capture_program(program, ["--steps", "1", "--model_dir", model_dir], tmp_path / "capture")
    assert str(error.value).startswith("program layers_cnn_contrib_learn.py failed before its first "
                                       "training Session.run (exit 1): NotFoundError: Restoring from checkpoint")
    assert str(error.value).endswith("Key OptimizeLoss/learning_rate not found in checkpoint")
    assert os.listdir(tmp_path) == []


def test_bad_arguments_are_rejected_before_running(tmp_path):
    with pytest.raises(capture.CaptureError, match="is not a file"):
        capture.capture_program(tmp_path / "missing.py", [], tmp_path / "capture")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "file").write_text("")
    with pytest.raises(capture.CaptureError, match="not empty"):
        capture.capture_program(os.path.join(PORTING_PROGRAMS, "never_trains.py"), [],
                                tmp_path / "full")


@pytest.mark.slow
@pytest.mark.parametrize("key", ["softmax_regression", "core_convnet", "lenet5"])
def test_other_kit_programs_are_captured_and_recognised(kit_capture, key):
    captured = kit_capture(key)
    assert_captured_files(captured)
    model, graph = recognised(captured)
    assert_matches_twin(key, model)
    assert_weights_sourced(key, model, graph)


def layer_table(model):
    return [(layer.name, layer.keras_class, layer.config) for layer in model.layers]


@pytest.mark.slow
def test_raw_nn_mlp_with_dict_weights(program_capture):
    model, _ = recognised(program_capture("nn_mlp_dict_weights.py", "1"))
    normal = {"kernel_initializer": specs.KerasObject("keras.initializers.RandomNormal",
                                                      {"stddev": 0.05})}
    assert layer_table(model) == [
        ("dense", "Dense", {"units": 256, "activation": "relu", **normal}),
        ("dense_1", "Dense", {"units": 128, "activation": "sigmoid", **normal}),
        ("dense_2", "Dense", {"units": 10, **normal})]
    assert [[source.tf1_variable for source in layer.weights] for layer in model.layers] == [
        ["h1", "b1"], ["h2", "b2"], ["w_out", "b_out"]]
    assert model.unrecognised_ops == [] and model.inputs[0].name == "X"


@pytest.mark.slow
def test_layers_cnn_with_batch_norm_in_an_estimator(program_capture, tmp_path_factory):
    model_dir = str(tmp_path_factory.mktemp("bn-estimator"))
    model, _ = recognised(program_capture("layers_estimator_batch_norm.py", "--train_steps", "1",
                                          "--model_dir", model_dir))
    conv = {"kernel_size": (3, 3), "padding": "same", "use_bias": False}
    pool = {"pool_size": (2, 2), "strides": (2, 2), "padding": "valid"}
    assert layer_table(model) == [
        ("reshape", "Reshape", {"target_shape": (28, 28, 1)}),
        ("conv1", "Conv2D", {"filters": 16, **conv}),
        ("bn1", "BatchNormalizationTF1", {"epsilon": 0.001, "momentum": 0.9}),  # fused, trains
        ("relu1", "ReLU", {}), ("pool1", "MaxPooling2D", pool),
        ("conv2", "Conv2D", {"filters": 32, **conv}),
        ("bn2", "BatchNormalizationTF1", {"epsilon": 1e-05, "momentum": 0.9}),
        ("relu2", "ReLU", {}), ("pool2", "AveragePooling2D", pool),
        ("flatten", "Flatten", {}), ("fc1", "Dense", {"units": 64, "activation": "relu"}),
        ("dropout", "Dropout", {"rate": 0.3}), ("logits", "Dense", {"units": 10})]
    assert [source.tf1_variable for source in model.layers[2].weights] == [
        "bn1/gamma", "bn1/beta", "bn1/moving_mean", "bn1/moving_variance"]
    assert model.unrecognised_ops == []


@pytest.mark.slow
def test_contrib_layers_network(program_capture):
    model, _ = recognised(program_capture("contrib_layers_net.py", "--steps", "1"))
    assert [(layer.name, layer.keras_class) for layer in model.layers] == [
        ("reshape", "Reshape"), ("conv1", "Conv2D"), ("conv1_BatchNorm", "BatchNormalizationTF1"),
        ("conv1_Relu", "ReLU"), ("pool1", "MaxPooling2D"), ("conv2", "Conv2D"),
        ("pool2", "MaxPooling2D"), ("flatten", "Flatten"), ("fc3", "Dense"),
        ("dropout", "Dropout"), ("logits", "Dense")]
    assert model.layers[2].config == {"epsilon": 0.001, "momentum": 0.999}  # contrib's decay
    assert model.layers[5].config["activation"] == "elu"
    assert model.layers[9].config == {"rate": 0.25}  # 1 - keep_prob's training feed 0.75
    assert model.unrecognised_ops == []


@pytest.mark.slow
def test_batch_norm_and_dropout_switched_by_a_training_placeholder(tmp_path):
    """The compat suite's contrib program: batch_norm(is_training=placeholder) is a v1 tf.cond
    between two FusedBatchNorms (a Reshape around them on the 2-D fc3), dropout a cond too."""
    program = os.path.join(COMPAT_PROGRAMS, "contrib_layers_cnn.py")
    captured = capture.capture_program(program, ["--max_steps", "1", "--log_dir",
                                                 str(tmp_path / "logs")], tmp_path / "capture")
    model, _ = recognised(captured)
    assert captured.feeds == {"is_training:0": True}
    assert [(layer.name, layer.config) for layer in model.layers
            if layer.keras_class in ("BatchNormalizationTF1", "Dropout")] == [  # fused, training branch
        ("conv1_BatchNorm", {"epsilon": 0.001, "scale": False, "momentum": 0.9}),
        ("conv2_BatchNorm", {"epsilon": 0.001, "scale": False, "momentum": 0.9}),
        ("fc3_BatchNorm", {"epsilon": 0.001, "scale": False, "momentum": 0.9}),
        ("dropout3", {"rate": 0.5})]  # contrib.layers.dropout(scope="dropout3")
    assert model.unrecognised_ops == []


@pytest.mark.slow
def test_py_func_in_the_model_is_listed_as_unrecognised(program_capture):
    model, _ = recognised(program_capture("py_func_in_model.py", "1"))
    assert model.unrecognised_ops == [("PyFunc", "PyFunc")]
    assert [layer.name for layer in model.layers] == ["hidden", "logits"]


@pytest.mark.slow
def test_checkpoint_weights_replace_the_initial_ones(kit_capture, tmp_path):
    first = kit_capture("deep_cnn")
    captured = capture.capture_program(
        os.path.join(os.path.dirname(first.program), "deep_cnn.py"), ["--steps", "1", "--seed", "1"],
        tmp_path / "capture", checkpoint=first.checkpoint)
    assert captured.weights_origin == f"checkpoint {first.checkpoint}"
    reader, original = (tf.train.load_checkpoint(path) for path in (captured.checkpoint,
                                                                      first.checkpoint))
    assert (reader.get_tensor("conv1/Variable") == original.get_tensor("conv1/Variable")).all()


@pytest.mark.slow
def test_a_checkpoint_of_another_model_is_rejected(kit_capture, tmp_path):
    other = kit_capture("layers_cnn")
    with pytest.raises(capture.CaptureError, match="holds none of the program's trainable"):
        capture.capture_program(kit_capture("deep_cnn").program, ["--steps", "1"],
                                tmp_path / "capture", checkpoint=other.checkpoint)
    assert os.listdir(tmp_path) == []


@pytest.mark.slow
def test_a_program_past_the_timeout_is_stopped(tmp_path):
    with pytest.raises(capture.CaptureError, match="never_ends.py did not reach .* within 20 s"):
        capture.capture_program(os.path.join(PORTING_PROGRAMS, "never_ends.py"), [],
                                tmp_path / "capture", timeout=20)
    assert os.listdir(tmp_path) == []
