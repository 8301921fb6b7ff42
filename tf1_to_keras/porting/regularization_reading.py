"""Weight penalties a TF1 program adds to its loss by hand: `loss = data_loss + c * (tf.nn.l2_loss(w1)
+ tf.nn.l2_loss(w2))`, read from the scalar loss's graph as [(layer name, "l2", factor)].

    entries, unexplained = regularization_reading.l2_penalties(graph, loss_name, recognised.layers)

`tf.nn.l2_loss(w)` is sum(w**2) / 2, so `c * l2_loss(w)` is keras.regularizers.L2(c / 2) on the
layer whose kernel `w` is. The walk goes back from the loss through additions and multiplications
by a constant only (the data term behind them is left alone); an L2Loss of a variable that is no
layer's kernel (a bias) is `unexplained`: Keras' kernel_regularizer cannot hold it.
"""

from tf1_to_keras.porting import graph_values

ADDITIONS = ("Add", "AddV2", "AddN")


def _penalties(tensor, scale, found):
    """Appends (variable name, scale) of every L2Loss reached through sums and constant products."""
    op = graph_values.source(tensor).op
    if op.type == "L2Loss":
        variable = graph_values.variable_op(op.inputs[0])
        found.append((variable.name if variable is not None else op.inputs[0].name, scale))
    elif op.type in ADDITIONS:
        for each in op.inputs:
            _penalties(each, scale, found)
    elif op.type == "Mul":
        constants = [graph_values.constant_value(each) for each in op.inputs]
        for index, constant in enumerate(constants):
            if constant is not None and constants[1 - index] is None:
                _penalties(op.inputs[1 - index], scale * constant, found)


def l2_penalties(graph, loss_name, layers):
    """([(layer name, "l2", Keras factor)], [variable names no layer's kernel is])."""
    found = []
    _penalties(graph.get_tensor_by_name(loss_name), 1.0, found)
    kernels = {source.tf1_variable: layer.name for layer in layers for source in layer.weights
               if source.keras_weight == "kernel"}
    entries = [(kernels[name], "l2", graph_values.float32_literal(scale / 2))
               for name, scale in found if name in kernels]
    return entries, [name for name, _ in found if name not in kernels]
