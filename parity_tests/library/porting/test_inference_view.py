"""inference_view: a TRAIN-mode graph's batch norms switched to their moving statistics, and
only those that have them (TF1's own fused_batch_norm(is_training=True) is left alone)."""

import numpy as np

import legacy_tf1.compat as tf
from tf1_to_keras.porting import inference_view

MOVING_MEAN, MOVING_VARIANCE, EPSILON = 0.5, 4.0, 1e-3


def export(tmp_path, build):
    """The meta graph and checkpoint of `build(x)` in a fresh graph, batch norm statistics set."""
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 4, 4, 3], name="x")
        y = tf.identity(build(x), name="y")
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            for variable in tf.global_variables():
                value = {"moving_mean": MOVING_MEAN, "moving_variance": MOVING_VARIANCE}.get(
                    variable.op.name.rpartition("/")[2])
                if value is not None:
                    variable.load(np.full(variable.shape, value, np.float32), session)
            prefix = tf.train.Saver().save(session, str(tmp_path / "model.ckpt"))
    return prefix + ".meta", prefix, y.name


def run(meta_graph, prefix, output, x):
    with tf.Graph().as_default(), tf.Session() as session:
        tf.train.import_meta_graph(meta_graph).restore(session, prefix)
        return session.run(output, {"x:0": x})


def test_a_training_mode_tf_layers_batch_norm_runs_on_its_moving_statistics(tmp_path):
    meta_graph, prefix, output = export(
        tmp_path, lambda x: tf.layers.batch_normalization(x, epsilon=EPSILON, training=True, name="bn1"))
    switched_path, switched = inference_view.inference_meta_graph(meta_graph, str(tmp_path))
    x = np.random.RandomState(0).normal(size=(8, 4, 4, 3)).astype(np.float32)
    assert switched == ["bn1/FusedBatchNormV3"] and switched_path != meta_graph
    expected = (x - MOVING_MEAN) / np.sqrt(MOVING_VARIANCE + EPSILON)
    np.testing.assert_allclose(run(switched_path, prefix, output, x), expected, rtol=1e-5, atol=1e-6)
    # The captured graph itself normalises by the batch: that is what the switch is for.
    batch = run(meta_graph, prefix, output, x)
    assert np.max(np.abs(batch - expected)) > 0.1


def test_a_fused_batch_norm_without_moving_statistics_is_left_alone(tmp_path):
    def build(x):
        scale, offset = tf.Variable(tf.ones([3])), tf.Variable(tf.zeros([3]))
        return tf.nn.fused_batch_norm(x, scale, offset, epsilon=EPSILON, is_training=True)[0]

    meta_graph, _, _ = export(tmp_path, build)
    assert inference_view.inference_meta_graph(meta_graph, str(tmp_path)) == (meta_graph, [])
