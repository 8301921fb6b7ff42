"""The Keras side: a team's Keras 3 port, given as a model or a function returning one.

    keras_side = harness.KerasModel(build_keras_model, seed=0)
    keras_side.weights()     # {"hidden/kernel": array, "hidden/bias": array, ...}

A weight is named by its Keras path inside the model, without the model's own name:
`dense/kernel`, `bn/moving_mean`, `lstm/lstm_cell/recurrent_kernel`, `block/conv/kernel`
for a nested model. Name the Keras layers like the TF1 scopes (and the TF1 `layers`
taps) and the name map, the structure check and the per-layer forward check line up
by themselves.

The model must be built (start it with `keras.Input(shape)`); Sequential and
functional models can be tapped per layer, subclassed ones only compared on their
outputs. `reset()` puts back the weights it had when wrapped; every check starts
from there. `train_steps` compiles the model with the given optimizer and loss (no
XLA, like the TF1 graph) and takes one `train_on_batch` step per batch.

`KerasModel(..., graph=True)` runs predict and tap inside a tf.function (no XLA), as
`fit` and `predict` run a model; TF1's graph and Keras' then fuse the same kernels
(MatMul + BiasAdd): the kit's lenet5 logits are bitwise equal that way, and 2.2e-7
apart eagerly (the default).

`keras_adam_like_tf1(learning_rate)` is the Keras Adam that steps like TF1's
`AdamOptimizer`: epsilon 1e-8 (Keras defaults to 1e-7) and betas rounded to float32
the way TF1's kernel computes 1 - beta.
"""

import keras
import numpy as np
import tensorflow as tf

from tf1_to_keras.harness import structure
from tf1_to_keras.harness import data, errors


def keras_adam_like_tf1(learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8):
    """keras.optimizers.Adam with TF1 AdamOptimizer's defaults and arithmetic."""
    return keras.optimizers.Adam(learning_rate, beta_1=float(np.float32(beta1)),
                                 beta_2=float(np.float32(beta2)), epsilon=epsilon)


def _call(function, where):
    try:
        return function()
    except errors.HarnessInputError:
        raise
    except Exception as error:  # a team's code: any failure is bad input, named
        raise errors.ModelError(f"{where} raised {type(error).__name__}: {error}") from error


class KerasModel:
    """A built keras.Model with its weights by path; `model_or_function` is a keras.Model or a
    function returning one (called after keras.utils.set_random_seed(seed) when seed is given).
    `graph=True`: predict and tap in a tf.function rather than eagerly."""

    def __init__(self, model_or_function, seed=None, graph=False):
        where = f"Keras model function {getattr(model_or_function, '__name__', model_or_function)!r}"
        if seed is not None:
            keras.utils.set_random_seed(seed)
        model = model_or_function
        if not isinstance(model, keras.Model):
            if not callable(model):
                raise errors.ModelError(f"Keras side {model!r}; expected a keras.Model or a function "
                                        "returning one")
            model = _call(model_or_function, where)
            if not isinstance(model, keras.Model):
                raise errors.ModelError(f"{where} returned a {type(model).__name__}; expected a keras.Model")
        self.description = f"Keras model {model.name!r}"
        if not model.built:
            raise errors.ModelError(f"{self.description} is not built; start it with keras.Input(shape) "
                                    "or call model.build((None, ...))")
        self.model, self.graph = model, graph
        self._calls = {}  # _inference_call's, by the model (None) or the tuple of tapped layers
        self._variables, self._layer_of = self._weight_variables()
        self._initial = self.weights()

    def _weight_variables(self):
        prefix = self.model.name + "/"
        variables, layer_of = {}, {}
        for layer in self.model.layers:
            for variable in layer.weights:
                path = variable.path.removeprefix(prefix)
                if path in variables and variables[path] is not variable:
                    raise errors.ModelError(f"{self.description}: two weights at path {path!r}; "
                                            "give the layers distinct names")
                variables[path], layer_of[path] = variable, layer.name
        return variables, layer_of

    # --- weights --------------------------------------------------------------------------------

    def weights(self):
        """{path: array} of every weight (trainable or not), in the model's layer order."""
        # variable.numpy(): keras.ops.convert_to_numpy(variable) goes through np.array(variable),
        # whose __array__ takes no copy keyword (NumPy 2 warns of it, once per call).
        return {path: variable.numpy() for path, variable in self._variables.items()}

    def weight_layers(self):
        """{path: name of the model's layer that holds it}."""
        return dict(self._layer_of)

    def assign(self, values):
        """Loads {path: array}; checks every path and shape first (ModelError listing each)."""
        shapes = {path: tuple(variable.shape) for path, variable in self._variables.items()}
        problems = [f"{path}: no such weight" for path in values if path not in shapes]
        problems += [f"{path}: shape {np.shape(value)}, expected {shapes[path]}"
                     for path, value in values.items() if path in shapes and np.shape(value) != shapes[path]]
        if problems:
            raise errors.ModelError(f"{self.description}: cannot assign:\n  " + "\n  ".join(problems))
        for path, value in values.items():
            self._variables[path].assign(np.asarray(value))

    def reset(self):
        """The weights the model had when wrapped."""
        self.assign(self._initial)

    # --- layers ---------------------------------------------------------------------------------

    def layer_summaries(self):
        """structure.LayerSummary per layer (output shape None where the model has no graph)."""
        return [structure.LayerSummary(layer.name, self._output_shape(layer), layer.count_params())
                for layer in self.model.layers if not isinstance(layer, keras.layers.InputLayer)]

    @staticmethod
    def _output_shape(layer):
        try:
            return tuple(layer.output.shape)
        except (AttributeError, ValueError):  # a subclassed model's layers have no symbolic output
            return None

    def tappable_layers(self):
        """Names of the layers whose outputs tap() can return, in order."""
        return [summary.name for summary in self.layer_summaries() if summary.output_shape is not None]

    def input_shape(self):
        """One example's shape (None: any size), {name: shape} for several named inputs, or
        None for a subclassed model (no symbolic inputs: the data's shape is not checked)."""
        inputs = getattr(self.model, "inputs", None) or []
        if len(inputs) > 1:
            return {tensor.name: tuple(tensor.shape[1:]) for tensor in inputs}
        return tuple(inputs[0].shape[1:]) if inputs else None

    # --- running --------------------------------------------------------------------------------

    def _inference_call(self, key, model_factory):
        """`model(inputs, training=False)` of `model_factory()`, as a tf.function when `graph`,
        made once per `key` (the model, or a tap set): a new tf.function per call traced again
        every time (and TensorFlow warned of the retracing)."""
        if key not in self._calls:
            model = model_factory()

            def call(inputs):
                return model(inputs, training=False)
            self._calls[key] = tf.function(call, jit_compile=False) if self.graph else call
        return self._calls[key]

    def _batched(self, key, model_factory, x, batch_size):
        x = data.check_inputs(x, self.input_shape(), f"{self.description} input")
        call = self._inference_call(key, model_factory)
        return [call(data.rows(x, slice(start, start + batch_size)))
                for start in range(0, data.count(x), batch_size)]

    def predict(self, x, batch_size=1000):
        """The model's output for `x`, in inference mode (training=False), as NumPy."""
        outputs = self._batched(None, lambda: self.model, x, batch_size)
        if not all(keras.ops.is_tensor(output) for output in outputs):
            raise errors.ModelError(f"{self.description} returns {type(outputs[0]).__name__}; the harness "
                                    "compares one output tensor")
        return np.concatenate([keras.ops.convert_to_numpy(output) for output in outputs])

    def tap(self, x, names, batch_size=1000):
        """{layer: output} of the named layers for `x`, in inference mode."""
        names = list(names)
        unknown = [name for name in names if name not in self.tappable_layers()]
        if unknown:
            raise errors.ModelError(f"{self.description}: cannot tap {unknown}; tappable layers: "
                                    f"{self.tappable_layers()}")
        if not names:
            return {}
        inputs = self.model.inputs[0] if len(self.model.inputs) == 1 else self.model.inputs
        runs = self._batched(tuple(names), lambda: keras.Model(
            inputs, {name: self.model.get_layer(name).output for name in names}), x, batch_size)
        return {name: np.concatenate([keras.ops.convert_to_numpy(run[name]) for run in runs])
                for name in names}

    def train_steps(self, batches, optimizer, loss, run_eagerly=False, after_first=None):
        """compile(optimizer, loss), then one train_on_batch per (x, y) batch; each step's loss
        (before its update). `optimizer`: a Keras optimizer that has not stepped yet, or a
        function returning one (preferred). `after_first()` is called after the first step."""
        if callable(optimizer) and not isinstance(optimizer, keras.optimizers.Optimizer):
            optimizer = optimizer()
        if not isinstance(optimizer, keras.optimizers.Optimizer):
            raise errors.ModelError(f"Keras optimizer {optimizer!r}; expected a keras.optimizers.Optimizer "
                                    "or a function returning one")
        if int(optimizer.iterations) != 0:
            raise errors.ModelError(f"Keras optimizer {optimizer.name!r} already took "
                                    f"{int(optimizer.iterations)} steps; pass a function returning "
                                    "a fresh one")
        batches = data.check_batches(batches)
        self.model.compile(optimizer=optimizer, loss=loss, jit_compile=False, run_eagerly=run_eagerly)
        losses = []
        for x, y in batches:
            x = data.check_inputs(x, self.input_shape(), f"{self.description} input")
            losses.append(float(self.model.train_on_batch(x, y)))
            if after_first is not None and len(losses) == 1:
                after_first()
        return losses
