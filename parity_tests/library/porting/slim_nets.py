"""What the slim net tests share: a small slim ResNet v1 built in-process (the zoo's own
resnet_v1 with two short blocks) with batch norm statistics far from their initial 0 and 1,
recognised, written by codegen, tapped at every recognised layer as `port` taps them, and the
generated source mutated into broken twins."""

import os
import re
import tempfile

import numpy as np

import legacy_tf1.compat as tf
from tf1_to_keras import harness
from tf1_to_keras.porting import certification, codegen, recognition, weights

slim = tf.contrib.slim


def trained_like_statistics():
    """Batch norm initializers standing for a trained net's: moving means ~N(0, 0.5), moving
    variances in [0.05, 2], gammas around 1, betas around 0 (from 0 and 1, epsilon barely shows)."""
    return {"moving_mean": tf.random_normal_initializer(0.0, 0.5),
            "moving_variance": tf.random_uniform_initializer(0.05, 2.0),
            "gamma": tf.random_uniform_initializer(0.5, 1.5),
            "beta": tf.random_normal_initializer(0.0, 0.2)}


def zoo_builder(build, arg_scope, size, classes, **kwargs):
    """A harness builder of a zoo net in inference mode, its batch norm statistics trained-like.
    Its output is the net's (a squeeze right before the softmax is loss plumbing to model
    finding, so a (batch, 1, 1, classes) logits conv is the model's end)."""
    def builder():
        x = tf.placeholder(tf.float32, [None, size, size, 3], name="images")
        with slim.arg_scope(arg_scope()):
            with slim.arg_scope([slim.batch_norm], param_initializers=trained_like_statistics()):
                net, _ = build(x, num_classes=classes, is_training=False, **kwargs)
        if net.op.type == "Squeeze":  # the zoo's own SpatialSqueeze: the model ends before it
            tf.nn.softmax(net)
            return {"inputs": x, "outputs": net.op.inputs[0]}
        tf.nn.softmax(tf.squeeze(net, [1, 2]))
        return {"inputs": x, "outputs": net}
    return builder


def small_resnet_v1(size=32, classes=3):
    """resnet_v1 with a 2-unit strided block and a 1-unit projection block (slim's own code)."""
    from tf_slim.nets import resnet_v1
    blocks = [resnet_v1.resnet_v1_block("block1", base_depth=4, num_units=2, stride=2),
              resnet_v1.resnet_v1_block("block2", base_depth=8, num_units=1, stride=1)]

    def build(x, **kwargs):
        return resnet_v1.resnet_v1(x, blocks, scope="resnet_v1_small", **kwargs)
    return zoo_builder(build, resnet_v1.resnet_arg_scope, size, classes)


def _variable_name(tensor):
    """The variable a batch norm input reads (through its Identity / ReadVariableOp)."""
    while tensor.op.type in ("Identity", "ReadVariableOp"):
        tensor = tensor.op.inputs[0]
    return tensor.op.name


def calibrate_batch_norm(tf1, x):
    """Each batch norm's moving statistics set to its input's on `x`, in graph order: a trained
    net's activations stay near unit scale, where random weights with random statistics grow
    by orders of magnitude over 50 layers (2e8 at ResNet-50's logits), which no trained net has."""
    for op in tf1.graph.get_operations():
        if op.type != "FusedBatchNormV3":
            continue
        inputs = tf1.fetch(x, {"x": op.inputs[0]})["x"].astype(np.float64)
        tf1.assign({_variable_name(op.inputs[3]): inputs.mean(axis=(0, 1, 2)).astype(np.float32),
                    _variable_name(op.inputs[4]): inputs.var(axis=(0, 1, 2)).astype(np.float32)})
    # The checks reset TF1 to its start: the calibrated weights become it, as a team's trained
    # checkpoint does (TF1Model.restore).
    with tempfile.TemporaryDirectory() as directory, tf1.graph.as_default():
        prefix = tf.train.Saver().save(tf1.session, os.path.join(directory, "calibrated"))
        tf1.restore(prefix)


def ported(builder, seed=0):
    """(TF1Model tapped at every recognised layer, RecognisedModel, model.py source)."""
    tf1 = harness.TF1Model.from_builder(builder, seed=seed)
    recognised = recognition.recognise(tf1.graph)
    tf1.endpoints.layers = {layer.name: tf1.graph.get_tensor_by_name(layer.tf1_output)
                            for layer in recognised.layers if layer.tf1_output}
    return tf1, recognised, codegen.model_source(recognised, "slim_net.py")


def keras_side(source):
    """The KerasModel of a model.py source, built in a namespace of its own."""
    namespace = {}
    exec(compile(source, "model.py", "exec"), namespace)  # noqa: S102 (generated or mutated here)
    return harness.KerasModel(namespace["build_model"], seed=0)


def check(tf1, recognised, source, x, tolerances=None):
    """The harness's forward check of `source`'s model (weights by the recognised name map), at
    `tolerances` or the bars `port` holds the recognised model to (certification)."""
    keras_model = keras_side(source)
    name_map = weights.name_map(recognised, keras_model.weight_layers())
    tolerances = tolerances or certification.forward_tolerances(recognised)
    return harness.check_forward(tf1, keras_model, x, name_map=name_map, tolerances=tolerances), keras_model


def images(count, size, seed=0):
    """Images in [0, 1), as the programs feed."""
    return np.random.default_rng(seed).random((count, size, size, 3), dtype=np.float32)


# --- broken twins: one mistake each in the generated source ---------------------------------------

def wrong_epsilon(source, layer):
    """`layer`'s BatchNormalization with epsilon 1e-3 where slim's resnet has 1e-5."""
    pattern = rf'epsilon=1e-05(,[^()]*?name="{layer}")'
    mutated, count = re.subn(pattern, r"epsilon=0.001\1", source)
    assert count == 1, f"no BatchNormalization {layer!r} with epsilon=1e-05 in the source"
    return mutated


def wrong_padding(source, layer):
    """`layer`'s ZeroPadding2D padding all after instead of before and after (same shape)."""
    pattern = rf'ZeroPadding2D\(\s*padding=(\d+), name="{layer}"\)'
    mutated, count = re.subn(pattern, lambda m: f'ZeroPadding2D(padding=((0, {2 * int(m[1])}), '
                             f'(0, {2 * int(m[1])})), name="{layer}")', source)
    assert count == 1, f"no symmetric ZeroPadding2D {layer!r} in the source"
    return mutated


def missing_shortcut(source, layer):
    """`layer`'s Add([shortcut, residual]) replaced by the residual alone (an Identity)."""
    pattern = rf'keras\.layers\.Add\(\s*name="{layer}"\)\(\s*\[(\w+),\s+(\w+)\]\)'  # inputs may wrap
    mutated, count = re.subn(pattern, rf'keras.layers.Identity(name="{layer}")(\2)', source)
    assert count == 1, f"no Add {layer!r} in the source"
    return mutated


# --- the zoo nets at full size --------------------------------------------------------------------

def zoo_net(name, classes=1000, size=None):
    """(builder, input size) of a tf_slim zoo net by name, inference mode, trained-like statistics."""
    from tf_slim.nets import inception_v1, inception_v3, resnet_v1, resnet_v2
    nets = {"resnet_v1_50": (resnet_v1.resnet_v1_50, resnet_v1.resnet_arg_scope, 224, {}),
            "resnet_v2_50": (resnet_v2.resnet_v2_50, resnet_v2.resnet_arg_scope, 224, {}),
            "inception_v1": (inception_v1.inception_v1, inception_v1.inception_v1_arg_scope, 224, {}),
            "inception_v3": (inception_v3.inception_v3, inception_v3.inception_v3_arg_scope, 299,
                             {"create_aux_logits": False})}
    if name == "mobilenet_v1":
        return slim_mobilenet_v1(size or 224, classes)
    build, arg_scope, default_size, kwargs = nets[name]
    size = size or default_size
    return zoo_builder(build, arg_scope, size, classes, **kwargs), size


def forward_figures(tf1, recognised, source, x):
    """{params (TF1 all, Keras all, Keras trainable), layers, forward max |diff|, relative to the
    output's largest |value|, passed} of a generated model against its TF1 graph."""
    result, keras_model = check(tf1, recognised, source, x)
    model = keras_model.model
    magnitude = float(np.abs(tf1.predict(x)).max())
    return {"tf1_params": int(sum(np.prod(shape) for shape in tf1.variable_shapes().values())),
            "keras_params": int(model.count_params()),
            "keras_trainable": int(sum(np.prod(w.shape) for w in model.trainable_weights)),
            "layers": len(model.layers), "max_abs_diff": result.forward_max_abs_diff,
            "relative_to_magnitude": result.forward_max_abs_diff / magnitude,
            "magnitude": magnitude, "passed": result.passed, "failures": result.failures}


# MobileNet v1's depthwise-separable blocks (stride, pointwise depth), the paper's table 1.
MOBILENET_V1_BLOCKS = [(1, 64), (2, 128), (1, 128), (2, 256), (1, 256), (2, 512),
                       *[(1, 512)] * 5, (2, 1024), (1, 1024)]


def slim_mobilenet_v1(size=224, classes=1000, blocks=MOBILENET_V1_BLOCKS):
    """A harness builder of MobileNet v1 written with slim as parity_tests/library/porting/programs/
    slim_mobilenet_v1.py writes it (separable_conv2d(num_outputs=None) + 1x1 conv2d, batch norm,
    relu6), in inference mode with trained-like statistics."""
    def builder():
        x = tf.placeholder(tf.float32, [None, size, size, 3], name="images")
        bn = {"is_training": False, "decay": 0.997, "epsilon": 0.001, "scale": True,
              "param_initializers": trained_like_statistics()}
        with tf.variable_scope("MobilenetV1"), slim.arg_scope(
                [slim.conv2d, slim.separable_conv2d], normalizer_fn=slim.batch_norm,
                normalizer_params=bn, activation_fn=tf.nn.relu6, padding="SAME"):
            net = slim.conv2d(x, 32, [3, 3], stride=2, scope="Conv2d_0")
            for i, (stride, depth) in enumerate(blocks, start=1):
                net = slim.separable_conv2d(net, None, [3, 3], depth_multiplier=1, stride=stride,
                                            scope="Conv2d_%d_depthwise" % i)
                net = slim.conv2d(net, depth, [1, 1], scope="Conv2d_%d_pointwise" % i)
            net = tf.reduce_mean(net, [1, 2], keepdims=True, name="global_pool")
            net = slim.conv2d(net, classes, [1, 1], activation_fn=None, normalizer_fn=None,
                              scope="Logits")
        tf.nn.softmax(tf.squeeze(net, [1, 2]))
        return {"inputs": x, "outputs": net}
    return builder, size


def main(names):
    """Prints the full-size figures of PORT.md's slim table: `python -m
    parity_tests.library.porting.slim_nets resnet_v1_50 ...` (minutes each on 2 cores)."""
    import json
    for name in names:
        builder, size = zoo_net(name)
        tf1, recognised, source = ported(builder)
        with tf1:
            calibrate_batch_norm(tf1, images(8, size, seed=1))
            figures = forward_figures(tf1, recognised, source, images(4, size))
        print(name, json.dumps({**figures, "unrecognised_ops": recognised.unrecognised_ops}), flush=True)


if __name__ == "__main__":
    import sys
    main(sys.argv[1:])
