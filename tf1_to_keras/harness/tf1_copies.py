"""An independent copy of a TF1Model: the same graph (exported and imported as a meta graph,
collections such as UPDATE_OPS included), optionally rewritten before any session runs it,
its own session, the same endpoints and model variables by name.

    with tf1_copies.copy_of(tf1, values, rewrite=float64_batch_norm.rewire) as twin:
        twin.train_steps(batches, optimizer)

The step check's second reference (float64_batch_norm.py) trains such a copy, so TF1's own
graph and session stay as they were: graph surgery on a graph a session has run is refused.
"""

from tensorflow.python.ops import variable_scope  # the variable scope store import leaves empty

import legacy_tf1.compat as tf
from tf1_to_keras.harness import tf1_endpoints, tf1_models


def copy_of(tf1, values, rewrite=None):
    """A TF1Model over a copy of `tf1`'s graph, `rewrite(graph)` applied first, its model
    variables the same as tf1's (those tf1 left out are left out) and set to `values`."""
    with tf1.graph.as_default():  # eager stays on outside it
        meta_graph = tf.train.export_meta_graph(graph=tf1.graph, clear_devices=True)
    graph = tf.Graph()
    with graph.as_default():
        tf.train.import_meta_graph(meta_graph)
        _mark_scopes_used(graph)
        if rewrite is not None:
            rewrite(graph)
        initializers = [tf.global_variables_initializer(), tf.local_variables_initializer()]
    session = tf.Session(graph=graph)
    session.run(initializers)
    where = f"{tf1.description} (a copy)"
    twin = tf1_models.TF1Model(graph, session, tf1_endpoints.same_in(tf1.endpoints, graph, where), where)
    twin.leave_out(set(twin.variable_shapes()) - set(tf1.variable_shapes()))
    twin.assign(values)
    return twin


def _mark_scopes_used(graph):
    """Marks every name scope of the imported ops as used, and opens every variable's scopes, as
    building the original did: import marks only the ops' own names, so a second `gradients`
    scope or an optimizer's slots (`w/Adam` again) would collide with the imported ones."""
    scopes = {"/".join(parts[:end]) for parts in (op.name.split("/") for op in graph.get_operations())
              for end in range(1, len(parts))}
    for scope in sorted(scopes):
        if graph.unique_name(scope, mark_as_used=False) == scope:
            graph.unique_name(scope)
    store = variable_scope.get_variable_scope_store()
    for name in {variable.op.name for variable in tf.global_variables()}:
        parts = name.split("/")
        for end in range(1, len(parts) + 1):
            store.open_variable_scope("/".join(parts[:end]))
