"""Shared core of the kit: MNIST data, recipes, weight transfer, structure and
parity comparisons, and the `mnist-parity` command. Tests and scripts import it."""
