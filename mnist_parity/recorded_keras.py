"""A Keras side measured in another process (backend_side.py), replayed into the harness.

`RecordedKerasModel` answers what the harness's checks ask of a `harness.KerasModel`
(weights, layers, taps, outputs, the losses of training steps) with what the Keras side
recorded on its backend, so `compare --keras-backend jax` judges that side with the same
`harness.check_structure / check_forward / check_training_steps` as on TensorFlow. It only
replays what was computed: weights assigned other than the recorded ones (TF1's, through
the name map), batches other than the recorded ones, or layers not tapped raise ModelError.
"""

import numpy as np

from tf1_to_keras.harness import errors, structure


class _Counted:
    """`model.count_params()`, the one thing check_structure reads off the model itself."""

    def __init__(self, count, name):
        self._count, self.name = count, name

    def count_params(self):
        return self._count


def _same(first, second):
    return first.keys() == second.keys() and all(
        np.array_equal(np.asarray(first[name]), np.asarray(second[name])) for name in first)


class RecordedKerasModel:
    """The harness.KerasModel interface over one backend_side.variant_results record."""

    def __init__(self, record, batches, backend, images):
        self.record, self.batches, self.backend, self.images = record, batches, backend, images
        self.description = f"Keras model (recorded on {backend})"
        self.model = _Counted(record["count_params"], self.description)
        self._weights = record["initial_weights"]

    def weights(self):
        return dict(self._weights)

    def weight_layers(self):
        return dict(self.record["weight_layers"])

    def layer_summaries(self):
        return [structure.LayerSummary(row["name"], None if row["output_shape"] is None
                                       else tuple(row["output_shape"]), row["parameter_count"])
                for row in self.record["layer_summaries"]]

    def tappable_layers(self):
        return list(self.record["tappable"])

    def input_shape(self):
        return self.record["input_shape"]

    def reset(self):
        self._weights = self.record["initial_weights"]

    def assign(self, values):
        if not _same(values, self.record["assigned"]):
            raise errors.ModelError(f"{self.description}: assigned weights other than the TF1 "
                                    "weights it was measured from; it can only replay those")
        self._weights = self.record["assigned"]

    def _check_assigned(self, what):
        if self._weights is not self.record["assigned"]:
            raise errors.ModelError(f"{self.description}: {what} before TF1's weights were assigned")

    def tap(self, x, names, batch_size=1000):
        self._check_assigned("tap")
        missing = [name for name in names if name not in self.record["taps"]]
        if missing:
            raise errors.ModelError(f"{self.description}: cannot tap {missing}; recorded "
                                    f"{list(self.record['taps'])}")
        self._check_images(x)
        return {name: self.record["taps"][name] for name in names}

    def _check_images(self, x):
        if not np.array_equal(x, self.images):
            raise errors.ModelError(f"{self.description}: asked about images other than the "
                                    f"{len(self.images)} it was recorded on")

    def predict(self, x, batch_size=1000):
        self._check_assigned("predict")
        self._check_images(x)
        return self.record["logits"]

    def train_steps(self, batches, optimizer=None, loss=None, run_eagerly=False, after_first=None):
        """The recorded losses, for the batches they were recorded on (the optimizer and loss
        were the backend's: record["optimizer"]); `after_first` is not called: the record holds
        no state after step 1 (the five twins have no batch norm)."""
        self._check_assigned("train_steps")
        batches = list(batches)
        if len(batches) != len(self.batches) or not all(
                np.array_equal(x, rx) and np.array_equal(y, ry)
                for (x, y), (rx, ry) in zip(batches, self.batches)):
            raise errors.ModelError(f"{self.description}: train_steps on batches other than the "
                                    f"{len(self.batches)} it was recorded on")
        self._weights = self.record["final_weights"]
        return list(self.record["losses"])
