"""What the construct tests share: a TF1 graph built in-process (no subprocess), recognised,
written as model.py by codegen (a construct's own layer class included), and held to TF1's
outputs by the harness's forward check with the weights the recognised layers name."""

import numpy as np

import legacy_tf1.compat as tf

from tf1_to_keras import harness
from tf1_to_keras.porting import codegen, recognition, weights


def recognised_graph(build, feeds=None, seed=0):
    """(TF1Model, RecognisedModel) of `build` (returns {"inputs", "outputs"}, and makes a loss or
    a softmax so model finding has ends). Close the TF1Model (a context manager)."""
    tf1 = harness.TF1Model.from_builder(build, seed=seed)
    return tf1, recognition.recognise(tf1.graph, feeds=feeds or {})


def layer_classes(recognised):
    """[(name, keras_class)] of the recognised layers, in order."""
    return [(layer.name, layer.keras_class) for layer in recognised.layers]


def generated_build(recognised, program="construct_program.py"):
    """(model.py source, its build_model) as codegen writes it, executed in a namespace of its own."""
    source = codegen.model_source(recognised, program)
    namespace = {}
    exec(compile(source, "model.py", "exec"), namespace)  # noqa: S102 (our own generated code)
    return source, namespace["build_model"]


def forward_result(tf1, recognised, x):
    """(model.py source, harness ForwardResult) of the generated model against TF1 on `x`."""
    source, build = generated_build(recognised)
    keras_side = harness.KerasModel(build, seed=0)
    name_map = weights.name_map(recognised, keras_side.weight_layers())
    return source, harness.check_forward(tf1, keras_side, x, name_map=name_map)


def assert_forward_parity(tf1, recognised, x, atol=1e-5):
    """The generated model's outputs equal TF1's on `x` within `atol`; the model.py source."""
    assert recognised.unrecognised_ops == [], recognised.unrecognised_ops
    source, result = forward_result(tf1, recognised, x)
    assert result.passed and result.forward_max_abs_diff <= atol, result.failures
    return source


def normal(*shape, seed=0):
    """Float32 inputs drawn from N(0, 1)."""
    return np.random.default_rng(seed).normal(size=shape).astype(np.float32)


def model_ends(x, outputs):
    """The builder's endpoints with a Dense head (Flatten first when needed) and a softmax, the
    ends model finding reads (the construct alone may hold no variable to find a model by)."""
    flat = tf.layers.flatten(outputs, name="flat") if outputs.shape.rank > 2 else outputs
    head = tf.layers.dense(flat, 2, name="head")
    tf.nn.softmax(head)
    return {"inputs": x, "outputs": head}


HEAD = [("head", "Dense")]  # the last layer of a model_ends graph (after a Flatten on N-D outputs)
FLAT_HEAD = [("flat", "Flatten"), ("head", "Dense")]
