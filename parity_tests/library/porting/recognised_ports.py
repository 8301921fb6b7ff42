"""A captured program's recognised layers on both sides: a Keras Sequential of them (and the
name map their weight sources spell out), and the captured TF1 graph restored with them as
taps. constructs/test_rnn_cells.py and test_training_parity.py check ports built this way."""

import keras

from tf1_to_keras import harness
from tf1_to_keras.porting import constructs, recognition, specs, training_parity, weights


def keras_port(recognised, seed=0):
    """(KerasModel, NameMap): a Sequential model of the recognised layers, and the map its
    WeightSources spell out."""
    def build():
        layers = [keras.Input(recognised.inputs[0].shape)]
        for layer in recognised.layers:
            config = {key: training_parity.instantiate(value) if isinstance(value, specs.KerasObject) else value
                      for key, value in layer.config.items()}
            layer_class = constructs.custom_layers().get(layer.keras_class) or getattr(keras.layers, layer.keras_class)
            layers.append(layer_class(name=layer.name, **config))
        return keras.Sequential(layers)
    keras_side = harness.KerasModel(build, seed=seed)
    return keras_side, weights.name_map(recognised, keras_side.weight_layers())


def captured_tf1(captured, recognised):
    """The captured graph restored, with the recognised layers as taps and the training loss."""
    graph = recognition.load_graph(captured)
    loss = training_parity.minimised_loss(graph)
    return harness.TF1Model.from_checkpoint(
        captured.checkpoint, recognised.inputs[0].tf1_tensor, recognised.output, meta_graph=captured.meta_graph,
        labels=recognised.labels, loss=loss.name,
        layers={layer.name: layer.tf1_output for layer in recognised.layers if layer.tf1_output})
