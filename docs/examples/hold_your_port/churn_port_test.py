"""The churn classifier's Keras port held to the TF1 program, with the mnist_parity pytest
plugin: run `python -m pytest churn_port_test.py` here (add `--parity-report-dir DIR` for
one JSON report per test)."""

import pytest

import churn_keras
import churn_tf1
from tf1_to_keras import harness

x, y = churn_tf1.load_data()
x_train, y_train = x[:-churn_tf1.TEST_EXAMPLES], y[:-churn_tf1.TEST_EXAMPLES]
x_test, y_test = x[-churn_tf1.TEST_EXAMPLES:], y[-churn_tf1.TEST_EXAMPLES:]

pytestmark = pytest.mark.parity(
    tf1=churn_tf1.build_graph, keras=churn_keras.build_model, name_map="name_map.json",
    tf1_optimizer=churn_tf1.tf1_optimizer, keras_optimizer=churn_keras.keras_optimizer,
    keras_loss=churn_keras.keras_loss())


def test_same_layers_and_outputs(parity):
    parity.structure()
    parity.forward(x_test)


def test_same_training_steps(parity):
    parity.training_steps(harness.make_batches(x_train, y_train, batch_size=50, steps=100))


def test_same_accuracy_after_the_same_training(parity):
    batches = harness.make_batches(x_train, y_train, batch_size=50, steps=300)
    parity.metric(batches, x_test, y_test, init="shared")
