"""One layer's structure as the parity checks report it: name, output shape, parameter count.

`harness.KerasModel.layer_summaries()` gives one per Keras layer; `proof_checks.check_structure`
one per TF1 tap of a legacy program too. Computing and comparing them is the harness's
structure check (tf1_to_keras/harness/checks.py).
"""

import dataclasses


@dataclasses.dataclass(frozen=True)
class LayerSummary:
    """One layer: its name, output shape (batch axis None) and parameter count."""

    name: str
    output_shape: tuple
    parameter_count: int
