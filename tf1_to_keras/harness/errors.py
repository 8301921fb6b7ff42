"""The harness's exceptions: bad input (a ValueError each) and a failed check.

Everything a caller got wrong (data, a builder or a Keras model, a name map) raises a
subclass of `HarnessInputError`, which is a ValueError: a command maps it to exit
status 2 (bad input) with its one-line message. A check that ran and found the two
sides apart raises `ParityError` (an AssertionError) only from its raising form.
"""

from tf1_to_keras.harness.closeness import ParityError

__all__ = ["HarnessInputError", "DataError", "ModelError", "NameMapError", "ParityError"]


class HarnessInputError(ValueError):
    """Bad input to the harness; the message names the thing, what it was, what was expected."""


class DataError(HarnessInputError):
    """Arrays the models cannot take: NaN/inf, a non-numeric dtype, lengths or shapes that differ."""


class ModelError(HarnessInputError):
    """A TF1 builder or checkpoint, or a Keras model, that is not what the harness needs."""


class NameMapError(HarnessInputError):
    """The name map does not fit the two models; lists every problem, one per line.

    `unmapped` ((TF1 name, shape), ...) and `unfilled` ((Keras path, shape), ...) are the
    variables and weights left over; `mismatched` the pairs whose shapes differ after
    their transform; `unknown` the rules, table entries and transforms naming weights
    that do not exist (a mistake in the map rather than in the models). `conversions`
    are the pairs it did resolve (mappings.Conversion), for reports.
    """

    def __init__(self, problems, unmapped=(), unfilled=(), mismatched=(), unknown=(), conversions=()):
        self.problems, self.conversions = list(problems), list(conversions)
        self.unmapped, self.unfilled = list(unmapped), list(unfilled)
        self.mismatched, self.unknown = list(mismatched), list(unknown)
        super().__init__("the name map does not fit the models:\n  " + "\n  ".join(self.problems))
