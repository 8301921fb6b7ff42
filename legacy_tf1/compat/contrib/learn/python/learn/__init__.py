"""Mirror of TF1's `tensorflow/contrib/learn/python/learn` package layout."""
