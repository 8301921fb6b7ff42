"""Small helpers for in-process TF 1.x graph tests (each graph in its own `tf.Graph()`)."""

import legacy_tf1.compat as tf


def run_in_session(graph, fetches, feed_dict=None):
    """Initializes the graph's variables and runs `fetches` once."""
    with tf.Session(graph=graph) as session:
        session.run(tf.global_variables_initializer())
        return session.run(fetches, feed_dict=feed_dict)


def variable_shapes(graph):
    """{variable name: shape} of a graph's global variables, in creation order."""
    with graph.as_default():
        return {variable.name: tuple(variable.shape.as_list()) for variable in tf.global_variables()}
