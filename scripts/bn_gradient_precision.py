"""Step-1 gradient precision of slim's ResNet-50 v1 (training mode, batch 2) against float64,
the measurement behind docs/PERFORMANCE.md's "training-step check fails" paragraph.

    PYTHONPATH=$PWD python scripts/bn_gradient_precision.py 224 [--no-arithmetic-optimizer]

Prints, per side, max |grad - float64 grad| / max |float64 grad| over the 161 trainable
variables (median and max): Keras eagerly, Keras in a tf.function (as train_on_batch runs),
the TF1 graph with fused batch norm (the program's) and with slim's fused=False. The float64
reference is the ported model built with floatx float64 from the same weights.
"""
import sys

import tensorflow as tf2

if "--no-arithmetic-optimizer" in sys.argv:
    tf2.config.optimizer.set_experimental_options({"arithmetic_optimization": False})

import keras  # noqa: E402
import numpy as np  # noqa: E402
from tf_slim.nets import resnet_v1  # noqa: E402

import legacy_tf1.compat as tf  # noqa: E402
from tf1_to_keras import harness  # noqa: E402
from tf1_to_keras.porting import codegen, recognition, weights  # noqa: E402

slim = tf.contrib.slim
SIZE = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 64


def builder(fused):
    def build():
        x = tf.placeholder(tf.float32, [None, SIZE, SIZE, 3], name="inputs")
        y = tf.placeholder(tf.int32, [None], name="labels")
        with slim.arg_scope(resnet_v1.resnet_arg_scope(weight_decay=0.0)):
            with slim.arg_scope([slim.batch_norm], fused=fused):
                net, _ = resnet_v1.resnet_v1_50(x, num_classes=1000, is_training=True)
        tf.losses.sparse_softmax_cross_entropy(labels=y, logits=tf.squeeze(net, [1, 2]))
        return {"inputs": x, "outputs": net, "labels": y, "loss": tf.losses.get_total_loss()}
    return build


x = np.random.RandomState(50).rand(2, SIZE, SIZE, 3).astype(np.float32)
y = np.array([1, 999], np.int32)


def tf1_gradients(model):
    with model.graph.as_default():
        variables = tf.trainable_variables()
        gradients = tf.gradients(model.endpoints.loss, variables)
    inputs = model.endpoints.inputs
    inputs = inputs[0] if isinstance(inputs, list) else inputs
    values = model.session.run(gradients, {inputs: x, model.endpoints.labels: y})
    return dict(zip([v.op.name for v in variables], values))


def keras_gradients(model, images):
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    def run():
        with tf2.GradientTape() as tape:
            value = loss(y, tf2.reshape(model(images, training=True), [2, -1]))
        return tape.gradient(value, model.trainable_weights)
    return run


fused = harness.TF1Model.from_builder(builder(True), seed=0)
start = fused.variables()
unfused = harness.TF1Model.from_builder(builder(False), seed=0)
unfused.assign({name: value for name, value in start.items() if name in unfused.variables()})
recognised = recognition.recognise(fused.graph)
source = codegen.model_source(recognised, "resnet50.py")
namespace = {}
exec(compile(source, "model.py", "exec"), namespace)  # noqa: S102 (generated here)
keras_side = harness.KerasModel(namespace["build_model"], seed=0)
mapping = weights.name_map(recognised, keras_side.weight_layers()).resolve(
    start, keras_side.weights(), fused.variable_layers(), fused.skipped())
keras_side.assign(mapping.convert(start))
model = keras_side.model
keras.config.set_floatx("float64")
namespace64 = {}
exec(compile(source, "model.py", "exec"), namespace64)  # noqa: S102
model64 = namespace64["build_model"]()
for weight64, weight in zip(model64.weights, model.weights):
    weight64.assign(np.asarray(weight.numpy(), np.float64))
paths = [w.path for w in model.trainable_weights]
# Run while floatx is float64: run after float32 is back, the float64 model computes in float32.
reference = dict(zip(paths, (g.numpy() for g in keras_gradients(model64, x.astype(np.float64))())))
keras.config.set_floatx("float32")
sides = {"keras eager": dict(zip(paths, (g.numpy() for g in keras_gradients(model, x)()))),
         "keras tf.function": dict(zip(paths, (g.numpy() for g in tf2.function(keras_gradients(model, x))())))}
keras_path = {t: k for c in mapping.conversions for t, k in zip(c.tf1_names, c.keras_paths)}
for name, tf1_side in (("tf1 fused", fused), ("tf1 fused=False", unfused)):
    sides[name] = {keras_path[variable]: value for variable, value in tf1_gradients(tf1_side).items()}
for name, gradients in sides.items():
    errors = {path: float(np.abs(gradients[path] - reference[path]).max() / np.abs(reference[path]).max())
              for path in paths}
    worst = max(errors, key=errors.get)
    print(f"{name:18s} median {np.median(list(errors.values())):.2e}  max {errors[worst]:.2e} ({worst})")
