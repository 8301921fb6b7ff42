"""`tf.contrib.learn.datasets.mnist`: TF1's MNIST reader (the tutorials' input_data)."""

from legacy_tf1.compat.examples.tutorials.mnist import input_data

DataSet = input_data.DataSet
Datasets = input_data.Datasets
dense_to_one_hot = input_data.dense_to_one_hot
read_data_sets = input_data.read_data_sets


def load_mnist(train_dir="MNIST-data"):
    """read_data_sets(train_dir) with its defaults: integer labels, 5,000 for validation."""
    return read_data_sets(train_dir)
