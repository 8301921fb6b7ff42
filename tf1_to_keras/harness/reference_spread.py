"""The training-step check's second bar: TF1's own spread, then TF1's own mathematics in float64.

Some TF1 programs do not reproduce themselves to the strict step bar. When the strict check
fails on the losses, `check_training_steps` asks TF1 itself, in two ways; passing either
passes:

1. TF1's own steps rerun from inputs that float32 cannot tell apart from the originals. Each
   rerun takes the same batches with each batch's examples in another order (the same
   mathematics: the loss is a mean over the batch) and starts from the same weights each
   moved by one float32 ulp up or down (a float32 computation is at best exact for inputs
   within rounding of its own, so what moves under that is what float32 cannot promise): a
   deep net with training-mode batch norms computes its gradients with a cancellation that
   float32 rounds to a few percent, and a large first step carries that into step 2
   (docs/PERFORMANCE.md: slim's ResNet-50 v1, whose fused and unfused TF1 graphs part at step
   2 by 50x the bar). Reordering alone measured nothing on ResNet-50's batch of 2 (2.9e-6 at
   step 2, where fused and unfused TF1 part by 0.05): the two halves' sums commute. One rerun
   can stay close by chance where another parts far, so up to tolerances.REFERENCE_RERUNS run
   (reordered and nudged, reordered, nudged), stopping once the port is within the bar; the
   spread is the largest over them:

   * TF1 reproduces itself within the strict bar: the strict failure stands (the port's bug);
   * otherwise the strict bar is not meaningful for this program, and each step's Keras-vs-TF1
     difference must be within tolerances.REFERENCE_SPREAD_FACTOR x the largest TF1-vs-TF1
     difference up to that step (a running max: one lucky step does not make the bar tiny),
     never below the strict bar; beyond it the step still fails.
2. Where that fails and the graph has training-mode fused batch norms, TF1's own graph is rerun
   with them computed in float64 (float64_batch_norm.py): TF1's fused kernel is less precise
   than float32 allows, the same error in every run, so the reruns of 1 cannot show it, only
   the same mathematics computed another way (slim LeNet from a trained checkpoint: TF1 2.5e-3
   from it at step 2, the port 9.5e-7 at step 2). A port within the strict bar of that rerun at every
   step passes: it is held to TF1's graph, not to a widened bar. The float64 rerun is not
   part of the spread: its gap from TF1 is TF1's kernel error, and a bar of 4x that let a
   port with Adam's beta_1 0.8 pass (measured in docs/PORT.md).
"""

import dataclasses
import functools

import numpy as np

from tf1_to_keras.harness import closeness, data, float64_batch_norm, tolerances


@dataclasses.dataclass
class ReferenceSpread:
    """What the reruns of the reference found: TF1's losses in each rerun, the per-step spread
    (the largest |TF1 - TF1 rerun| over them), the factor, whether the steps were held to it,
    and one line saying so with the figures."""

    permuted_losses: list  # one list of losses per rerun (shorter when it ended early)
    spread: list
    factor: float
    applied: bool
    note: str
    # Every step beyond the widened bar is one where TF1 does not reproduce itself within the
    # strict bar either: nothing float32 can vouch for, not a port bug (`port` writes the model).
    unverifiable: bool = False
    reference: str = "TF1 rerun an ulp apart"  # or REFERENCE: TF1's batch norms in float64 (held_to_float64)

    def to_json(self):
        return {"applied": self.applied, "factor": self.factor, "note": self.note, "unverifiable": self.unverifiable,
                "reruns": len(self.permuted_losses), "reference": self.reference, "tf1_rerun_losses": self.permuted_losses,
                "tf1_self_diff": [closeness.json_number(value) for value in self.spread]}


def permuted_batches(batches, seed=0):
    """(the batches with their examples reordered by `seed`, whether any batch's arrays changed).
    Seed 0 moves every batch of two or more; other seeds draw each batch's order freely (a
    batch of 2 swapped or not), so reorderings differ where batches are that small."""
    random = np.random.RandomState(seed)
    reordered, changed = [], False
    for x, y in batches:
        order = random.permutation(len(y))
        if seed == 0 and np.array_equal(order, np.arange(len(y))):
            order = np.roll(order, 1)
        moved_x, moved_y = data.rows(x, order), y[order]
        changed = changed or not (_same(moved_x, x) and np.array_equal(moved_y, y))
        reordered.append((moved_x, moved_y))
    return reordered, changed


def _same(a, b):
    if isinstance(a, dict):
        return all(np.array_equal(a[name], b[name]) for name in a)
    return np.array_equal(a, b)


def nudged(values, seed):
    """Every floating-point array of `values` ({name: array}) with each element moved one float32
    ulp up or down (drawn with `seed`); other arrays as they are."""
    random = np.random.RandomState(seed)
    moved = {}
    for name, value in values.items():
        value = np.asarray(value)
        if np.issubdtype(value.dtype, np.floating):
            towards = np.where(random.rand(*value.shape) < 0.5, -np.inf, np.inf).astype(value.dtype)
            value = np.nextafter(value, towards)
        moved[name] = value
    return moved


# What each rerun changes, in order (tolerances.REFERENCE_RERUNS of them at most): chaos takes
# one perturbation far and another not, so the kinds alternate; measured in docs/PORT.md.
RERUNS = ((True, True), (True, False), (False, True))  # (reorder the batches, nudge the weights)


def rerun(tf1, batches, feed, seed, stop=None):
    """TF1's losses rerun with RERUNS[seed % 3]'s changes, drawn with `seed` (ended early when
    `stop(losses)`); None when they change nothing (a reordering of batches of one example)."""
    reorder, nudge = RERUNS[seed % len(RERUNS)]
    reordered, changed = permuted_batches(batches, seed) if reorder else (batches, False)
    if not (changed or nudge):
        return None
    start = functools.partial(nudged, seed=seed) if nudge else None
    return tf1.train_steps_again(reordered, feed=feed, start=start, stop=stop)


def spread_of(tf1_losses, selves):
    """Per step, the largest |TF1 - TF1 rerun| over `selves` (a rerun ended early adds 0 after)."""
    tf1_array = np.asarray(tf1_losses, np.float64)
    rows = [np.pad(np.abs(tf1_array[:len(losses)] - np.asarray(losses, np.float64)),
                   (0, len(tf1_array) - len(losses))) for losses in selves]
    return np.max(rows, axis=0)


def _itself(tf1_losses, spread, strict_steps, name):
    """TF1 against itself under the strict bars, one Comparison per step."""
    return [closeness.compare(tf1 + gap, tf1, name=name, step=c.step, atol=c.atol, rtol=c.rtol)
            for tf1, gap, c in zip(tf1_losses, spread, strict_steps)]


def covered(tf1_losses, keras_losses, strict_steps, earlier):
    """stop(losses) for a rerun: true once TF1 has parted from itself beyond the strict bar and
    every later step of the port is within the bar the spread so far gives (it only grows), so
    the rest of the rerun cannot change the verdict (ResNet-50: 4 of 10 steps)."""
    factor = tolerances.REFERENCE_SPREAD_FACTOR

    def stop(losses):
        count = len(losses)
        spread = spread_of(tf1_losses[:count], [losses] + [self[:count] for self in earlier])
        if all(c.passed for c in _itself(tf1_losses, spread, strict_steps, "loss")):
            return False
        bar = factor * float(spread.max())
        return all(closeness.compare(k, t, name="loss", atol=max(c.atol, bar), rtol=c.rtol).passed
                   for k, t, c in zip(keras_losses[count:], tf1_losses[count:], strict_steps[count:]))
    return stop


def judge(tf1, batches, feed, tf1_losses, keras_losses, strict_steps, name, optimizer=None):
    """(the steps' comparisons, a ReferenceSpread) after the strict `strict_steps` failed: TF1
    rerun an ulp apart (tf1.train_steps_again) up to tolerances.REFERENCE_RERUNS times, stopping
    once the port is within the bar (another rerun only widens it); where that fails, against
    TF1 with its batch norms in float64 if it has training-mode fused ones (held_to_float64,
    given the `optimizer` function). Either passing passes, so the order only saves time: the
    spread is the cheaper (ResNet-50: no second graph)."""
    selves, judged = [], (strict_steps, None)
    for seed in range(tolerances.REFERENCE_RERUNS):
        losses = rerun(tf1, batches, feed, seed, covered(tf1_losses, keras_losses, strict_steps, selves))
        if losses is None:
            continue
        selves.append(losses)
        judged = held_to_spread(tf1_losses, selves, keras_losses, strict_steps, name)
        if all(comparison.passed for comparison in judged[0]):
            return judged
    exact = held_to_float64(tf1, batches, feed, optimizer, tf1_losses, keras_losses, strict_steps, name)
    if exact is not None and all(comparison.passed for comparison in exact[0]):
        return exact
    if exact is not None and judged[1] is not None:
        judged[1].note += "; " + exact[1].note.removeprefix("training steps: ")
    return judged


REFERENCE = f"TF1 with its {float64_batch_norm.KIND}"


def held_to_float64(tf1, batches, feed, optimizer, tf1_losses, keras_losses, strict_steps, name):
    """(the steps' comparisons, a ReferenceSpread) of the port against TF1's own graph with its
    training-mode fused batch norms in float64 (float64_batch_norm.py), under the strict bars;
    None when it has none (or no `optimizer` function). The rerun ends at the first step beyond."""
    def beyond(losses):
        step = strict_steps[len(losses) - 1]
        return not closeness.compare(keras_losses[len(losses) - 1], losses[-1], name=name, atol=step.atol,
                                     rtol=step.rtol).passed

    exact = float64_batch_norm.rerun(tf1, batches, optimizer, feed, beyond) if optimizer is not None else None
    if exact is None:
        return None
    steps = [closeness.compare(k, e, name=f"{name} (against TF1 with its {float64_batch_norm.KIND})", step=c.step,
                               atol=c.atol, rtol=c.rtol) for k, e, c in zip(keras_losses, exact, strict_steps)]
    kernel = np.abs(np.asarray(tf1_losses[:len(exact)], np.float64) - np.asarray(exact, np.float64))
    port = np.abs(np.asarray(keras_losses[:len(exact)], np.float64) - np.asarray(exact, np.float64))
    fused = f"TF1's fused kernel {kernel.max():.3g} from it at step {int(np.argmax(kernel)) + 1}"
    if len(exact) == len(keras_losses) and all(comparison.passed for comparison in steps):
        note = (f"training steps: held to TF1's own graph with its {float64_batch_norm.KIND}, the same mathematics "
                f"(the strict bar failed at step {next(c.step for c in strict_steps if not c.passed)}; {fused}; "
                f"port within the strict bar of it: max |diff| {port.max():.3g})")
        return steps, ReferenceSpread([list(exact)], kernel.tolist(), 1.0, True, note, reference=REFERENCE)
    note = (f"training steps: against TF1 with its {float64_batch_norm.KIND} the port is {port[-1]:.3g} "
            f"from it at step {len(exact)}, beyond the strict bar ({fused})")
    return steps, ReferenceSpread([list(exact)], kernel.tolist(), 1.0, False, note, reference=REFERENCE)


def held_to_spread(tf1_losses, selves, keras_losses, strict_steps, name):
    """(the steps' comparisons, a ReferenceSpread), given TF1's losses on reordered batches
    (`selves`, one list per reordering): the strict `strict_steps` when TF1 reproduced itself
    within them every time, else the widened bar."""
    factor, spread = tolerances.REFERENCE_SPREAD_FACTOR, spread_of(tf1_losses, selves)
    if all(comparison.passed for comparison in _itself(tf1_losses, spread, strict_steps, name)):
        return strict_steps, ReferenceSpread(selves, spread.tolist(), factor, False, (
            f"training steps: strict bar kept: TF1 reproduces itself within it ({len(selves)} rerun(s), batches "
            f"reordered, weights an ulp apart: max |diff| {spread.max():.3g}), so the difference is the port's"))
    running = np.maximum.accumulate(spread)
    steps = [closeness.compare(k, t, name=f"{name} (bar {factor:g} x TF1's own spread)", step=c.step,
                               atol=max(c.atol, factor * bar), rtol=c.rtol)
             for k, t, c, bar in zip(keras_losses, tf1_losses, strict_steps, running)]
    first = next(c.step for c in strict_steps if not c.passed)
    note = _note(tf1_losses, keras_losses, spread, running, factor, steps, first, len(selves))
    shortest = min(len(losses) for losses in selves)
    if shortest < len(tf1_losses):
        note = note[:-1] + f"; a rerun ended at step {shortest}, the bar already covering the rest)"
    unverifiable = _unverifiable(tf1_losses, running, strict_steps, steps, name)
    if unverifiable:
        note = note[:-1] + (f"; not verifiable from step {unverifiable}: TF1 does not reproduce its own steps "
                            "there within the strict bar, so no float32 port can be held to them)")
    return steps, ReferenceSpread(selves, spread.tolist(), factor, True, note, bool(unverifiable))


def _unverifiable(tf1_losses, running, strict_steps, steps, name):
    """The first step beyond the widened bar when every such step is one where TF1's own spread
    so far is beyond the strict bar (TF1 does not reproduce itself there); else None: a step
    where TF1 still reproduces itself is the port's failure."""
    reproduced = [comparison.passed for comparison in _itself(tf1_losses, running, strict_steps, name)]
    beyond = [(step.step, agrees) for step, agrees in zip(steps, reproduced) if not step.passed]
    return beyond[0][0] if beyond and not any(agrees for _, agrees in beyond) else None


def _note(tf1_losses, keras_losses, spread, running, factor, steps, first, reorderings):
    """"held to TF1's own spread: TF1 against itself 0.05 at step 2; port 0.30 at step 2, bar 4 x 0.05"."""
    port = np.abs(np.asarray(keras_losses, np.float64) - np.asarray(tf1_losses, np.float64))
    bars = np.array([c.atol + c.rtol * abs(t) for c, t in zip(steps, tf1_losses)])
    worst = int(np.argmax(port / np.maximum(bars, np.finfo(np.float64).tiny)))
    bar = (f"{factor:g} x {running[worst]:.3g}" if steps[worst].atol == factor * running[worst]
           else f"the strict {bars[worst]:.3g}, above {factor:g} x {running[worst]:.3g}")
    return (f"training steps: held to TF1's own float32 spread (the strict bar failed at step {first}; "
            f"TF1 against itself ({reorderings} rerun(s), batches reordered, weights an ulp apart) "
            f"{spread.max():.3g} at step {int(np.argmax(spread)) + 1}; port {port[worst]:.3g} at step {worst + 1} (its worst against "
            f"the bar), bar {bar})")
