"""Small TF1 models that are not the kit's five and not MNIST-shaped, their Keras ports,
and deliberately broken ports, for the harness's own tests.

Each TF1 builder runs inside the fresh graph TF1Model.from_builder makes; each Keras
function returns a built model whose layer names are the TF1 scopes and taps.
"""

import keras
import numpy as np

import legacy_tf1.compat as tf
from tf1_to_keras import harness

FEATURES, CLASSES = 5, 3
IMAGE, CHANNELS, FILTERS, IMAGE_CLASSES = 8, 3, 6, 4
TIME_STEPS, SEQUENCE_FEATURES, UNITS = 6, 4, 8


# --- data: synthetic, seeded ----------------------------------------------------------------------

def regression_data(count=256, seed=0):
    """x (count, 5) and a smooth nonlinear target y (count, 1)."""
    random = np.random.RandomState(seed)
    x = random.normal(size=(count, FEATURES)).astype(np.float32)
    y = np.sin(x[:, :1]) + 0.5 * x[:, 1:2] * x[:, 2:3] - 0.3 * x[:, 3:4]
    return x, y.astype(np.float32)


def classification_data(count=300, seed=0):
    """x (count, 5) around three centres, y class indices 0..2."""
    random = np.random.RandomState(seed)
    y = random.randint(0, CLASSES, size=count)
    centres = random.normal(scale=2.0, size=(CLASSES, FEATURES))
    return (centres[y] + random.normal(size=(count, FEATURES))).astype(np.float32), y.astype(np.int64)


def image_data(count=64, seed=0):
    """8x8x3 images in [0, 1] and labels 0..3 (the brightest quadrant)."""
    random = np.random.RandomState(seed)
    x = random.uniform(size=(count, IMAGE, IMAGE, CHANNELS)).astype(np.float32)
    half = IMAGE // 2
    quadrants = np.stack([x[:, :half, :half].mean((1, 2, 3)), x[:, :half, half:].mean((1, 2, 3)),
                          x[:, half:, :half].mean((1, 2, 3)), x[:, half:, half:].mean((1, 2, 3))], axis=1)
    return x, np.argmax(quadrants, axis=1).astype(np.int64)


def sequence_data(count=48, seed=0):
    """(count, 6 steps, 4 features) sequences and labels 0..2."""
    random = np.random.RandomState(seed)
    x = random.normal(size=(count, TIME_STEPS, SEQUENCE_FEATURES)).astype(np.float32)
    return x, (np.sum(x[:, :, 0], axis=1) > 0).astype(np.int64) + (x[:, -1, 1] > 1).astype(np.int64)


# --- MLP, raw tf.Variables held in a dict, regression ---------------------------------------------

def build_regression_mlp():
    x = tf.placeholder(tf.float32, [None, FEATURES], name="x")
    y = tf.placeholder(tf.float32, [None, 1], name="y")
    shapes = {"w1": [FEATURES, 16], "b1": [16], "w2": [16, 8], "b2": [8], "w3": [8, 1], "b3": [1]}
    weights = {name: tf.Variable(tf.truncated_normal(shape, stddev=0.3) if name.startswith("w")
                                 else tf.constant(0.1, shape=shape), name=name)
               for name, shape in shapes.items()}
    hidden1 = tf.nn.tanh(tf.matmul(x, weights["w1"]) + weights["b1"])
    hidden2 = tf.nn.relu(tf.matmul(hidden1, weights["w2"]) + weights["b2"])
    output = tf.matmul(hidden2, weights["w3"]) + weights["b3"]
    return {"inputs": x, "outputs": output, "labels": y, "loss": tf.reduce_mean(tf.square(output - y)),
            "layers": {"hidden1": hidden1, "hidden2": hidden2, "output": output}}


def keras_regression_mlp(hidden2_bias=True, hidden2_activation="relu"):
    return keras.Sequential([
        keras.Input((FEATURES,)), keras.layers.Dense(16, activation="tanh", name="hidden1"),
        keras.layers.Dense(8, activation=hidden2_activation, use_bias=hidden2_bias, name="hidden2"),
        keras.layers.Dense(1, name="output")], name="regression_mlp")


# --- MLP with tf.layers, 3 classes ----------------------------------------------------------------

def build_classifier():
    x = tf.placeholder(tf.float32, [None, FEATURES], name="x")
    y = tf.placeholder(tf.int64, [None], name="y")
    hidden = tf.layers.dense(x, 16, activation=tf.nn.relu, name="hidden")
    logits = tf.layers.dense(hidden, CLASSES, name="logits")
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    return {"inputs": x, "outputs": logits, "labels": y, "loss": loss,
            "layers": {"hidden": hidden, "logits": logits}}


def keras_classifier(activation="relu"):
    return keras.Sequential([keras.Input((FEATURES,)), keras.layers.Dense(16, activation=activation, name="hidden"),
                             keras.layers.Dense(CLASSES, name="logits")], name="classifier")


# --- CNN with BatchNorm on 8x8x3 images -----------------------------------------------------------

def build_cnn():
    x = tf.placeholder(tf.float32, [None, IMAGE, IMAGE, CHANNELS], name="images")
    y = tf.placeholder(tf.int64, [None], name="labels")
    training = tf.placeholder_with_default(False, [], name="is_training")
    conv = tf.layers.conv2d(x, FILTERS, 3, padding="SAME", name="conv")
    normalized = tf.layers.batch_normalization(conv, training=training, name="bn")  # epsilon 1e-3
    relu = tf.nn.relu(normalized)
    flat = tf.reshape(relu, [-1, IMAGE * IMAGE * FILTERS])
    logits = tf.layers.dense(flat, IMAGE_CLASSES, name="logits")
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    return {"inputs": x, "outputs": logits, "labels": y, "loss": loss,
            "layers": {"conv": conv, "bn": normalized, "relu": relu, "flatten": flat, "logits": logits},
            "training_feed": {training: True}, "inference_feed": {training: False}}


def keras_cnn(padding="same", epsilon=1e-3):
    return keras.Sequential([
        keras.Input((IMAGE, IMAGE, CHANNELS)), keras.layers.Conv2D(FILTERS, 3, padding=padding, name="conv"),
        keras.layers.BatchNormalization(epsilon=epsilon, momentum=0.99, name="bn"),
        keras.layers.ReLU(name="relu"), keras.layers.Flatten(name="flatten"),
        keras.layers.Dense(IMAGE_CLASSES, name="logits")], name="cnn")


# --- RNN: the compatibility layer's cells under dynamic_rnn ---------------------------------------

def rnn_builder(cell_class):
    def build():
        x = tf.placeholder(tf.float32, [None, TIME_STEPS, SEQUENCE_FEATURES], name="sequences")
        y = tf.placeholder(tf.int64, [None], name="labels")
        outputs, _ = tf.nn.dynamic_rnn(cell_class(UNITS), x, dtype=tf.float32)
        last = outputs[:, -1]
        logits = tf.layers.dense(last, CLASSES, name="logits")
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
        return {"inputs": x, "outputs": logits, "labels": y, "loss": loss,
                "layers": {"rnn": last, "logits": logits}}
    return build


def naive_lstm_map():
    """A name map that splits BasicLSTMCell's kernel by rows but keeps TF1's i, c, f, o gate
    order: shapes and counts fit Keras' LSTM, the outputs do not."""
    return harness.NameMap(
        table={"rnn/basic_lstm_cell/kernel": ["rnn/lstm_cell/kernel", "rnn/lstm_cell/recurrent_kernel"],
               "rnn/basic_lstm_cell/bias": "rnn/lstm_cell/bias"},
        transforms={"rnn/lstm_cell/kernel": lambda kernel: kernel[:SEQUENCE_FEATURES],
                    "rnn/lstm_cell/recurrent_kernel": lambda kernel: kernel[SEQUENCE_FEATURES:]})


def keras_rnn(layer_class, **options):
    return keras.Sequential([keras.Input((TIME_STEPS, SEQUENCE_FEATURES)),
                             layer_class(UNITS, name="rnn", **options),
                             keras.layers.Dense(CLASSES, name="logits")], name="sequence_model")


# --- a 4-layer MLP whose builder returns (inputs, outputs): no taps, no training --------------------

DEEP_UNITS = {"hidden1": 16, "hidden2": 12, "hidden3": 8}


def scoped_dense(inputs, units, scope, activation=None):
    """tf.get_variable weights and biases under `scope`, the activation inside it too."""
    with tf.variable_scope(scope):
        weights = tf.get_variable("weights", [int(inputs.shape[1]), units])
        biases = tf.get_variable("biases", [units], initializer=tf.zeros_initializer())
        outputs = tf.matmul(inputs, weights) + biases
        return activation(outputs) if activation else outputs


def deep_mlp_layers():
    """The inputs and {layer: output} of the 4-layer MLP, built in the default graph."""
    x = tf.placeholder(tf.float32, [None, FEATURES], name="x")
    hidden1 = scoped_dense(x, DEEP_UNITS["hidden1"], "hidden1", tf.nn.relu)
    hidden2 = scoped_dense(hidden1, DEEP_UNITS["hidden2"], "hidden2", tf.nn.tanh)
    hidden3 = scoped_dense(hidden2, DEEP_UNITS["hidden3"], "hidden3", tf.nn.relu)
    return x, {"hidden1": hidden1, "hidden2": hidden2, "hidden3": hidden3,
               "logits": scoped_dense(hidden3, CLASSES, "logits")}


def build_deep_mlp():
    x, layers = deep_mlp_layers()
    return x, layers["logits"]


def deep_mlp_tapping(*names):
    """A dict builder of the same MLP tapping only `names` (the user's own taps)."""
    def build():
        x, layers = deep_mlp_layers()
        return {"inputs": x, "outputs": layers["logits"], "layers": {name: layers[name] for name in names}}
    return build


def keras_deep_mlp(hidden2_activation="tanh"):
    return keras.Sequential([
        keras.Input((FEATURES,)),
        keras.layers.Dense(DEEP_UNITS["hidden1"], activation="relu", name="hidden1"),
        keras.layers.Dense(DEEP_UNITS["hidden2"], activation=hidden2_activation, name="hidden2"),
        keras.layers.Dense(DEEP_UNITS["hidden3"], activation="relu", name="hidden3"),
        keras.layers.Dense(CLASSES, name="logits")], name="deep_mlp")


class SubclassedDeepMLP(keras.Model):
    """The same layers as a subclassed model: no layer outputs to tap."""

    def __init__(self, hidden2_activation="tanh"):
        super().__init__(name="deep_mlp")
        self.hidden1 = keras.layers.Dense(DEEP_UNITS["hidden1"], activation="relu", name="hidden1")
        self.hidden2 = keras.layers.Dense(DEEP_UNITS["hidden2"], activation=hidden2_activation, name="hidden2")
        self.hidden3 = keras.layers.Dense(DEEP_UNITS["hidden3"], activation="relu", name="hidden3")
        self.logits = keras.layers.Dense(CLASSES, name="logits")

    def call(self, inputs):
        return self.logits(self.hidden3(self.hidden2(self.hidden1(inputs))))


def keras_subclassed_deep_mlp(hidden2_activation="tanh"):
    model = SubclassedDeepMLP(hidden2_activation)
    model(np.zeros((1, FEATURES), np.float32))  # builds it
    return model
