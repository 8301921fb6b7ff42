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
reported (final_weight_max_abs_diff), not judged. A TF1 optimizer object steps twice as it is
(each train_steps starts a session that initializes its slots); a Keras one is copied.

    first = moving_statistics.after_first_step(mapping, tf1, keras_side, batches, tf1_optimizer,
                                               keras_optimizer, keras_loss, tf1_feed)
    failures = moving_statistics.failures(first)
"""

import keras

from tf1_to_keras.harness import closeness, tolerances


def non_trainable_paths(keras_side):
    """The paths (as KerasModel.weights() names them) of the model's non-trainable weights."""
    prefix = keras_side.model.name + "/"
    return [variable.path.removeprefix(prefix) for layer in keras_side.model.layers
            for variable in layer.non_trainable_weights]


def compare(mapping, tf1, keras_side, when="after the last step"):
    """{Keras path: closeness.Comparison} of each non-trainable weight the name map fills, Keras'
    value against TF1's converted one; the name says layer, variable, `when`, TF1 source."""
    expected, actual = mapping.convert(tf1.variables()), keras_side.weights()
    layers, sources = keras_side.weight_layers(), mapping.sources()
    comparisons = {}
    for path in [path for path in non_trainable_paths(keras_side) if path in expected]:
        variable = path.rpartition("/")[2]
        name = (f"training steps: layer {layers[path]!r} {variable} {when} (TF1 "
                f"{', '.join(sources[path])})")
        comparisons[path] = closeness.compare(actual[path], expected[path], name=name,
                                              atol=tolerances.MOVING_STATISTICS_ATOL,
                                              rtol=tolerances.MOVING_STATISTICS_RTOL)
    return comparisons


def _fresh(optimizer):
    """A function returning a fresh Keras optimizer: `optimizer` when it is one, else a copy of
    the optimizer object from its config (that object must not step before the check's steps)."""
    if isinstance(optimizer, keras.optimizers.Optimizer):
        return lambda: optimizer.__class__.from_config(optimizer.get_config())
    return optimizer


def after_first_step(mapping, tf1, keras_side, batches, tf1_optimizer, keras_optimizer, keras_loss,
                     tf1_feed=None):
    """{Keras path: Comparison} of the moving statistics after one step on batches[0], both sides
    from TF1's weights, which both hold again afterwards; {} when the model has none."""
    if not any(path in mapping.sources() for path in non_trainable_paths(keras_side)):
        return {}
    tf1.train_steps(batches[:1], tf1_optimizer, feed=tf1_feed)
    keras_side.train_steps(batches[:1], _fresh(keras_optimizer), keras_loss)
    comparisons = compare(mapping, tf1, keras_side, when="after step 1")
    tf1.reset()
    keras_side.reset()
    keras_side.assign(mapping.convert(tf1.variables()))
    return comparisons


def failures(comparisons):
    """The message of each comparison beyond its bar, in the model's layer order."""
    return [comparison.message for comparison in comparisons.values() if not comparison.passed]
