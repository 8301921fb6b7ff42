"""The kit's foundation: what both sides import and nothing of either side.

`mnist` (the bundled, checksum-verified data), `batches` (TF1's `next_batch`
order, shared by both sides), `recipes` (each program's settings), `training_data`
(the recipe's arrays and accuracy), `input_checks` (images handed to a model),
`errors` (a diverged training) and `exit_codes` (one table for every command).
It imports NumPy only: `legacy_tf1/` (the TF1 side) and `modern_keras/` (the Keras
side) build on it; the library `tf1_to_keras/` (harness, port, verify, convert, export)
on those three; the MNIST kit `mnist_parity/` (compare, reproduce, benchmark, the five
programs' convert and export) on all four.
"""
