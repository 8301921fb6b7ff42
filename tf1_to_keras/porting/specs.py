"""What recognition hands to code generation and weight conversion: plain data, no TensorFlow.

A `RecognisedModel` is the ported model as a person would describe it: its inputs, its
layers in order (each a Keras class, the constructor's settings, the TF1 ops it stands for,
and the TF1 variables its weights come from), the TF1 output tensor, and every op on the
path from the inputs to the output that no layer accounts for.
"""

import dataclasses


@dataclasses.dataclass(frozen=True)
class KerasObject:
    """A constructor call in the generated code, e.g. KerasObject("keras.initializers.TruncatedNormal",
    {"stddev": 0.1}) -> `keras.initializers.TruncatedNormal(stddev=0.1)`."""

    path: str
    kwargs: dict = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class WeightSource:
    """One Keras weight of a layer and the TF1 variable it is converted from.

    `keras_weight`: the weight's name in its layer ("kernel", "bias", "gamma", "beta",
    "moving_mean", "moving_variance", "recurrent_kernel"); `tf1_variable`: the variable's
    name without ":0" ("conv1/weights"); `transform`: a harness transform
    (tf1_to_keras.harness.transpose/reshape/lstm_cell/...) when the layouts differ, else None.
    """

    keras_weight: str
    tf1_variable: str
    transform: object = None


@dataclasses.dataclass
class LayerSpec:
    """One Keras layer of the port.

    `name`: the Keras layer name, the TF1 scope it comes from ("conv1", "dense_1");
    `keras_class`: the class in `keras.layers` ("Dense", "Conv2D", "MaxPooling2D", "Flatten",
    "Reshape", "Dropout", "BatchNormalization", "ReLU", "Activation", "LSTM", ...);
    `config`: the constructor's keyword arguments besides `name` (Python literals, tuples, or
    KerasObject for initializers/regularizers), only those that differ from Keras' defaults or
    that a reader needs to see (units, filters, kernel_size, padding, activation, rate...);
    `tf1_ops`: the names of the TF1 ops the layer stands for; `weights`: its WeightSources;
    `inputs`: the layer names (or input names) feeding it, empty for "the previous layer" in a
    chain; `tf1_output`: the TF1 tensor ("conv1/Relu:0") its output equals, for per-layer
    forward checks; `notes`: what a reader must know ("rate 0.5: 1 - keep_prob's training feed").
    """

    name: str
    keras_class: str
    config: dict = dataclasses.field(default_factory=dict)
    tf1_ops: list = dataclasses.field(default_factory=list)
    weights: list = dataclasses.field(default_factory=list)
    inputs: list = dataclasses.field(default_factory=list)
    tf1_output: str = ""
    notes: list = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class InputSpec:
    """A model input: its Keras name, the TF1 tensor fed ("x:0", "IteratorGetNext:0"), its
    shape without the batch dimension, its dtype name ("float32")."""

    name: str
    tf1_tensor: str
    shape: tuple
    dtype: str = "float32"


@dataclasses.dataclass
class OptimizerSpec:
    """The program's optimizer as recognised from its update ops, and its Keras equivalent.

    `tf1`: "AdamOptimizer", "GradientDescentOptimizer", ...; `settings`: what the graph holds
    (learning_rate, beta1, beta2, epsilon, momentum...); `keras`: the Keras optimizer call with
    TF1's rules applied (KerasObject), or None when there is no faithful equivalent; `notes`.
    """

    tf1: str
    settings: dict
    keras: object = None
    notes: list = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class LossSpec:
    """The program's loss as Keras would compute it on the model's output.

    `keras_class`: the class in `keras.losses` ("MeanSquaredError", "CategoricalCrossentropy",
    ...) or None when none matches; `arguments`: its literal kwargs ({"from_logits": True},
    {"reduction": "sum"}); `scale`: the factor that makes the Keras loss equal TF1's (0.5 for
    `reduce_mean(square(h - y)) / 2`), 1.0 normally; `regularization`: [(layer name, "l2",
    factor)] for the loss' weight penalty terms (`beta * tf.nn.l2_loss(w)`: factor beta / 2, as
    keras.regularizers.L2(factor) adds factor * sum(w**2)); `description`: the TF1 form in
    words; `user_must_write`: when no Keras loss matches, what the user must write, else None.
    """

    keras_class: object = None
    arguments: dict = dataclasses.field(default_factory=dict)
    scale: float = 1.0
    regularization: list = dataclasses.field(default_factory=list)
    description: str = ""
    user_must_write: object = None


@dataclasses.dataclass
class RecognisedModel:
    """The model found in a captured graph; see the module docstring."""

    inputs: list                      # [InputSpec]
    output: str                       # TF1 output tensor name ("add_3:0"), logits when there is a loss
    layers: list                      # [LayerSpec], in execution order
    unrecognised_ops: list = dataclasses.field(default_factory=list)  # [(op type, op name)]
    labels: str = ""                  # TF1 labels tensor of the loss, when found
    loss: str = ""                    # TF1 loss tensor, when found
    optimizer: object = None          # OptimizerSpec or None
    loss_spec: object = None          # LossSpec or None (loss_reading; else training_codegen's fallback)
    notes: list = dataclasses.field(default_factory=list)

    @property
    def is_chain(self):
        """True when each layer takes the previous one's output: Sequential code."""
        return len(self.inputs) == 1 and all(not layer.inputs for layer in self.layers)


@dataclasses.dataclass
class CapturedProgram:
    """A TF1 program's graph and weights as `capture` saved them (files in `directory`).

    `meta_graph` and `checkpoint`: the graph (tf.train.export_meta_graph) and a Saver
    checkpoint prefix of every variable, loadable with harness.TF1Model.from_checkpoint;
    `program`, `arguments`: what ran; `captured_at`: where the run was stopped ("the first
    training Session.run, mnist_deep.py:131"); `weights_origin`: "initial" (the values at that
    run, before its step), "restored by the program from PREFIX" (it resumed a checkpoint before
    that run) or "checkpoint PATH" (`checkpoint=`); `feeds`: {placeholder tensor name:
    value} of that run's scalar/bool feeds (keep_prob 0.5, training True), from which dropout
    rates are read; `fetches`: the names that run fetched; `training_op`: the fetched op that
    trains (or --train-op's); `other_training_ops`: the graph's training ops that run does not
    run (a GAN's other optimizer); `feed_file`: an .npz of every array that run fed, under the
    keys `feed_arrays` ({tensor name: key}) gives.
    """

    program: str
    arguments: list
    directory: str
    meta_graph: str
    checkpoint: str
    captured_at: str
    weights_origin: str
    feeds: dict = dataclasses.field(default_factory=dict)
    fetches: list = dataclasses.field(default_factory=list)
    training_op: str = ""
    other_training_ops: list = dataclasses.field(default_factory=list)
    feed_file: str = ""
    feed_arrays: dict = dataclasses.field(default_factory=dict)
    # distribution_reading.read of the live graph (devices, SyncReplicasOptimizer), or None.
    distribution: dict = None
    timings: dict = dataclasses.field(default_factory=dict)  # the worker's clock (stage_timing)

    def fed(self):
        """{tensor name: array} of what the training run fed (empty when nothing was saved)."""
        if not self.feed_arrays:
            return {}
        import numpy as np  # specs stays plain data; only this reader needs arrays
        with np.load(self.feed_file, allow_pickle=False) as arrays:
            return {name: arrays[key] for name, key in self.feed_arrays.items()}
