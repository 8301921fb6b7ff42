"""weights.whole_partitions: a canned Estimator's partitioned variable in one part, which a Saver
writes whole ("dnn/hiddenlayer_0/kernel"), is the weight of the layer that reads its part
("dnn/hiddenlayer_0/kernel/part_0"); nothing else is re-keyed."""

import numpy as np

from tf1_to_keras.porting import specs, weights


def _layer(*variables):
    return specs.RecognisedModel(inputs=[], output="", layers=[specs.LayerSpec(
        name="hiddenlayer_0", keras_class="Dense",
        weights=[specs.WeightSource(slot, variable) for slot, variable in zip(("kernel", "bias"), variables)])])


def test_the_one_part_of_a_partitioned_variable_takes_the_checkpoints_whole_value():
    kernel, bias = np.ones((4, 10), np.float32), np.zeros(10, np.float32)
    values = {"dnn/hiddenlayer_0/kernel": kernel, "dnn/hiddenlayer_0/bias": bias, "global_step": np.int64(0)}
    weights.whole_partitions(_layer("dnn/hiddenlayer_0/kernel/part_0", "dnn/hiddenlayer_0/bias/part_0"), values)
    assert sorted(values) == ["dnn/hiddenlayer_0/bias/part_0", "dnn/hiddenlayer_0/kernel/part_0", "global_step"]
    assert values["dnn/hiddenlayer_0/kernel/part_0"] is kernel


def test_names_the_checkpoint_holds_and_other_parts_are_left_alone():
    values = {"fc/kernel/part_0": np.ones((2, 2)), "fc/kernel": np.zeros((4, 2)), "fc/bias": np.zeros(2)}
    weights.whole_partitions(_layer("fc/kernel/part_0", "fc/bias/part_1"), values)
    assert sorted(values) == ["fc/bias", "fc/kernel", "fc/kernel/part_0"]
