"""The five TF 1.x MNIST programs in graph/session form, and the layer that runs them on TF 2.21.

`legacy_tf1.compat` stands in for the TF 1.x `tensorflow` package;
`legacy_tf1.models.<key>` holds each program, usable as a program and as a
library that builds its graph for the parity suite.
"""
