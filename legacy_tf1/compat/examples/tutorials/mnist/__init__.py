"""`tensorflow.examples.tutorials.mnist`."""
from legacy_tf1.compat.examples.tutorials.mnist import input_data
