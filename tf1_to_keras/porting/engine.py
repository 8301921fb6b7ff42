"""The port, start to end: capture, recognise, write, verify, then put in place.

    result = engine.port_program("mnist_deep.py", ["--steps", "1"], "ported/")
    result.passed, result.document        # port.json's content

1. Bad input is refused before anything runs (ValueError, exit status 2): a program that
   is not a file, an `out` that exists and is not an empty directory (never replaced: a
   port does not overwrite a directory it did not write), an `out` whose nearest existing
   parent is not a writable directory, a `--data` that is not a file. The capture then
   refuses a program that fails or never trains and a checkpoint that does not fit
   (capture.CaptureError).
2. The program is captured into a temporary directory (capture) and its model recognised
   (recognition); the examples are read (`data`'s x, else the first 1,000 MNIST test
   images when the input is 784 or 28x28x1 numbers, else the batch the program fed at its
   training run; none: ValueError).
3. Into a staging directory beside `out`: model.py (codegen), model.weights.h5 (weights),
   then VERIFY (verification): model.py imported by path and built, its weights file
   checked bitwise, the harness's structure and forward checks against the captured graph
   restored from its checkpoint; with a recognised optimizer that has a Keras twin, the
   training-step check too.
4. port.json is written and the staging directory renamed to `out`. A port that did not
   pass (unrecognised ops, a layer codegen refuses, weights the specs do not account for,
   a failed check) leaves only port.json in `out`, `passed: false` and the reasons: no
   model.py that differs from the TF1 graph is ever written.
"""

import dataclasses
import json
import os
import shlex
import shutil
import tempfile
import time

import numpy as np

import legacy_tf1.compat as tf
from tf1_to_keras import example_data, harness, report_files
from tf1_to_keras.harness import backend_process, tolerances
from tf1_to_keras.porting import (backend_verification, capture, certification, checkpoint_fit, codegen,
                                  distributed_codegen, loss_reading, optimizer_reading, port_record,
                                  recognition, stage_timing, training_codegen, weights)
from tf1_to_keras.porting.constructs import batch_norm

VERIFY_EXAMPLES = tolerances.FORWARD_IMAGES
MODEL, WEIGHTS, PORT = certification.MODEL, certification.WEIGHTS, "port.json"


@dataclasses.dataclass
class PortResult:
    """The port: where it was written, port.json's document, the files in `out`."""

    out: str
    document: dict
    files: list

    @property
    def passed(self):
        return bool(self.document["passed"])


def check_request(program, out, data=None):
    """ValueError for bad input found before anything runs (see the module docstring)."""
    if not os.path.isfile(program):
        raise ValueError(f"program {program}: no such file; expected a TF 1.x Python program")
    if os.path.exists(out) and (not os.path.isdir(out) or os.listdir(out)):
        raise ValueError(f"--out {out}: exists and is not an empty directory; a port writes a new one")
    report_files.check_output_location("--out", out)  # created once the program is captured
    if data is not None and not os.path.isfile(data):
        raise ValueError(f"--data {data}: no such file")


def recognise(captured):
    """The RecognisedModel of a captured graph, with its optimizer (optimizer_reading.recognise_optimizer)
    and its scalar loss (certification.scalar_loss)."""
    with tf.Graph().as_default() as graph:
        tf.train.import_meta_graph(captured.meta_graph, clear_devices=True)
        recognised = recognition.recognise(graph, captured)
        recognised.notes += batch_norm.model_notes(recognised.layers)  # once, not per layer
        if recognised.optimizer is None:
            recognised.optimizer = optimizer_reading.recognise_optimizer(graph, captured.feeds)
        if recognised.loss:
            recognised.loss = certification.scalar_loss(graph, recognised.loss)
        recognised.loss_spec, batch = loss_reading.read_loss(graph, captured, recognised)
        if recognised.loss_spec is None and isinstance(recognised.loss, str) and recognised.loss:
            recognised.loss_spec = training_codegen.fallback_loss_spec(graph, recognised)
    loss_reading.measure_scale(recognised.loss_spec, batch)  # Keras computes eagerly, outside the graph
    return recognised


def examples(recognised, data=None, captured=None):
    """(x, y) the port is verified on: `data`'s, else the first MNIST test images, else (an
    input that is not MNIST-shaped) the batch the program fed at its training run."""
    if data is not None:
        return example_data.load_npz(data)
    if len(recognised.inputs) != 1:
        return fed_examples(recognised, captured)
    try:
        x, y = example_data.mnist_test_examples(tuple(recognised.inputs[0].shape))
    except ValueError:
        fed = captured.fed() if captured is not None else {}
        if recognised.inputs[0].tf1_tensor not in fed:
            raise
        x = np.atleast_1d(fed[recognised.inputs[0].tf1_tensor])  # a number fed: one example
        return x, np.atleast_1d(fed.get(recognised.labels, x))  # no labels fed: an autoencoder's target is x
    return x[:VERIFY_EXAMPLES], y[:VERIFY_EXAMPLES]


def fed_examples(recognised, captured):
    """({input name: array}, labels) the program fed at its training run, for a model of several
    inputs (x and sequence lengths); ValueError asking for --data when one of them was not fed."""
    fed = captured.fed() if captured is not None else {}
    missing = [spec.tf1_tensor for spec in recognised.inputs if spec.tf1_tensor not in fed]
    if missing or recognised.labels not in fed:
        raise ValueError(f"the model has {len(recognised.inputs)} inputs and the captured training run did not "
                         f"feed {', '.join(missing) or recognised.labels or 'labels'}; give --data FILE.npz")
    return {spec.name: fed[spec.tf1_tensor] for spec in recognised.inputs}, fed[recognised.labels]


def examples_origin(recognised, data=None):
    """port.json's `examples`: where the examples the port was verified on came from."""
    if data is not None:
        return f"--data {data}"
    shape = tuple(recognised.inputs[0].shape) if len(recognised.inputs) == 1 else ()
    if None not in shape and shape and int(np.prod(shape)) == 784:
        return "MNIST test images"
    return "captured feed"


def write_model(recognised, captured, staging, command, values, skipped, seed, clock=None):
    """model.py (with its training set-up, and tf1_optimizers.py when it needs it) and
    model.weights.h5 into `staging`; the weights' harness Mapping."""
    with stage_timing.stage(clock, "codegen"):
        loss_spec = training_codegen.loss_spec_of(recognised)
        training_codegen.with_regularization(recognised, loss_spec)
        training = training_codegen.training_code(recognised, loss_spec)
        source = codegen.model_source(recognised, os.path.relpath(captured.program), command, training=training)
        for name, text in {MODEL: source, **training.files}.items():
            with open(os.path.join(staging, name), "w", encoding="utf-8") as stream:
                stream.write(text)
    with stage_timing.stage(clock, "weights"):
        keras_side = harness.KerasModel(certification.build_staged(staging, seed))
        mapping = weights.assign(recognised, keras_side, values, skipped)
        keras_side.model.save_weights(os.path.join(staging, WEIGHTS))
    return mapping


def stage_and_verify(captured, recognised, staging, command, examples_xy, seed, values, skipped, clock=None):
    """Writes and verifies the port in `staging`, on `examples_xy` ((x, y), None when there are
    unrecognised ops); (Verification or None, training, failures, notes)."""
    if recognised.unrecognised_ops:
        count = len(recognised.unrecognised_ops)
        return None, None, [f"{count} TF1 op(s) have no Keras layer (unrecognised_ops); nothing generated"], []
    x, y = examples_xy
    try:
        write_model(recognised, captured, staging, command, values, skipped, seed, clock)
    except ValueError as error:  # a layer codegen cannot write faithfully, weights left over
        return None, None, [f"not generated: {error}"], []
    with stage_timing.stage(clock, "verify_forward"), certification.tf1_model(captured, recognised) as tf1:
        checked, keras_side = certification.verify(staging, recognised, tf1, values, seed, x)
    if checked.failures:
        return checked, None, checked.failures, []
    if distributed_codegen.sync_replicas(captured):
        return checked, None, [], [distributed_codegen.SYNC_TRAINING_NOTE]
    with stage_timing.stage(clock, "verify_training"):
        training, notes = certification.training_check(captured, recognised, keras_side, x, y, seed, staging)
    return checked, training, [], notes


def staged_port(program, arguments, directory, checkpoint=None):
    """`program ARGUMENTS` captured (from `checkpoint`) under `directory`, model.py written to
    directory/staging and its forward check run, as port does, for measurements and tests that
    run the training check again (scripts/step_spread.py): (captured, recognised, (x, y),
    staging, forward Verification, Keras side)."""
    captured, recognised, examples_xy, values, skipped, _ = capture_and_read(
        program, arguments, os.path.join(directory, "capture"), stage_timing.StageClock(), None,
        checkpoint=checkpoint)
    staging = os.path.join(directory, "staging")
    os.makedirs(staging)
    write_model(recognised, captured, staging, default_command(program, arguments), values, skipped, 0)
    with certification.tf1_model(captured, recognised) as tf1:
        checked, keras_side = certification.verify(staging, recognised, tf1, values, 0, examples_xy[0])
    return captured, recognised, examples_xy, staging, checked, keras_side


def place(staging, out, document):
    """port.json into `staging` (alone when the port failed), then `staging` renamed to `out`."""
    if not document["passed"]:
        for name in (MODEL, WEIGHTS, training_codegen.TWINS_FILE):
            if os.path.exists(os.path.join(staging, name)):
                os.remove(os.path.join(staging, name))
    with open(os.path.join(staging, PORT), "w", encoding="utf-8") as stream:
        json.dump(document, stream, indent=2)
        stream.write("\n")
    os.chmod(staging, 0o755)  # mkdtemp's 0o700 is not what a directory a person asked for has
    os.replace(staging, out)  # an empty `out` directory is replaced by the rename
    return sorted(os.listdir(out))


def check_checkpoint(checkpoint, captured, recognised, averages):
    """ValueError unless `checkpoint` held every variable the recognised model reads, with the
    program's shapes (checkpoint_fit): the capture restored only those it had."""
    shapes = tf.train.load_checkpoint(captured.checkpoint).get_variable_to_shape_map()
    checkpoint_fit.check(checkpoint, shapes, weights.read_variables(recognised, shapes), averages)


def on_each_backend(backends, captured, recognised, staging, examples_xy, seed, checked, training, failures,
                    clock):
    """port.json's `backends` ({} when none was asked for, or the port failed before them)."""
    if not backends or checked is None or failures:
        return {}
    with stage_timing.stage(clock, "verify_backends"):
        return backend_verification.verify_on_backends(backends, captured, recognised, staging,
                                                       examples_xy, seed, checked, training)


def default_command(program, arguments):
    """The date- and path-free command a generated model.py quotes."""
    return "tf1-to-keras port " + shlex.join([os.path.relpath(program), *(["--", *arguments] if arguments else [])])


def capture_and_read(program, arguments, directory, clock, data, checkpoint=None, averages=False,
                     **capture_options):
    """The capture of `program` and what port reads from it, each stage on `clock`: (captured,
    recognised, examples_xy, weight values, skipped variables, unread variables)."""
    started = time.perf_counter()
    captured = capture.capture_program(program, arguments, directory, checkpoint=checkpoint,
                                       averages=averages, **capture_options)
    stage_timing.capture_stage(clock, time.perf_counter() - started, captured.timings)
    with clock.stage("recognition"):
        recognised = recognise(captured)
        if checkpoint is not None:
            check_checkpoint(checkpoint, captured, recognised, averages)
        examples_xy = None if recognised.unrecognised_ops else examples(recognised, data, captured)
    with clock.stage("weights"):
        values, skipped = weights.checkpoint_values(captured.checkpoint)
        weights.whole_partitions(recognised, values)
        values, unread = weights.unread_variables(recognised, values)
    skipped += [(name, shape) for name, shape, _ in unread]
    return captured, recognised, examples_xy, values, skipped, unread


def port_program(program, arguments, out, checkpoint=None, data=None, seed=0, command=None,
                 train_op=None, cluster=None, checkpoint_averages=False, backends=None):
    """Ports `program ARGUMENTS` into `out` (the model `train_op`, else the first training run,
    trains), its weights `checkpoint`'s when given (`checkpoint_averages`: its moving-average
    shadows); with `cluster` ("flags"/"tf-config") as worker 0 of a local cluster
    (capture.capture_program), adding train_distributed.py; `backends` (e.g. ("tensorflow",
    "jax")): the Keras backends model.py is verified on too (backend_verification), all must
    pass. A PortResult (ValueError/OSError: bad input, a checkpoint that does not fit)."""
    if checkpoint_averages and checkpoint is None:
        raise ValueError("--checkpoint-averages: needs --checkpoint (the checkpoint holding the averages)")
    check_request(program, out, data)
    for backend in backends or ():
        backend_process.require_backend(backend_process.check_backend(backend))
    command = command or default_command(program, arguments)
    clock = stage_timing.StageClock()  # port.json's `timings`
    with tempfile.TemporaryDirectory(prefix="mnist-parity-capture-") as directory:
        captured, recognised, examples_xy, values, skipped, unread = capture_and_read(
            program, arguments, os.path.join(directory, "capture"), clock, data, checkpoint=checkpoint,
            train_op=train_op, cluster=cluster, averages=checkpoint_averages)
        os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
        staging = tempfile.mkdtemp(prefix=".tmp-port-", dir=os.path.dirname(os.path.abspath(out)))
        try:
            checked, training, failures, notes = stage_and_verify(
                captured, recognised, staging, command, examples_xy, seed, values, skipped, clock)
            on_backends = on_each_backend(backends, captured, recognised, staging, examples_xy, seed,
                                          checked, training, failures, clock)
            failures += [failure for entry in on_backends.values() if entry["backend"] != "tensorflow"
                         for failure in entry["failures"]]
            shapes = {name: value.shape for name, value in values.items()}
            document = port_record.document(captured, recognised, command,
                                          weights.layer_parameters(recognised, shapes), checked,
                                          training, failures, notes, skipped)
            document.update(port_record.run_entries(captured, recognised, unread,
                                                    examples_origin(recognised, data)))
            distributed_codegen.add_training_script(captured, recognised, staging, document)
            document["timings"] = clock.to_json(stage_timing.graph_op_count(captured.meta_graph),
                                                sum(int(np.size(value)) for value in values.values()))
            document.update({"backends": on_backends} if backends else {})
            files = place(staging, out, document)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return PortResult(out, document, files)
