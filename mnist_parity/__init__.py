"""The MNIST kit: the five classic TF1 programs and their Keras 3 twins, proved the same model by
the tf1_to_keras library. registry.py (the five), sides.py, proof_checks.py,
model_comparison.py (`compare`), reproduction.py (`reproduce`), benchmarking/ (`benchmark`),
figures.py, compare_report.py, conversion/ and exporting/ (`convert`/`export` by model key),
and the `mnist-parity` command (cli.py), which also offers the library's commands."""
