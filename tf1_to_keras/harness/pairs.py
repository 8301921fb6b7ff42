"""A TF1 model and its Keras port held together: one name map, one tolerance policy, the
optimizers and loss of the training checks, and every result so far.

    with harness.Pair(build_tf1_graph, build_keras_model, name_map="name_map.json",
                      tf1_optimizer=lambda: tf.train.AdamOptimizer(1e-3),
                      keras_optimizer=lambda: harness.keras_adam_like_tf1(1e-3),
                      keras_loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)) as pair:
        pair.structure()
        pair.forward(x_test)
        pair.training_steps(harness.make_batches(x_train, y_train, 32, 100))
        pair.report()          # one report entry: combine() of every check run

The checks are the harness's own (tf1_to_keras/harness/checks.py); each returns its
result, without raising, and keeps it for `report()`. The pytest plugin
(tf1_to_keras/pytest_plugin.py) and `tf1-to-keras verify` are built on this.
"""

import os

from tf1_to_keras.harness import checks, keras_models, name_maps, results, tf1_models

NO_CHECK = "no parity check ran"


def as_name_map(name_map):
    """A NameMap from a NameMap, its JSON form (a dict), a JSON file's path, or None."""
    if name_map is None or isinstance(name_map, name_maps.NameMap):
        return name_map
    if isinstance(name_map, dict):
        return name_maps.NameMap.from_json(name_map)
    if isinstance(name_map, (str, os.PathLike)):
        return name_maps.NameMap.from_file(name_map)
    raise ValueError(f"name_map {name_map!r}; expected a harness.NameMap, its JSON form (a dict) "
                     "or the path of a name-map file")


class Pair:
    """`tf1`: a TF1Model or a builder function; `keras`: a KerasModel, a keras.Model or a
    function returning one; both built with `seed`. `checkpoint`: the TF1 weights to start
    from (TF1Model.restore). Optimizers and loss: the training checks' defaults."""

    def __init__(self, tf1, keras, name_map=None, tolerances=None, seed=0, checkpoint=None,
                 tf1_optimizer=None, keras_optimizer=None, keras_loss=None, tf1_feed=None):
        self.name_map, self.tolerances = as_name_map(name_map), tolerances
        self.training = {"tf1_optimizer": tf1_optimizer, "keras_optimizer": keras_optimizer,
                         "keras_loss": keras_loss, "tf1_feed": tf1_feed}
        self._owns_tf1 = not isinstance(tf1, tf1_models.TF1Model)
        self.tf1 = tf1_models.TF1Model.from_builder(tf1, seed=seed) if self._owns_tf1 else tf1
        try:
            self.skipped_from_checkpoint = self.tf1.restore(checkpoint) if checkpoint else []
            self.keras = keras if isinstance(keras, keras_models.KerasModel) else keras_models.KerasModel(
                keras, seed=seed)
        except BaseException:
            self.close()
            raise
        self.results = []

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        """Closes the TF1 session when this Pair built the TF1Model."""
        if self._owns_tf1:
            self.tf1.close()

    def _kept(self, result):
        self.results.append(result)
        return result

    def _common(self):
        return {"name_map": self.name_map, "tolerances": self.tolerances}

    def _training(self, overrides):
        chosen = {**self.training, **{key: value for key, value in overrides.items() if value is not None}}
        missing = [key for key in ("tf1_optimizer", "keras_optimizer", "keras_loss") if chosen[key] is None]
        if missing:
            raise ValueError(f"training needs {', '.join(missing)}: give it to Pair(...) (or to the "
                             "parity marker) or to this call")
        return chosen

    def structure(self):
        """checks.check_structure on the pair; the StructureResult."""
        return self._kept(checks.check_structure(self.tf1, self.keras, **self._common()))

    def forward(self, x, batch_size=1000):
        """checks.check_forward on `x`; the ForwardResult."""
        return self._kept(checks.check_forward(self.tf1, self.keras, x, batch_size=batch_size,
                                               **self._common()))

    def training_steps(self, batches, tf1_optimizer=None, keras_optimizer=None, keras_loss=None,
                       tf1_feed=None):
        """checks.check_training_steps on `batches` ([(x, y)], e.g. harness.make_batches);
        optimizers and loss default to the Pair's. The TrainingStepsResult."""
        training = self._training({"tf1_optimizer": tf1_optimizer, "keras_optimizer": keras_optimizer,
                                   "keras_loss": keras_loss, "tf1_feed": tf1_feed})
        return self._kept(checks.check_training_steps(self.tf1, self.keras, batches, **training,
                                                      **self._common()))

    def metric(self, train_batches, x_test, y_test, metric=checks.accuracy, init="own",
               tf1_optimizer=None, keras_optimizer=None, keras_loss=None, tf1_feed=None):
        """checks.check_metric: both sides train `train_batches`, then `metric` on the test
        data (accuracy by default) within metric_gap. The MetricResult."""
        training = self._training({"tf1_optimizer": tf1_optimizer, "keras_optimizer": keras_optimizer,
                                   "keras_loss": keras_loss, "tf1_feed": tf1_feed})
        return self._kept(checks.check_metric(self.tf1, self.keras, train_batches, x_test, y_test,
                                              metric=metric, init=init, **training, **self._common()))

    @property
    def passed(self):
        """Whether at least one check ran and every one passed."""
        return bool(self.results) and all(result.passed for result in self.results)

    def report(self):
        """One report entry (results.combine) of the checks run, and their names under
        "checks"; with none run, passed False and the failure "no parity check ran"."""
        names = [result.check for result in self.results]
        if not self.results:
            return {"checks": [], "passed": False, "failures": [NO_CHECK]}
        return {"checks": names, **results.combine(self.results)}
