"""Mirror of TF1's `tensorflow/contrib/learn/python` package layout."""
