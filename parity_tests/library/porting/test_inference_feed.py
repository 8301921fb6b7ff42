"""The inference feed `port` verifies with: training flags the program never fed are turned off."""

import tensorflow as tf

from tf1_to_keras.porting import certification


def test_unfed_true_flags_are_turned_off_and_the_others_left_alone():
    with tf.Graph().as_default() as graph:
        is_training = tf.compat.v1.placeholder_with_default(True, [], name="is_training")
        fed_flag = tf.compat.v1.placeholder_with_default(True, [], name="fed_flag")
        already_off = tf.compat.v1.placeholder_with_default(False, [], name="already_off")
        rate = tf.compat.v1.placeholder_with_default(0.5, [], name="rate")  # not a bool: left alone
        tf.cond(is_training, lambda: rate, lambda: rate * 0.0)
    flags = certification.training_flag_defaults(graph, {"fed_flag:0": False})
    assert flags == {is_training: False}
    assert fed_flag not in flags and already_off not in flags
