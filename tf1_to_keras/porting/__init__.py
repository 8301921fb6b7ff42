"""`tf1-to-keras port` (also `mnist-parity port`): a TF1 program's graph read into Keras 3
code, weights and a certificate.

The stages: `capture` (with `capture_worker`, in a process of its own) runs the unmodified
program under the runner until its first training `Session.run` and saves the graph and
weights; `model_finding` finds the model's inputs and output; `recognition` (with
`recognition_context` and the `*_patterns` / `rnn_*` modules) maps op patterns to Keras
layers (`specs`: what every stage passes on); `codegen` (with `rendering`, Python source of
values) writes the readable `model.py`; `weights` converts the weights; `certification`
verifies the written model against the captured graph with the harness (`inference_view`,
`training_parity` for the training steps, `optimizer_reading` for the optimizer);
`port_record` writes `port.json`; `engine` runs the stages in order.
"""
