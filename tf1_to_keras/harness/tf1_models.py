"""The TF1 side: a team's own graph, built by its code or restored from a checkpoint.

    def build():                     # called inside a fresh tf.Graph()
        x = tf.placeholder(tf.float32, [None, 8], name="x")
        y = tf.placeholder(tf.int64, [None], name="y")
        hidden = tf.layers.dense(x, 16, tf.nn.relu, name="hidden")
        logits = tf.layers.dense(hidden, 3, name="logits")
        loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
        return {"inputs": x, "outputs": logits, "labels": y, "loss": loss,
                "layers": {"hidden": hidden, "logits": logits}}

    with harness.TF1Model.from_builder(build, seed=0) as tf1:
        tf1.predict(x_test)

`build()` returns `(inputs, outputs)` (`return x, logits`), or a dict (or an object with these
attributes) for more: `inputs` (a placeholder, or {name: placeholder}) and `outputs` (e.g.
logits), and optionally `labels` (placeholder) and `loss` (scalar) for training, `layers`
({name: tensor} taps in order, named like the Keras layers), `training_feed` / `inference_feed`
({tensor: value}: keep_prob 0.5 / 1.0, an is_training bool) and `variables` ({layer:
[variables]}, when scopes do not group them). The kit's `legacy_tf1.endpoints.GraphEndpoints`
is taken as it is (images, logits, ...).

`TF1Model.from_checkpoint(checkpoint, inputs="x:0", outputs="logits:0", ...)` restores
a Saver checkpoint (or an Estimator model_dir's latest) into its `.meta` graph;
`tf1.restore(checkpoint)` loads one into a builder's graph by variable name.

A TF1Model owns its graph and session (a context manager; `close()`); everything runs inside
`with graph.as_default()`, so eager mode stays on for Keras. Model variables are the graph's
global variables without training state (optimizer slots, step counters: `skipped()` lists
them). `reset()` puts back the values the model started with; every check starts from there.
"""

import os

import numpy as np

import legacy_tf1.compat as tf
from tf1_to_keras.harness import data, errors, tf1_endpoints, training_state


class TF1Model:
    """A TF1 graph and session with named endpoints; build one with from_builder/from_checkpoint."""

    def __init__(self, graph, session, endpoints, description):
        self.graph, self.session, self.endpoints = graph, session, endpoints
        self.description = description
        with graph.as_default():
            variables = tf.global_variables()
        model_names, state = training_state.split_training_state(v.op.name for v in variables)
        by_name = {variable.op.name: variable for variable in variables}
        self._variables = {name: by_name[name] for name in model_names}
        self._skipped = [(name, tuple(by_name[name].shape.as_list())) for name in state]
        self._initial = self.variables()
        self._last_training = None  # (train op, initializers, start values) of the last train_steps

    @classmethod
    def from_builder(cls, build, seed=None):
        """Calls `build()` in a fresh graph (graph seed `seed`); ModelError if it raises or
        returns something other than the endpoints ((inputs, outputs) or a dict)."""
        where = f"TF1 builder {getattr(build, '__name__', build)!r}"
        graph = tf.Graph()
        with graph.as_default():
            if seed is not None:
                tf.set_random_seed(seed)
            try:
                built = build()
            except errors.HarnessInputError:
                raise
            except Exception as error:  # a team's code: any failure is bad input, named
                raise errors.ModelError(f"{where} raised {type(error).__name__}: {error}") from error
            endpoints = tf1_endpoints.endpoints_from(built, graph, where)
            initializers = [tf.global_variables_initializer(), tf.local_variables_initializer()]
        session = tf.Session(graph=graph)
        session.run(initializers)
        return cls(graph, session, endpoints, where)

    @classmethod
    def from_checkpoint(cls, checkpoint, inputs, outputs, meta_graph=None, labels=None, loss=None,
                        layers=None, training_feed=None, inference_feed=None):
        """Restores `checkpoint` (a Saver prefix, or a directory: its latest checkpoint) into
        `meta_graph` (default: the prefix + ".meta"); tensors given by name ("x:0")."""
        prefix = tf1_endpoints.checkpoint_prefix(checkpoint)
        meta_graph = os.fspath(meta_graph) if meta_graph else prefix + ".meta"
        if not os.path.isfile(meta_graph):
            raise errors.ModelError(f"checkpoint {prefix}: no meta graph {meta_graph}; give "
                                    "meta_graph= (the .meta file the Saver wrote)")
        where = f"checkpoint {prefix} (meta graph {meta_graph})"
        graph = tf.Graph()
        with graph.as_default():
            saver = tf1_endpoints.restoring(where, lambda: tf.train.import_meta_graph(meta_graph, clear_devices=True))
            if saver is None:  # a meta graph saved without a SaverDef
                saver = tf.train.Saver()
            endpoints = tf1_endpoints.resolve_endpoints(
                graph, where, inputs=inputs, outputs=outputs, labels=labels, loss=loss, layers=layers,
                training_feed=training_feed, inference_feed=inference_feed)
            local_initializer = tf.local_variables_initializer()
            session = tf.Session(graph=graph)
            # In the graph: outside it, restore() takes the eager path.
            tf1_endpoints.restoring(where, lambda: saver.restore(session, prefix))
        session.run(local_initializer)
        return cls(graph, session, endpoints, where)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        """Closes the session."""
        self.session.close()

    # --- variables ------------------------------------------------------------------------------

    def variables(self):
        """{variable name (no ":0"): array} of the model variables, in creation order."""
        return dict(zip(self._variables, self.session.run(list(self._variables.values()))))

    def variable_shapes(self):
        """{variable name: shape} of the model variables."""
        return {name: tuple(variable.shape.as_list()) for name, variable in self._variables.items()}

    def variable_layers(self):
        """{variable name: layer} from the builder's `variables` groups, where it gave them."""
        return dict(self.endpoints.variable_layers)

    def skipped(self):
        """[(name, shape)] of the training state left out of variables()."""
        return list(self._skipped)

    def leave_out(self, names):
        """Moves `names` from variables() to skipped(): variables the model never reads (a
        counter, another model's weights), which no name map then has to place."""
        for name in [name for name in names if name in self._variables]:
            self._skipped.append((name, tuple(self._variables.pop(name).shape.as_list())))
            self._initial.pop(name, None)

    def assign(self, values):
        """Loads {name: array}; checks every name and shape first (ModelError listing each)."""
        shapes = self.variable_shapes()
        problems = [f"{name}: no such model variable" for name in values if name not in shapes]
        problems += [f"{name}: shape {np.shape(value)}, expected {shapes[name]}"
                     for name, value in values.items() if name in shapes and np.shape(value) != shapes[name]]
        if problems:
            raise errors.ModelError(f"{self.description}: cannot assign:\n  " + "\n  ".join(problems))
        # Each variable's initializer, fed the value (what Variable.load does), in one run.
        initializers = [self._variables[name].initializer for name in values]
        feed_dict = {initializer.inputs[1]: np.asarray(value)
                     for initializer, value in zip(initializers, values.values())}
        self.session.run(initializers, feed_dict=feed_dict)

    def reset(self):
        """The model variables' values as the model was built or restored."""
        self.assign(self._initial)

    def restore(self, checkpoint):
        """Loads each model variable by name from a Saver checkpoint (a prefix, or a directory:
        its latest), e.g. a builder's graph given a team's trained weights; they become the
        start reset() returns to. Returns the checkpoint's other entries (training state,
        variables this graph lacks), which are skipped. ModelError listing every model
        variable the checkpoint lacks or holds in another shape."""
        prefix = tf1_endpoints.checkpoint_prefix(checkpoint)
        where = f"checkpoint {prefix}"
        reader = tf1_endpoints.restoring(where, lambda: tf.train.load_checkpoint(prefix))
        found = {name: tuple(shape) for name, shape in reader.get_variable_to_shape_map().items()}
        shapes = self.variable_shapes()
        problems = [f"{name} {shape}: not in the checkpoint" for name, shape in shapes.items()
                    if name not in found]
        problems += [f"{name}: shape {found[name]} in the checkpoint, {shape} in the graph"
                     for name, shape in shapes.items() if name in found and found[name] != shape]
        if problems:
            raise errors.ModelError(f"{where} does not fit {self.description}:\n  " + "\n  ".join(problems))
        values = tf1_endpoints.restoring(where, lambda: {name: reader.get_tensor(name) for name in shapes})
        self.assign(values)
        self._initial = self.variables()
        self._last_training = None  # (train op, initializers, start values) of the last train_steps
        return sorted(set(found) - set(shapes))

    # --- running --------------------------------------------------------------------------------

    def feed(self, x, y=None, training=False, feed=None):
        """feed_dict: inputs, labels, and `feed` (default: the training or inference feed)."""
        feed_dict = dict(self.endpoints.training_feed if training else self.endpoints.inference_feed)
        feed_dict.update(feed or {})
        inputs = self.endpoints.inputs
        feed_dict.update({inputs[name]: x[name] for name in inputs} if isinstance(inputs, dict)
                         else {inputs: x})
        if y is not None:
            feed_dict[self.endpoints.labels] = y
        return feed_dict

    def input_shape(self):
        """One example's shape as the input placeholder takes it (None: any size; None
        for an unknown rank), or {name: shape} for several inputs."""
        def shape(tensor):
            return None if tensor.shape.ndims is None else tuple(tensor.shape.as_list()[1:])
        inputs = self.endpoints.inputs
        return {name: shape(tensor) for name, tensor in inputs.items()} if isinstance(inputs, dict) \
            else shape(inputs)

    def _checked(self, x):
        return data.check_inputs(x, self.input_shape(), f"{self.description} input")

    def _run_batched(self, fetches, x, batch_size):
        return [self.session.run(fetches, feed_dict=self.feed(data.rows(x, slice(start, start + batch_size))))
                for start in range(0, data.count(x), batch_size)]

    def predict(self, x, batch_size=1000):
        """The `outputs` tensor for `x`, in inference mode, batch by batch."""
        return np.concatenate(self._run_batched(self.endpoints.outputs, self._checked(x), batch_size))

    def tap(self, x, names=None, batch_size=1000):
        """{layer: output} of the `layers` taps (all, or `names`) for `x`, in inference mode."""
        names = list(self.endpoints.layers) if names is None else list(names)
        unknown = [name for name in names if name not in self.endpoints.layers]
        if unknown:
            raise errors.ModelError(f"{self.description}: no tap(s) {unknown}; it has "
                                    f"{list(self.endpoints.layers)}")
        return self.fetch(x, {name: self.endpoints.layers[name] for name in names}, batch_size)

    def fetch(self, x, tensors, batch_size=1000):
        """{key: value} of any {key: tensor} of the graph for `x`, in inference mode."""
        if not tensors:
            return {}
        runs = self._run_batched(dict(tensors), self._checked(x), batch_size)
        return {key: np.concatenate([run[key] for run in runs]) for key in tensors}

    def train_steps(self, batches, optimizer, feed=None, after_first=None, stop=None):
        """One `optimizer.minimize(loss)` step per (x, y) batch; the loss of each (before its
        update, as `sess.run([train_op, loss])` gives it).

        `optimizer`: a tf.compat.v1.train.Optimizer, or a function returning one (a fresh one
        per call: preferred). The graph's UPDATE_OPS (BatchNorm's moving averages) run with
        each step. `feed` replaces the training feed (e.g. keep_prob 1.0 for a dropout-free
        comparison). `after_first()` is called after the first step (the moving statistics' check);
        `stop(losses so far)` true ends the run early.
        """
        if self.endpoints.loss is None or self.endpoints.labels is None:
            raise errors.ModelError(f"{self.description}: training needs the builder's 'loss' and "
                                    "'labels' tensors")
        batches = data.check_batches(batches)
        train_op = self._train_op(optimizer)
        return self._run_steps(train_op, batches, feed, stop, after_first)

    def training_start(self):
        """The model variables' values the last train_steps started from (else their values now)."""
        return dict(self._last_training[2]) if self._last_training else self.variables()

    def train_steps_again(self, batches, feed=None, start=None, stop=None):
        """The last train_steps' optimizer once more on `batches`, from the values that run
        started with (or `start(those values)`), its slots and counters fresh: no new gradient
        graph or session (the step check's rerun of the reference, harness/reference_spread.py).
        `stop(losses so far)` true ends the run early."""
        if self._last_training is None:
            raise errors.ModelError(f"{self.description}: train_steps_again() before train_steps()")
        train_op, initializers, values = self._last_training
        batches = data.check_batches(batches)
        self.session.run(initializers)
        self.assign(start(values) if start is not None else values)
        return self._run_steps(train_op, batches, feed, stop)

    def _run_steps(self, train_op, batches, feed, stop=None, after_first=None):
        losses = []
        for x, y in batches:
            feed_dict = self.feed(self._checked(x), y, training=True, feed=feed)
            losses.append(float(self.session.run([train_op, self.endpoints.loss], feed_dict)[1]))
            if after_first is not None and len(losses) == 1:
                after_first()
            if stop is not None and stop(losses):
                break
        return losses

    def _train_op(self, optimizer):
        values = self.variables()  # read before the graph grows: the old session cannot run after
        with self.graph.as_default():
            if callable(optimizer) and not isinstance(optimizer, tf.train.Optimizer):
                optimizer = optimizer()
            if not isinstance(optimizer, tf.train.Optimizer):
                raise errors.ModelError(f"TF1 optimizer {optimizer!r}; expected a tf.compat.v1.train."
                                        "Optimizer or a function returning one")
            trainable = {variable.name for variable in tf.trainable_variables()}
            var_list = [v for v in self._variables.values() if v.name in trainable]
            with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
                train_op = optimizer.minimize(self.endpoints.loss, var_list=var_list)
            initializers = [tf.global_variables_initializer(), tf.local_variables_initializer()]
        self._restart_session(initializers, values)
        self._last_training = (train_op, initializers, values)
        return train_op

    def _restart_session(self, initializers, values):
        """A new session over the grown graph, the model variables set to `values`.

        A session that already ran cannot run gradients added later through a while
        loop (dynamic_rnn): while_v2 gives the forward loop extra outputs for its
        gradient, which that session does not see.
        """
        self.session.close()
        self.session = tf.Session(graph=self.graph)
        self.session.run(initializers)
        self.assign(values)
