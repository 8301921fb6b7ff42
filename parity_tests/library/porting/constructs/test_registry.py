"""constructs (the registry): every construct module's patterns are collected, each with a
declared priority and reason, and two patterns that match the same op resolve by priority."""

import pytest

import legacy_tf1.compat as tf
from tf1_to_keras import harness
from tf1_to_keras.porting import constructs, model_finding, recognition



def test_every_construct_module_is_collected_with_declared_patterns():
    names = {module.__name__.rpartition(".")[2] for module in constructs.construct_modules()}
    assert {"dense", "conv2d", "pooling", "reshape", "dropout", "batch_norm", "activation", "merge",
            "rnn_cells"} <= names
    found = constructs.patterns()
    assert {pattern.name.partition(".")[0] for pattern in found} == names
    assert all(isinstance(pattern.priority, int) and pattern.why for pattern in found)
    assert [pattern.priority for pattern in found] == sorted((p.priority for p in found), reverse=True)
    assert recognition.matchers() == list(found)


def test_a_pattern_without_priority_or_reason_is_refused():
    with pytest.raises(ValueError, match="priority"):
        constructs.pattern("high", "a reason")
    with pytest.raises(ValueError, match="reason"):
        constructs.pattern(10, "")


def _dense_relu():
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    outputs = tf.layers.dense(x, 3, activation=tf.nn.relu, name="fc")
    tf.nn.softmax(outputs)
    return {"inputs": x, "outputs": outputs}


def _walk(graph, patterns):
    ends = model_finding.find_model(graph, [], {})
    layers, _, unrecognised = recognition.walk(ends.output, recognition.make_context(graph, ends, {}), patterns)
    return [(layer.keras_class, layer.config.get("activation")) for layer in layers], unrecognised


def test_declared_priority_decides_between_patterns_matching_one_op():
    # Both dense.match_dense (Dense with its activation) and activation.match_activation (a
    # lone ReLU) match the Relu of relu(x @ W + b): the declared priorities decide, not list order.
    dense, activation = (next(p for p in constructs.patterns() if p.name == name)
                         for name in ("dense.match_dense", "activation.match_activation"))
    assert dense.priority > activation.priority
    with harness.TF1Model.from_builder(_dense_relu, seed=0) as tf1:
        assert _walk(tf1.graph, constructs.ordered([activation, dense])) == ([("Dense", "relu")], [])
        raised = constructs.Pattern(activation.match, dense.priority + 1, "claims Relu first")
        assert _walk(tf1.graph, constructs.ordered([dense, raised])) == ([("Dense", None), ("ReLU", None)], [])
        tie = constructs.Pattern(activation.match, dense.priority, "a tie, broken by name")
        assert constructs.ordered([dense, tie]) == [tie, dense]  # "activation." < "dense."
