"""`tf.contrib.learn.datasets`: `load_dataset("mnist")`, offline.

TF1 downloaded the data; this kit reads `MNIST-data` when the IDX files are
there and its bundled, checksum-verified copy otherwise (see input_data).
"""

from legacy_tf1.compat.contrib.learn.python.learn.datasets import mnist

# TF1 also offered 'iris', 'boston' and 'dbpedia'; only MNIST ships with the kit.
DATASETS = {"mnist": mnist.load_mnist}


def load_dataset(name, size="small", test_with_fake_data=False):
    """The named dataset: for 'mnist', read_data_sets('MNIST-data') with TF1's defaults."""
    del size, test_with_fake_data  # Only the dbpedia loader used them.
    if name not in DATASETS:
        raise ValueError(f"Name of dataset is not found: {name!r}; "
                         f"this layer supplies {sorted(DATASETS)}")
    return DATASETS[name]()
