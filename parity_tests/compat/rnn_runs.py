"""Running a TF 1.x RNN cell in a graph of its own: the cell tests (test_rnn_cells.py) and their
Keras 3 twins (test_rnn_keras_parity.py) both read the TF1 side this way."""

import legacy_tf1.compat as tf


def run_rnn(make_cell, inputs, seed=0, sequence_length=None):
    """(outputs, final state, {variable name: value}) of `dynamic_rnn` over `inputs`, in a graph of its own."""
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(seed)
        placeholder = tf.placeholder(tf.float32, [None, *inputs.shape[1:]])
        outputs, state = tf.nn.dynamic_rnn(make_cell(), placeholder, sequence_length=sequence_length,
                                           dtype=tf.float32)
        variables = tf.global_variables()
    with tf.Session(graph=graph) as session:
        session.run(tf.global_variables_initializer())
        outputs, state, values = session.run([outputs, state, variables], {placeholder: inputs})
    return outputs, state, {variable.name.removesuffix(":0"): value for variable, value in zip(variables, values)}
