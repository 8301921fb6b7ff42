"""The state a training step moves besides the weights it trains: batch norm's moving mean and
variance (the Keras model's non-trainable weights), compared between TF1 and Keras within
tolerances.MOVING_STATISTICS_* (the table says why).

Training-mode losses normalize by the batch's statistics, so a wrong moving-average update
(Keras' uncorrected batch variance against TF1's fused, Bessel-corrected one; another momentum)
leaves every loss equal: it shows here, and at inference after training. It is judged after the
first step, both sides from TF1's weights: there only the update rule can part them. Later
updates read batch statistics of weights the steps have moved apart (Adam's first steps move a
weight by about +-lr whatever its gradient's size: slim LeNet's kernels up to 2.6e-2 apart after
10 steps, fc3's moving mean up to 8e-2, varying from run to run), so after the last step they are
reported (final_weight_max_abs_diff), not judged. The snapshots are taken inside the check's
own steps (the train_steps hooks), so the check costs no extra step:

    first = moving_statistics.FirstStep(mapping, tf1, keras_side)
    tf1.train_steps(batches, tf1_optimizer, after_first=first.tf1_hook)
    keras_side.train_steps(batches, keras_optimizer, keras_loss, after_first=first.keras_hook)
    failures = moving_statistics.failures(first.comparisons())
"""

from tf1_to_keras.harness import closeness, tolerances


def non_trainable_paths(keras_side):
    """The paths (as KerasModel.weights() names them) of the model's non-trainable weights."""
    if not hasattr(keras_side.model, "layers"):
        return []  # a side replayed from a record (another backend's run) holds no live layers
    prefix = keras_side.model.name + "/"
    return [variable.path.removeprefix(prefix) for layer in keras_side.model.layers
            for variable in layer.non_trainable_weights]


def compare(mapping, tf1, keras_side, when="after the last step"):
    """{Keras path: closeness.Comparison} of each non-trainable weight the name map fills, Keras'
    value against TF1's converted one; the name says layer, variable, `when`, TF1 source."""
    return FirstStep(mapping, tf1, keras_side, when).taken().comparisons()


class FirstStep:
    """The moving statistics of both sides after their first step, snapshotted by the hooks the
    two train_steps call (`tf1_hook`, `keras_hook`): no extra step, no second training graph.
    `comparisons()` is {} when the model has none."""

    def __init__(self, mapping, tf1, keras_side, when="after step 1"):
        self.mapping, self.tf1, self.keras_side, self.when = mapping, tf1, keras_side, when
        self.paths = [path for path in non_trainable_paths(keras_side) if path in mapping.sources()]
        self.expected, self.actual = {}, {}

    def tf1_hook(self):
        if self.paths:
            converted = self.mapping.convert(self.tf1.variables())
            self.expected = {path: converted[path] for path in self.paths if path in converted}

    def keras_hook(self):
        if self.paths:
            weights = self.keras_side.weights()
            self.actual = {path: weights[path] for path in self.paths}

    def taken(self):
        """Both snapshots now (the states as they stand)."""
        self.tf1_hook()
        self.keras_hook()
        return self

    def comparisons(self):
        layers, sources = self.keras_side.weight_layers(), self.mapping.sources()
        comparisons = {}
        for path, expected in self.expected.items():
            name = (f"training steps: layer {layers[path]!r} {path.rpartition('/')[2]} {self.when} (TF1 "
                    f"{', '.join(sources[path])})")
            comparisons[path] = closeness.compare(self.actual[path], expected, name=name,
                                                  atol=tolerances.MOVING_STATISTICS_ATOL,
                                                  rtol=tolerances.MOVING_STATISTICS_RTOL)
        return comparisons


def failures(comparisons):
    """The message of each comparison beyond its bar, in the model's layer order."""
    return [comparison.message for comparison in comparisons.values() if not comparison.passed]
