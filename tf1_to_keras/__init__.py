"""tf1_to_keras: move any team's TF 1.x model to Keras 3 and prove the move changed nothing.

- harness/: the parity library (TF1Model, KerasModel, NameMap, Tolerances, the four checks),
  with its closeness helper, tolerance table, structure record and RNN weight transforms.
- porting/: `port`, a TF1 program's graph captured and written as readable Keras 3 code,
  weights and a verified certificate.
- verify_run.py: `verify`, a TF1 builder and its Keras port held to the four checks.
- conversion/: `convert`, a TF1 checkpoint to the port's .keras/.weights.h5 or back, staged
  and verified by reading it back.
- exporting/: `export`, a .keras model as a SavedModel verified in a fresh process.
- pytest_plugin.py: the `parity` marker and fixture (registered on install).
- commands/ and cli.py: the `tf1-to-keras` command.
- example_data.py, model_files.py, report_files.py: examples to check on, FILE.py:FUNCTION
  loading, the one report writer.

It imports the foundation (mnist_core) and the TF1 side's compatibility layer (legacy_tf1),
never the MNIST kit (mnist_parity) nor the TF1 programs.
"""
