"""What makes a Session.run a training run (training_run) and the model its loss is computed
from (loss_finding), on TF1 graphs built here the way tutorials wrote their losses: no capture
subprocess, each graph its own `tf.Graph()`."""

import pytest

import legacy_tf1.compat as tf
from tf1_to_keras.porting import loss_finding, training_run


def dense(x, units, name):
    w = tf.Variable(tf.random_normal([int(x.shape[1]), units], seed=1), name=f"{name}_w")
    b = tf.Variable(tf.zeros([units]), name=f"{name}_b")
    return tf.matmul(x, w) + b, w


def found(loss, minimize=True, trained=None):
    """model_of_loss of the loss a GradientDescent `minimize` (or hand-written tf.gradients) takes."""
    if minimize:
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    else:
        variables = tf.trainable_variables()
        train = tf.group(*[tf.assign_sub(v, 0.1 * g) for v, g in zip(variables, tf.gradients(loss, variables))])
    minimised = training_run.minimised_loss(tf.get_default_graph(), [train])
    assert minimised is loss
    return loss_finding.model_of_loss(minimised, {}, trained)


def test_squared_error_summed_and_halved_is_found_from_the_labels():
    with tf.Graph().as_default():
        x, y = tf.placeholder(tf.float32, [None, 3]), tf.placeholder(tf.float32, [None, 1])
        prediction, _ = dense(x, 1, "linear")
        model = found(tf.reduce_sum(tf.pow(prediction - y, 2)) / (2 * 50))
        assert model.output is prediction and model.inputs == [x] and model.labels is y
        assert model.activation is None and not model.target_is_input


def test_hand_written_cross_entropy_on_a_softmax_keeps_the_softmax_as_output():
    with tf.Graph().as_default():
        x, y = tf.placeholder(tf.float32, [None, 784]), tf.placeholder(tf.float32, [None, 10])
        logits, w = dense(x, 10, "softmax")
        pred = tf.nn.softmax(logits)
        loss = tf.reduce_mean(-tf.reduce_sum(y * tf.log(pred), reduction_indices=1)) + 0.01 * tf.nn.l2_loss(w)
        model = found(loss)
        assert model.output is pred and model.activation == "Softmax" and model.labels is y


def test_hand_written_sigmoid_cross_entropy_with_hand_written_descent():
    with tf.Graph().as_default():
        x, y = tf.placeholder(tf.float32, [None, 4]), tf.placeholder(tf.float32, [None, 1])
        logits, _ = dense(x, 1, "logistic")
        h = tf.sigmoid(logits)
        model = found(-tf.reduce_mean(y * tf.log(h) + (1 - y) * tf.log(1 - h)), minimize=False)
        assert model.output is h and model.activation == "Sigmoid" and model.labels is y


def test_an_autoencoder_has_the_input_as_its_target():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 20])
        code, _ = dense(x, 4, "encoder")
        decoded = tf.nn.sigmoid(dense(tf.nn.sigmoid(code), 20, "decoder")[0])
        model = found(tf.reduce_mean(tf.pow(x - decoded, 2)))
        assert model.output is decoded and model.labels is None and model.target_is_input


def test_a_gan_discriminator_is_the_model_its_run_trains_and_several_outputs_are_refused():
    with tf.Graph().as_default() as graph:
        x, z = tf.placeholder(tf.float32, [None, 8]), tf.placeholder(tf.float32, [None, 2])
        generated = tf.nn.sigmoid(dense(z, 8, "g")[0])
        d_w = tf.Variable(tf.ones([8, 1]), name="d_w")
        d_real, d_fake = tf.sigmoid(tf.matmul(x, d_w)), tf.sigmoid(tf.matmul(generated, d_w))
        d_loss = -tf.reduce_mean(tf.log(d_real) + tf.log(1. - d_fake))
        d_train = tf.train.AdamOptimizer().minimize(d_loss, var_list=[d_w])
        g_train = tf.train.AdamOptimizer().minimize(-tf.reduce_mean(tf.log(d_fake)),
                                                    var_list=[v for v in tf.trainable_variables() if v is not d_w])
        assert training_run.training_roots(graph) == sorted([d_train.name, g_train.name])
        assert training_run.updated_variables([d_train]) == {"d_w"}
        loss = training_run.minimised_loss(graph, [d_train])
        model = loss_finding.model_of_loss(loss, {}, training_run.updated_variables([d_train]))
        assert model.output is d_real and model.inputs == [x]
        with pytest.raises(ValueError, match="reads 2 model outputs"):
            loss_finding.model_of_loss(loss, {})


def test_updates_from_gradients_are_training_and_initializers_and_counters_are_not():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 3])
        w = tf.Variable(tf.zeros([3, 1]), name="w")
        counter = tf.Variable(0, trainable=False, name="last_epoch")
        loss = tf.reduce_mean(tf.matmul(x, w))
        (gradient,) = tf.gradients(loss, [w])
        update = tf.assign(w, w - 0.1 * gradient)
        count = tf.assign_add(counter, 1)
        assert training_run.reaches_update([update.op])
        assert not training_run.reaches_update([count.op])
        assert not training_run.reaches_update([tf.global_variables_initializer()])
        assert not training_run.reaches_update([tf.assign(w, tf.ones([3, 1])).op])
        embedding = tf.Variable(tf.ones([5, 2]), name="embedding")
        ids = tf.placeholder(tf.int32, [None])
        (sparse,) = tf.gradients(tf.reduce_sum(tf.nn.embedding_lookup(embedding, ids)), [embedding])
        scatter = tf.scatter_sub(embedding, sparse.indices, 0.1 * sparse.values)
        assert training_run.is_update(scatter.op)


def test_descent_with_a_hand_written_gradient_is_training_and_averages_and_counters_are_not():
    with tf.Graph().as_default():
        x, y = tf.placeholder(tf.float32), tf.placeholder(tf.float32)
        w = tf.Variable(tf.ones([1]), name="weight")
        gradient = tf.reduce_mean((w * x - y) * x)  # d/dw of mean((w x - y)^2) / 2, by hand
        update = w.assign(w - 0.1 * gradient)
        assert training_run.reaches_update([update.op])
        assert training_run.updated_variables([update.op]) == {"weight"}
        # An average of a trainable variable: its shadow is not trainable.
        average = tf.train.ExponentialMovingAverage(0.9).apply([w])
        assert not training_run.reaches_update([average])
        # A trainable counter (tf.Variable's default) counts without a batch.
        steps = tf.Variable(0.0, name="steps")
        assert not training_run.reaches_update([tf.assign_add(steps, 1.0).op])
        # Weights loaded from a feed are not computed from themselves.
        loaded = tf.placeholder(tf.float32, [1])
        assert not training_run.reaches_update([w.assign(loaded).op])
        # A running mean of the batch kept in a variable that is not trainable.
        running = tf.Variable(0.0, trainable=False, name="running_mean")
        assert not training_run.reaches_update([running.assign(0.9 * running + 0.1 * tf.reduce_mean(x)).op])


def test_a_hand_written_descent_descends_the_programs_own_cost():
    with tf.Graph().as_default() as graph:
        x, y = tf.placeholder(tf.float32, [None], name="x"), tf.placeholder(tf.float32, [None], name="y")
        w = tf.Variable(tf.ones([1]), name="weight")
        cost = tf.reduce_mean(tf.square(x * w - y), name="cost")
        tf.reduce_mean(x, name="batch_mean")  # reads the batch, not the weight: no loss of it
        update = w.assign(w - 0.1 * tf.reduce_mean((w * x - y) * x))
        assert training_run.minimised_loss(graph, [update.op]) is None
        assert training_run.descended_loss(graph, [update.op]) is cost
        tf.reduce_sum(tf.square(x * w - y), name="other_cost")  # two candidates: none is chosen
        assert training_run.descended_loss(graph, [update.op]) is None


def test_placeholders_without_a_shape_read_by_a_weight_are_inputs_and_others_named_as_missing():
    with tf.Graph().as_default():
        x, y = tf.placeholder("float"), tf.placeholder("float")
        keep_prob = tf.placeholder("float")
        w = tf.Variable(0.5, name="weight")
        pred = tf.nn.dropout(x * w, keep_prob=keep_prob) * tf.Variable(2.0, name="gain")
        model = found(tf.reduce_sum(tf.pow(pred - y, 2)) / 34)
        assert model.inputs == [x] and model.labels is y  # keep_prob: neither
    with tf.Graph().as_default():
        x = tf.placeholder("float")
        w = tf.Variable(tf.ones([3, 1]), name="weight")
        loss = tf.reduce_mean(tf.matmul(tf.reshape(x, [-1, 3]), w))
        with pytest.raises(ValueError, match=r"unknown shape \(Placeholder:0: .*give the placeholder a shape"):
            found(loss)
