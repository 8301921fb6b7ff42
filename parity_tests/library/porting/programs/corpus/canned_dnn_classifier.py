"""Canned estimator: tf.estimator.DNNClassifier with tf.feature_column.numeric_column, trained from numpy_input_fn on iris-shaped synthetic data."""
import numpy as np
import tensorflow as tf

tf.logging.set_verbosity(tf.logging.ERROR)
rng = np.random.RandomState(3)
labels = rng.randint(0, 3, size=120).astype(np.int32)
features = (labels[:, None] * 1.5 + rng.normal(0, 0.5, size=(120, 4))).astype(np.float32)

feature_columns = [tf.feature_column.numeric_column("x", shape=[4])]
classifier = tf.estimator.DNNClassifier(feature_columns=feature_columns, hidden_units=[10, 20, 10], n_classes=3)
train_input_fn = tf.estimator.inputs.numpy_input_fn(x={"x": features}, y=labels, batch_size=30,
                                                    num_epochs=None, shuffle=True)
classifier.train(input_fn=train_input_fn, steps=10)
test_input_fn = tf.estimator.inputs.numpy_input_fn(x={"x": features}, y=labels, num_epochs=1, shuffle=False)
print("Test Accuracy: {accuracy:f}".format(**classifier.evaluate(input_fn=test_input_fn)))
