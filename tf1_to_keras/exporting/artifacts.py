"""Writing the two serving artifacts, with the same signature: SIGNATURE_NAME, taking
INPUT_NAME and returning OUTPUT_NAME.

Keras: `keras.export.ExportArchive` (what `model.export(DIR, format="tf_saved_model")`
runs), with the endpoint spelled out so that the output is named (model.export names
it `output_0`): `model(images, training=False)`, XLA off. The Keras artifact also has
ENDPOINT_NAME, the same call taking the images positionally and returning the logits
tensor, for a Python server (`serving_function`; docs/SERVING.md). TF1: the session's
graph and variables (`export_meta_graph`, re-imported), its inference feed (keep_prob
1.0, the training switch off) bound as constants, since a signature can only take the
images; written by `tf.compat.v1.saved_model.Builder`. (Freezing the variables into constants
instead moved deep_cnn's logits 1.6e-5: other kernels run on constant weights.)
"""

import keras
import tensorflow as tf

SIGNATURE_NAME = "serving_default"
INPUT_NAME = "images"
OUTPUT_NAME = "logits"
ENDPOINT_NAME = "serve"

_V1 = tf.compat.v1


def write_keras_artifact(model, directory):
    """`model` as a SavedModel in `directory` (which must not exist yet): SIGNATURE_NAME
    and ENDPOINT_NAME."""
    signature = tf.TensorSpec((None, *model.input_shape[1:]), tf.float32, name=INPUT_NAME)

    def logits(images):
        return model(images, training=False)

    archive = keras.export.ExportArchive()
    archive.track(model)
    # serving_default is the signature TF Serving calls; ExportArchive.write_out makes
    # every endpoint a signature as well.
    archive.add_endpoint(SIGNATURE_NAME, tf.function(
        lambda images: {OUTPUT_NAME: logits(images)}, jit_compile=False), input_signature=[signature])
    archive.add_endpoint(ENDPOINT_NAME, tf.function(logits, jit_compile=False),
                         input_signature=[signature])
    archive.write_out(directory, verbose=False)


def serving_function(loaded, input_shape):
    """The call a Python server makes, from a Keras artifact loaded by
    `tf.saved_model.load`: ENDPOINT_NAME wrapped once (`tf.compat.v1.wrap_function`) so
    that each call passes its tensor straight through, without binding it to a signature
    in Python (softmax_regression: p50 88 against 122 us per one-image call through the
    signature; docs/PERFORMANCE.md). `serving_function(loaded, (784,))(tf.constant(images))`
    is the logits tensor."""
    signature = [tf.TensorSpec((None, *input_shape), tf.float32, name=INPUT_NAME)]
    return tf.compat.v1.wrap_function(getattr(loaded, ENDPOINT_NAME), signature=signature)


def _inference_meta_graph(session, endpoints):
    """(meta_graph_def, {placeholder name: value}, {variable name: value}): the session's
    graph with its variable collections, the inference feed to bind, the weights now."""
    with session.graph.as_default():
        meta_graph = _V1.train.export_meta_graph()
        variables = _V1.global_variables()
    values = dict(zip([variable.op.name for variable in variables], session.run(variables)))
    feed = {tensor.name: (value, tensor.dtype) for tensor, value in endpoints.inference_feed.items()}
    return meta_graph, feed, values


def write_tf1_artifact(session, endpoints, directory):
    """The legacy graph in `session` (weights loaded) as a SavedModel in `directory`: the
    graph itself with its variables (what the session ran), each inference-feed
    placeholder bound to a constant of its fed value (input_map)."""
    meta_graph, feed, values = _inference_meta_graph(session, endpoints)
    with tf.Graph().as_default() as graph:
        bound = {name: tf.constant(value, dtype=dtype) for name, (value, dtype) in feed.items()}
        _V1.train.import_meta_graph(meta_graph, input_map=bound)
        images = graph.get_tensor_by_name(endpoints.images.name)
        logits = graph.get_tensor_by_name(endpoints.logits.name)
        with _V1.Session(graph=graph) as export_session:
            for variable in _V1.global_variables():
                variable.load(values[variable.op.name], export_session)
            builder = _V1.saved_model.Builder(directory)
            builder.add_meta_graph_and_variables(
                export_session, [_V1.saved_model.tag_constants.SERVING],
                signature_def_map={SIGNATURE_NAME: _V1.saved_model.predict_signature_def(
                    inputs={INPUT_NAME: images}, outputs={OUTPUT_NAME: logits})},
                strip_default_attrs=True)
            builder.save()
