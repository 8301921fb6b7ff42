"""CNN in a tf.estimator.Estimator model_fn (tf.layers, features["x"] reshaped), trained from tf.estimator.inputs.numpy_input_fn."""
import numpy as np
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

tf.logging.set_verbosity(tf.logging.ERROR)


def cnn_model_fn(features, labels, mode):
    input_layer = tf.reshape(features["x"], [-1, 28, 28, 1])
    conv1 = tf.layers.conv2d(inputs=input_layer, filters=8, kernel_size=[5, 5], padding="same",
                             activation=tf.nn.relu)
    pool1 = tf.layers.max_pooling2d(inputs=conv1, pool_size=[2, 2], strides=2)
    pool1_flat = tf.reshape(pool1, [-1, 14 * 14 * 8])
    dense = tf.layers.dense(inputs=pool1_flat, units=32, activation=tf.nn.relu)
    dropout = tf.layers.dropout(inputs=dense, rate=0.4, training=mode == tf.estimator.ModeKeys.TRAIN)
    logits = tf.layers.dense(inputs=dropout, units=10)
    predictions = {"classes": tf.argmax(input=logits, axis=1), "probabilities": tf.nn.softmax(logits)}
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode=mode, predictions=predictions)
    loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    if mode == tf.estimator.ModeKeys.TRAIN:
        optimizer = tf.train.GradientDescentOptimizer(learning_rate=0.001)
        train_op = optimizer.minimize(loss=loss, global_step=tf.train.get_global_step())
        return tf.estimator.EstimatorSpec(mode=mode, loss=loss, train_op=train_op)
    eval_metric_ops = {"accuracy": tf.metrics.accuracy(labels=labels, predictions=predictions["classes"])}
    return tf.estimator.EstimatorSpec(mode=mode, loss=loss, eval_metric_ops=eval_metric_ops)


def main(unused_argv):
    mnist = input_data.read_data_sets("/tmp/data", one_hot=False)
    train_data = mnist.train.images[:1000]
    train_labels = np.asarray(mnist.train.labels[:1000], dtype=np.int32)
    classifier = tf.estimator.Estimator(model_fn=cnn_model_fn)
    train_input_fn = tf.estimator.inputs.numpy_input_fn(
        x={"x": train_data}, y=train_labels, batch_size=50, num_epochs=None, shuffle=True)
    classifier.train(input_fn=train_input_fn, steps=5)
    eval_input_fn = tf.estimator.inputs.numpy_input_fn(
        x={"x": mnist.test.images[:200]}, y=np.asarray(mnist.test.labels[:200], dtype=np.int32),
        num_epochs=1, shuffle=False)
    print(classifier.evaluate(input_fn=eval_input_fn))


if __name__ == "__main__":
    tf.app.run()
