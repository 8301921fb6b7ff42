"""Fixtures the porting tests share: captures of the kit's TF1 programs (one subprocess
each, per test session), and ports of them."""

import os

import pytest

from tf1_to_keras.porting import capture

KIT_PROGRAMS = {"softmax_regression": "softmax_regression.py", "deep_cnn": "deep_cnn.py",
                "layers_cnn": "layers_cnn.py", "lenet5": "lenet5.py", "core_convnet": "core_convnet.py",
                "layers_cnn_contrib_learn": "layers_cnn_contrib_learn.py"}
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
# One training step is enough (the capture stops the program before it); seeded, so the
# captured weights, and every figure measured from them, are the same each run.
PROGRAM_ARGUMENTS = ["--steps", "1", "--seed", "0"]
# Programs that write checkpoints write them beside the capture, not into a shared /tmp folder:
# an Estimator writes its step-0 checkpoint there before training, and resumes one it finds.
OUTPUT_FLAGS = {"layers_cnn": ("--model_dir", "model"), "lenet5": ("--model_dir", "model"),
                "core_convnet": ("--save_path", "model/model.ckpt"),
                "layers_cnn_contrib_learn": ("--model_dir", "model")}
PORTING_PROGRAMS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "programs")


def kit_program(key):
    """The path of the kit's TF1 program for a model key."""
    return os.path.join(ROOT, "legacy_tf1", "models", KIT_PROGRAMS[key])


def kit_arguments(key, base):
    """The program's arguments: PROGRAM_ARGUMENTS, its output flag pointing under `base`."""
    arguments = list(PROGRAM_ARGUMENTS)
    if key in OUTPUT_FLAGS:
        flag, relative = OUTPUT_FLAGS[key]
        arguments += [flag, str(base / "program_output" / relative)]
    return arguments


@pytest.fixture(scope="session")
def kit_capture(tmp_path_factory):
    """capture(key) -> the CapturedProgram of the kit's program, captured once per session."""
    captures = {}

    def get(key):
        if key not in captures:
            base = tmp_path_factory.mktemp(f"capture-{key}")
            captures[key] = capture.capture_program(kit_program(key), kit_arguments(key, base),
                                                    base / "capture")
        return captures[key]
    return get


@pytest.fixture(scope="session")
def program_capture(tmp_path_factory):
    """capture(file name in programs/, *arguments) -> its CapturedProgram, once per session."""
    captures = {}

    def get(name, *arguments):
        if (name, arguments) not in captures:
            base = tmp_path_factory.mktemp(f"capture-{name.removesuffix('.py')}")
            captures[(name, arguments)] = capture.capture_program(
                os.path.join(PORTING_PROGRAMS, name), list(arguments), base / "capture")
        return captures[(name, arguments)]
    return get


# --- RNN programs (constructs/test_rnn_cells, training_parity tests) -------------------------------------------

COMPAT_PROGRAMS = os.path.join(ROOT, "parity_tests", "compat", "programs")


@pytest.fixture(scope="session")
def static_lstm_capture(tmp_path_factory):
    """The compat suite's LSTM classifier (static_rnn over MNIST rows, Adam), captured once."""
    base = tmp_path_factory.mktemp("capture-rnn_mnist_static_lstm")
    return capture.capture_program(os.path.join(COMPAT_PROGRAMS, "rnn_mnist_static_lstm.py"),
                                   ["--training_steps", "1", "--test_images", "10"], base / "capture")


@pytest.fixture(scope="session")
def dynamic_gru_capture(program_capture):
    """programs/rnn_gru_dynamic.py (GRUCell in dynamic_rnn, momentum SGD), captured once."""
    return program_capture("rnn_gru_dynamic.py", "1")
