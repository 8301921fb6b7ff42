"""Per-layer output shapes and parameter counts of both sides, and their differences."""

import dataclasses

import keras
import numpy as np


@dataclasses.dataclass(frozen=True)
class LayerSummary:
    """One layer: its name, output shape (batch axis None) and parameter count."""

    name: str
    output_shape: tuple
    parameter_count: int


def legacy_structure(endpoints):
    """LayerSummary per named layer of a TF1 graph (GraphEndpoints), in order."""
    summaries = []
    for name, tensor in endpoints.layers.items():
        variables = endpoints.variables.get(name, [])
        count = sum(int(np.prod(variable.shape.as_list())) for variable in variables)
        summaries.append(LayerSummary(name, tuple(tensor.shape.as_list()), count))
    return summaries


def keras_structure(model):
    """LayerSummary per layer of a built Keras model (Sequential or functional), in order."""
    return [
        LayerSummary(layer.name, tuple(layer.output.shape), layer.count_params())
        for layer in model.layers
        if not isinstance(layer, keras.layers.InputLayer)
    ]


def total_parameters(summaries):
    """Sum of the layers' parameter counts."""
    return sum(summary.parameter_count for summary in summaries)


def structure_differences(legacy, keras_summaries):
    """Human-readable differences between two structures; empty when they match."""
    if [s.name for s in legacy] != [s.name for s in keras_summaries]:
        return [f"layer names differ: TF1 {[s.name for s in legacy]} vs "
                f"Keras {[s.name for s in keras_summaries]}"]
    differences = []
    for tf1_layer, keras_layer in zip(legacy, keras_summaries):
        if tf1_layer.output_shape != keras_layer.output_shape:
            differences.append(f"{tf1_layer.name}: output shape TF1 {tf1_layer.output_shape} "
                               f"vs Keras {keras_layer.output_shape}")
        if tf1_layer.parameter_count != keras_layer.parameter_count:
            differences.append(f"{tf1_layer.name}: parameters TF1 {tf1_layer.parameter_count} "
                               f"vs Keras {keras_layer.parameter_count}")
    return differences
