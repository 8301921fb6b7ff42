"""NameMap.resolve on plain arrays: automatic matching, overrides, transforms, and every
kind of misfit listed with names and shapes; the JSON file form."""

import json

import numpy as np
import pytest

from tf1_to_keras.harness import rnn_weights
from tf1_to_keras.harness import (NameMap, NameMapError, errors, gru_cell, lstm_cell, reshape, simple_rnn_cell,
                                  transpose)


def arrays(**shapes):
    """{name: array of that shape} with '__' in keyword names read as '/'."""
    random = np.random.RandomState(0)
    return {name.replace("__", "/"): random.normal(size=shape).astype(np.float32)
            for name, shape in shapes.items()}


def pairs(mapping):
    return {tf1: keras for tf1, keras in mapping.pairs()}


def test_auto_by_scope_name_and_contrib_names():
    tf1 = arrays(dense__kernel=(4, 3), dense__bias=(3,), fc__weights=(3, 2), fc__biases=(2,))
    keras = arrays(dense__kernel=(4, 3), dense__bias=(3,), fc__kernel=(3, 2), fc__bias=(2,))
    mapping = NameMap().resolve(tf1, keras)
    assert pairs(mapping) == {"dense/kernel": "dense/kernel", "dense/bias": "dense/bias",
                              "fc/weights": "fc/kernel", "fc/biases": "fc/bias"}
    assert {conversion.how for conversion in mapping.conversions} == {"name"}
    converted = mapping.convert(tf1)
    np.testing.assert_array_equal(converted["fc/kernel"], tf1["fc/weights"])


def test_auto_by_unique_tail_of_an_outer_scope():
    tf1 = arrays(model__bn__gamma=(3,), model__bn__moving_variance=(3,))
    keras = arrays(bn__gamma=(3,), bn__moving_variance=(3,))
    assert pairs(NameMap().resolve(tf1, keras)) == {"model/bn/gamma": "bn/gamma",
                                                    "model/bn/moving_variance": "bn/moving_variance"}


def test_raw_variables_match_by_order_and_training_state_is_skipped_and_listed():
    tf1 = arrays(Variable=(4, 8), Variable_1=(8,), Variable_2=(8, 8), Variable_3=(8,),
                 Variable__Adam=(4, 8), Variable__Adam_1=(4, 8), beta1_power=(), global_step=(),
                 OptimizeLoss__learning_rate=())
    keras = arrays(hidden__kernel=(4, 8), hidden__bias=(8,), out__kernel=(8, 8), out__bias=(8,))
    mapping = NameMap().resolve(tf1, keras)
    assert pairs(mapping) == {"Variable": "hidden/kernel", "Variable_1": "hidden/bias",
                              "Variable_2": "out/kernel", "Variable_3": "out/bias"}
    assert [name for name, _ in mapping.skipped] == ["Variable/Adam", "Variable/Adam_1", "beta1_power",
                                                     "global_step", "OptimizeLoss/learning_rate"]
    assert mapping.as_dict()["skipped"][0] == ["Variable/Adam", [4, 8]]


def test_order_within_a_scope_group_beats_global_order():
    # TF1 created layer b's variables first; scopes still pair each with its own layer.
    tf1 = arrays(b__Variable=(8,), b__Variable_1=(8,), a__Variable=(8,), a__Variable_1=(8,))
    keras = arrays(a__gamma=(8,), a__beta=(8,), b__gamma=(8,), b__beta=(8,))
    assert pairs(NameMap().resolve(tf1, keras)) == {
        "a/Variable": "a/gamma", "a/Variable_1": "a/beta", "b/Variable": "b/gamma", "b/Variable_1": "b/beta"}


def test_same_shapes_in_another_order_are_ambiguous():
    tf1 = arrays(w1=(4, 8), w2=(8, 8), b1=(8,), b2=(8,))
    keras = arrays(d1__kernel=(4, 8), d1__bias=(8,), d2__kernel=(8, 8), d2__bias=(8,))
    with pytest.raises(NameMapError) as caught:
        NameMap().resolve(tf1, keras)
    message = str(caught.value)
    assert "ambiguous: TF1 ['b1', 'b2'] and Keras ['d1/bias', 'd2/bias']" in message
    assert "add a rule or a table entry" in message
    assert caught.value.unmapped == [("b1", (8,)), ("b2", (8,))]
    # The unique shapes were still paired; a table entry settles the rest.
    mapping = NameMap(table={"b1": "d1/bias", "b2": "d2/bias"}).resolve(tf1, keras)
    assert pairs(mapping)["w2"] == "d2/kernel" and pairs(mapping)["b2"] == "d2/bias"


def test_rules_apply_in_order_first_match_wins_and_table_beats_rules():
    tf1 = arrays(tower__layer_0__w=(2, 3), tower__layer_0__b=(3,), tower__layer_1__w=(3, 1))
    keras = arrays(dense__kernel=(2, 3), dense__bias=(3,), head__kernel=(3, 1))
    name_map = NameMap(rules=[(r"tower/layer_0/w", "dense/kernel"), (r"tower/layer_0/(.*)", r"dense/\g<1>ias"),
                              (r"tower/layer_(\d)/w", "never/used")],
                       table={"tower/layer_1/w": "head/kernel"})
    mapping = name_map.resolve(tf1, keras)
    assert pairs(mapping) == {"tower/layer_0/w": "dense/kernel", "tower/layer_0/b": "dense/bias",
                              "tower/layer_1/w": "head/kernel"}
    assert {c.tf1_names[0]: c.how for c in mapping.conversions} == {
        "tower/layer_1/w": "table", "tower/layer_0/w": "rule", "tower/layer_0/b": "rule"}


def test_transforms_and_one_tf1_variable_feeding_two_keras_weights():
    tf1 = arrays(proj=(3, 4), conv__kernel=(6, 3))
    keras = arrays(head__kernel=(4, 3), aux__kernel=(12,), conv__kernel=(2, 3, 3))
    name_map = NameMap(table={"proj": ["head/kernel", "aux/kernel"]},
                       transforms={"head/kernel": transpose([1, 0]), "aux/.*": reshape([12]),
                                   "conv/kernel": reshape([2, 3, 3])})
    converted = name_map.resolve(tf1, keras).convert(tf1)
    np.testing.assert_array_equal(converted["head/kernel"], tf1["proj"].T)
    np.testing.assert_array_equal(converted["aux/kernel"], tf1["proj"].reshape(12))
    np.testing.assert_array_equal(converted["conv/kernel"], tf1["conv__kernel".replace("__", "/")].reshape(2, 3, 3))


def test_lstm_cell_transform_is_rnn_weights_conversion():
    tf1 = arrays(rnn__basic_lstm_cell__kernel=(5 + 4, 16), rnn__basic_lstm_cell__bias=(16,))
    keras = arrays(lstm__lstm_cell__kernel=(5, 16), lstm__lstm_cell__recurrent_kernel=(4, 16),
                   lstm__lstm_cell__bias=(16,))
    mapping = NameMap(transforms={"lstm": lstm_cell("rnn/basic_lstm_cell", forget_bias=0.5)}).resolve(tf1, keras)
    expected = rnn_weights.lstm_to_keras(tf1, "rnn/basic_lstm_cell", forget_bias=0.5)
    converted = mapping.convert(tf1)
    for path, array in zip(keras, expected):
        np.testing.assert_array_equal(converted[path], array)
    assert mapping.as_dict()["conversions"][0]["transform"] == {
        "transform": "lstm_cell", "scope": "rnn/basic_lstm_cell", "forget_bias": 0.5}


def test_gru_and_simple_rnn_cell_transforms_are_rnn_weights_conversions():
    gru = arrays(rnn__gru_cell__gates__kernel=(7, 8), rnn__gru_cell__gates__bias=(8,),
                 rnn__gru_cell__candidate__kernel=(7, 4), rnn__gru_cell__candidate__bias=(4,))
    keras_gru = arrays(gru__cell__kernel=(3, 12), gru__cell__recurrent_kernel=(4, 12), gru__cell__bias=(12,))
    simple = arrays(rnn__basic_rnn_cell__kernel=(7, 4), rnn__basic_rnn_cell__bias=(4,))
    keras_simple = arrays(rnn__cell__kernel=(3, 4), rnn__cell__recurrent_kernel=(4, 4), rnn__cell__bias=(4,))
    for tf1, keras, transform, expected in [
            (gru, keras_gru, gru_cell("rnn/gru_cell"), rnn_weights.gru_to_keras(gru, "rnn/gru_cell")),
            (simple, keras_simple, simple_rnn_cell("rnn/basic_rnn_cell"),
             rnn_weights.simple_rnn_to_keras(simple, "rnn/basic_rnn_cell"))]:
        layer = next(iter(keras)).split("/")[0]
        converted = NameMap(transforms={layer: transform}).resolve(tf1, keras).convert(tf1)
        for path, array in zip(keras, expected, strict=True):
            np.testing.assert_array_equal(converted[path], array)


def test_a_cell_transform_that_cannot_convert_names_the_variable():
    tf1 = arrays(rnn__basic_lstm_cell__kernel=(9, 15), rnn__basic_lstm_cell__bias=(15,))
    keras = arrays(lstm__cell__kernel=(5, 16), lstm__cell__recurrent_kernel=(4, 16), lstm__cell__bias=(16,))
    with pytest.raises(NameMapError, match=r"transform 'lstm': rnn/basic_lstm_cell/kernel: shape \(9, 15\)"):
        NameMap(transforms={"lstm": lstm_cell("rnn/basic_lstm_cell")}).resolve(tf1, keras)


def test_every_unmapped_unfilled_and_mismatched_weight_is_listed_with_its_shape():
    tf1 = arrays(dense__kernel=(4, 3), dense__bias=(3,), extra__scale=(7,), head__kernel=(3, 2))
    keras = arrays(dense__kernel=(4, 3), head__kernel=(3, 5), other__kernel=(2, 2))
    with pytest.raises(NameMapError) as caught:
        NameMap().resolve(tf1, keras)
    error = caught.value
    assert isinstance(error, ValueError) and isinstance(error, errors.HarnessInputError)
    assert error.unmapped == [("dense/bias", (3,)), ("extra/scale", (7,))]
    assert error.unfilled == [("other/kernel", (2, 2))]
    message = str(error)
    assert "unmapped TF1 variable dense/bias (3,)" in message
    assert "unmapped TF1 variable extra/scale (7,)" in message
    assert "unfilled Keras weight other/kernel (2, 2)" in message
    assert "shape mismatch (name): TF1 head/kernel (3, 2) -> (3, 2) vs Keras head/kernel (3, 5)" in message


@pytest.mark.parametrize("name_map, expected", [
    (NameMap(table={"dense/kernal": "dense/kernel"}),
     "table entry 'dense/kernal': no TF1 variable of that name (did you mean 'dense/kernel'?)"),
    (NameMap(table={"dense/kernel": "dense/kernal"}),
     "table entry 'dense/kernel' -> 'dense/kernal': no Keras weight of that name"),
    (NameMap(rules=[("dense/(.*)", r"dense_1/\1")]),
     "rule 'dense/(.*)' -> 'dense_1/\\\\1' maps TF1 dense/kernel to 'dense_1/kernel': no Keras weight"),
    (NameMap(transforms={"lstm": lstm_cell("rnn/lstm_cell")}),
     "transform 'lstm' (lstm_cell(scope='rnn/lstm_cell', forget_bias=1.0)): no Keras layer 'lstm'"),
    (NameMap(table={"dense/kernel/Adam": "dense/kernel"}), "TF1 training state"),
], ids=["table-tf1", "table-keras", "rule", "cell-transform", "table-slot"])
def test_a_map_naming_weights_that_do_not_exist_is_an_error_naming_the_entry(name_map, expected):
    tf1 = arrays(dense__kernel=(4, 3), dense__bias=(3,), dense__kernel__Adam=(4, 3))
    keras = arrays(dense__kernel=(4, 3), dense__bias=(3,))
    with pytest.raises(NameMapError) as caught:
        name_map.resolve(tf1, keras)
    assert expected in str(caught.value)
    assert caught.value.unknown


def test_json_file_round_trip(tmp_path):
    name_map = NameMap(rules=[("model/(.*)", r"\1")], table={"proj": ["head/kernel", "aux/kernel"]},
                       transforms={"head/kernel": transpose([1, 0]), "aux/kernel": reshape([12]),
                                   "lstm": lstm_cell("rnn/basic_lstm_cell", forget_bias=0.0)})
    path = tmp_path / "name_map.json"
    path.write_text(json.dumps(name_map.to_json()))
    loaded = NameMap.from_file(path)
    assert loaded.to_json() == name_map.to_json()
    tf1 = arrays(proj=(3, 4), model__dense__kernel=(2, 2), rnn__basic_lstm_cell__kernel=(3, 8),
                 rnn__basic_lstm_cell__bias=(8,))
    keras = arrays(head__kernel=(4, 3), aux__kernel=(12,), dense__kernel=(2, 2), lstm__cell__kernel=(1, 8),
                   lstm__cell__recurrent_kernel=(2, 8), lstm__cell__bias=(8,))
    conversions = NameMap.from_file(path).resolve(tf1, keras).as_dict()["conversions"]
    assert conversions[:2] == [
        {"tf1": ["rnn/basic_lstm_cell/kernel", "rnn/basic_lstm_cell/bias"],
         "keras": ["lstm/cell/kernel", "lstm/cell/recurrent_kernel", "lstm/cell/bias"], "how": "transform",
         "transform": {"transform": "lstm_cell", "scope": "rnn/basic_lstm_cell", "forget_bias": 0.0}},
        {"tf1": ["proj"], "keras": ["head/kernel"], "how": "table",
         "transform": {"transform": "transpose", "axes": [1, 0]}}]


def test_a_python_function_transform_works_in_memory_but_cannot_be_saved():
    name_map = NameMap(transforms={"dense/kernel": lambda array: array * 2})
    converted = name_map.resolve(arrays(dense__kernel=(2, 2)), arrays(dense__kernel=(2, 2)))
    assert converted.conversions[0].transform.name == "custom:<lambda>"
    with pytest.raises(ValueError, match="Python function"):
        name_map.to_json()


@pytest.mark.parametrize("content, expected", [
    ("{not json", "not JSON"),
    ('["rules"]', "expected a JSON object"),
    ('{"rulez": []}', "unknown key(s) ['rulez']"),
    ('{"rules": {"a": "b"}}', "key 'rules' is a dict; expected a JSON array"),
    ('{"rules": [["(unclosed", "x"]]}', "rules[0]: not a regular expression"),
    ('{"rules": [["only one"]]}', "rules[0]"),
    ('{"table": {"w": 3}}', "table['w']: 3; expected a Keras weight path"),
    ('{"transforms": {"k": {"transform": "rotate"}}}', "transforms['k']: unknown transform 'rotate'"),
    ('{"transforms": {"k": {"transform": "transpose", "axis": [1, 0]}}}',
     "transforms['k']: transform 'transpose' with arguments"),
], ids=["syntax", "not-object", "unknown-key", "rules-type", "regex", "rule-pair", "table-value",
        "transform-name", "transform-arguments"])
def test_a_bad_name_map_file_is_a_value_error_naming_the_file_and_key(tmp_path, content, expected):
    path = tmp_path / "map.json"
    path.write_text(content)
    with pytest.raises(ValueError) as caught:
        NameMap.from_file(path)
    assert str(caught.value).startswith(f"name map {path}")
    assert expected in str(caught.value)


def test_a_missing_name_map_file_is_a_value_error(tmp_path):
    with pytest.raises(ValueError, match="cannot read it"):
        NameMap.from_file(tmp_path / "absent.json")
