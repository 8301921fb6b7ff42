"""How the TF1 program trained, written into the generated model.py as a person would write it.

    loss_spec = training_codegen.loss_spec_of(recognised)   # LossSpec or None
    training = training_codegen.training_code(recognised, loss_spec)
    source = codegen.model_source(recognised, program, command, training=training)

`training_setup()` returns a fresh optimizer and the loss: the Keras optimizer optimizer_reading
chose (TF1's update rules), a learning-rate schedule as its learning rate, gradient clipping as
`global_clipnorm` / `clipvalue`; the loss from the LossSpec (a scale written as a small loss
function). `compile_model(model)` compiles the model with them. Weight regularization added to
TF1's loss is `kernel_regularizer` on the named layers (`with_regularization`), so Keras adds
it to the loss as TF1 did. The training-step check runs exactly this code (certification).

The TF1 optimizer twins (RMSPropTF1, FtrlTF1) are written beside model.py as tf1_optimizers.py,
a copy of modern_keras/tf1_optimizers.py that imports only keras: a ported model does not need
the migration kit to train. Without a faithful optimizer or a Keras loss there is no
training_setup: a comment says why.
"""

import dataclasses
import inspect

from modern_keras import tf1_optimizers
from tf1_to_keras.porting import regularization_reading, rendering, specs, training_parity

TWINS_MODULE = "tf1_optimizers"
TWINS_FILE = TWINS_MODULE + ".py"


@dataclasses.dataclass
class TrainingCode:
    """Source for model.py: extra import lines, top-level blocks, files to write beside it."""

    imports: list
    blocks: list
    files: dict = dataclasses.field(default_factory=dict)


def loss_spec_of(recognised):
    """The recognised LossSpec: `recognised.loss_spec`, or `recognised.loss` when recognition
    put one there; else None."""
    for value in (getattr(recognised, "loss_spec", None), getattr(recognised, "loss", None)):
        if isinstance(value, specs.LossSpec):
            return value
    return None


def fallback_loss_spec(graph, recognised):
    """A LossSpec from the loss op the graph's loss comes from (training_parity.recognise_loss)
    and the L2 penalties added to it (regularization_reading), for when recognition gave none;
    None when the loss is none of the known ones."""
    loss_name = recognised.loss
    found = training_parity.recognise_loss(graph, loss_name) if loss_name else None
    if found is None:
        return None
    entries, unexplained = regularization_reading.l2_penalties(graph, loss_name, recognised.layers)
    return specs.LossSpec(
        found.path.rpartition(".")[2], dict(found.kwargs), regularization=entries,
        description=f"read from the loss op under {loss_name}",
        user_must_write=(f"the L2 penalty of {unexplained} (no layer's kernel)" if unexplained else None))


def with_regularization(recognised, loss_spec):
    """The regularized layers' config gets `kernel_regularizer=keras.regularizers.L2(factor)`;
    ValueError naming a layer the model lacks or a penalty Keras is not given here."""
    layers = {layer.name: layer for layer in recognised.layers}
    for name, kind, factor in (loss_spec.regularization if loss_spec else []):
        if name not in layers or kind != "l2":
            raise ValueError(f"loss regularization ({name!r}, {kind!r}, {factor}): expected an 'l2' "
                             f"penalty on one of the layers {sorted(layers)}")
        layers[name].config["kernel_regularizer"] = specs.KerasObject("keras.regularizers.L2", {"l2": factor})


def _not_written(reason):
    return TrainingCode([], ["\n".join(rendering.comment_lines(
        f"No training_setup()/compile_model(): {reason}. See port.json's optimizer notes.", 0))])


def _loss_lines(loss_spec):
    """(block before training_setup or None, the loss expression inside it)."""
    call = rendering.value_source(specs.KerasObject(f"keras.losses.{loss_spec.keras_class}",
                                                    loss_spec.arguments), "loss")
    if loss_spec.scale == 1.0:
        return None, call
    scale = rendering.value_source(float(loss_spec.scale), "loss scale")
    block = (f"def tf1_loss(y_true, y_pred):\n    \"\"\"The TF1 program's loss: {scale} times "
             f"{loss_spec.keras_class}.\"\"\"\n    return {scale} * {call}(y_true, y_pred)")
    return block, "tf1_loss"


def _optimizer_lines(keras_object):
    """The lines building the optimizer: a schedule first (its own line), then the call."""
    lines, arguments = [], []
    for key, value in keras_object.kwargs.items():
        if key == "learning_rate" and isinstance(value, specs.KerasObject):
            lines.append(rendering.call_source(f"learning_rate = {value.path}", [
                f"{name}={rendering.value_source(item, 'schedule')}" for name, item in value.kwargs.items()], 4))
            arguments.append("learning_rate=learning_rate")
        else:
            arguments.append(f"{key}={rendering.value_source(value, f'optimizer {key}')}")
    return lines + [rendering.call_source(f"optimizer = {keras_object.path}", arguments, 4)]


def training_code(recognised, loss_spec):
    """TrainingCode for model.py (see the module docstring)."""
    optimizer = recognised.optimizer
    if optimizer is None or optimizer.keras is None:
        return _not_written("the TF1 optimizer has no faithful Keras twin" if optimizer else "no optimizer found")
    if loss_spec is None or loss_spec.keras_class is None or loss_spec.user_must_write:
        why = loss_spec.user_must_write if loss_spec and loss_spec.user_must_write else "unknown"
        return _not_written(f"the program's loss has no Keras loss ({why})")
    loss_block, loss = _loss_lines(loss_spec)
    notes = [line for note in optimizer.notes for line in rendering.comment_lines(note, 4)]
    setup = [
        "def training_setup():",
        f'    """A fresh optimizer and the loss, as the TF1 program trained ({optimizer.tf1})."""',
        *notes, *_optimizer_lines(optimizer.keras), f"    loss = {loss}", "    return optimizer, loss"]
    compile_block = (
        "def compile_model(model):\n"
        '    """`model` compiled to train as the TF1 program did (training_setup\'s optimizer and loss)."""\n'
        "    optimizer, loss = training_setup()\n"
        "    model.compile(optimizer=optimizer, loss=loss)\n"
        "    return model")
    twins = optimizer.keras.path.startswith(TWINS_MODULE + ".")
    return TrainingCode([f"import {TWINS_MODULE}"] if twins else [],
                        [*([loss_block] if loss_block else []), "\n".join(setup), compile_block],
                        {TWINS_FILE: inspect.getsource(tf1_optimizers)} if twins else {})
