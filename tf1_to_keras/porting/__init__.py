"""`mnist-parity port`: a TF1 program's graph read into Keras 3 code, weights and a certificate.

The stages, one module each: `capture` runs the unmodified program under the runner (in a
process of its own) until its first training `Session.run` and saves the graph and weights;
`recognition` finds the model's inputs and output and maps op patterns to Keras layers
(`specs`: what every stage passes on); `codegen` writes the readable `model.py`; `porting`
converts the weights, verifies the written model against the captured graph with the
harness and writes `port.json`.
"""
